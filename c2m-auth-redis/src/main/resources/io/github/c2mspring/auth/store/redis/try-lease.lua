-- Takes the lease if no one holds it, its owner takes it again, or the holder's ran out by the
-- caller's clock (the clock the fleet's instances share for leases); Redis drops an abandoned
-- lease by itself when its time is over (PX), as SET NX PX would.
-- KEYS[1] the lease key (a hash); ARGV[1] the owner, ARGV[2] now and ARGV[3] until (epoch ms).
local holder = redis.call('HMGET', KEYS[1], 'owner', 'until')
if holder[1] and holder[1] ~= ARGV[1] and tonumber(holder[2]) > tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'until', ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(ARGV[3]) - tonumber(ARGV[2])))
return 1
