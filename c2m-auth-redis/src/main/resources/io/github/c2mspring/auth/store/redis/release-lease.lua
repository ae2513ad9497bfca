-- Gives the lease back if the owner still holds it.
-- KEYS[1] the lease key; ARGV[1] the owner.
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
