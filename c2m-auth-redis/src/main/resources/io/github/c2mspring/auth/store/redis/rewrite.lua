-- Replaces the stored form of the same token, keeping the version, if the entry is still the
-- one the caller loaded (same version, same stored value).
-- KEYS[1] the entry; ARGV[1] the expected version, ARGV[2] the expected value, ARGV[3] the new
-- value, ARGV[4] and ARGV[5] the retired token id and revoke time (empty: none).
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'token_value') ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'token_value', ARGV[3])
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[1], 'retired_token_id', 'retired_revoke_at_ms')
else
  redis.call('HSET', KEYS[1], 'retired_token_id', ARGV[4], 'retired_revoke_at_ms', ARGV[5])
end
return 1
