-- Stores a token if the entry's version is still the expected one (0: no entry yet).
-- KEYS[1] the entry (a hash); ARGV[1] the expected version, ARGV[2] the time (epoch ms) after
-- which Redis may drop the entry (0: never), ARGV[3..] field/value pairs of the new entry.
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version ~= tonumber(ARGV[1]) then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'version', version + 1, unpack(ARGV, 3))
if tonumber(ARGV[2]) > 0 then
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
end
return 1
