import type { LuaScript } from '../redis/redis-connection.service';

/**
 * The Redis side of `RedisBreakerStore`: one script per operation, so every change of a
 * circuit is atomic across gateway instances. One hash per circuit with the fields of
 * `CircuitFields` (state, openUntil, probeUntil, consecutive, windowEnd, requests,
 * failures, lastError, lastErrorAt; '' or absent = none). `now` is an argument, not
 * Redis TIME, so every instance and every test decides on the same clock it reads.
 * The rules mirror `MemoryBreakerStore` line by line; the shared scenarios check both.
 */

/** KEYS[1] circuit; ARGV now, openMs, windowMs → {allowed, state, probe, openUntil, transition}. */
export const BREAKER_ACQUIRE: LuaScript = {
  name: 'breaker-acquire',
  source: `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local openMs = tonumber(ARGV[2])
local windowMs = tonumber(ARGV[3])
local f = redis.call('HMGET', key, 'state', 'openUntil', 'probeUntil')
local state = f[1] or 'closed'
if state == 'closed' then return {1, 'closed', 0, '', ''} end
local openUntil = tonumber(f[2]) or 0
if state == 'open' and now < openUntil then return {0, 'open', 0, openUntil, ''} end
if state == 'half-open' and now < (tonumber(f[3]) or 0) then return {0, 'half-open', 0, '', ''} end
local transition = ''
if state == 'open' then transition = 'half-open' end
redis.call('HSET', key, 'state', 'half-open', 'probeUntil', now + openMs)
redis.call('PEXPIRE', key, 2 * windowMs + openMs)
return {1, 'half-open', 1, '', transition}
`,
};

/**
 * KEYS[1] circuit; ARGV now, ok, counts, probe, error, failureThreshold,
 * errorRateThreshold, minRequests, windowMs, openMs → the stored fields + transition.
 */
export const BREAKER_RECORD: LuaScript = {
  name: 'breaker-record',
  source: `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local ok = ARGV[2] == '1'
local counts = ARGV[3] == '1'
local probe = ARGV[4] == '1'
local threshold = tonumber(ARGV[6])
local rate = tonumber(ARGV[7])
local minRequests = tonumber(ARGV[8])
local windowMs = tonumber(ARGV[9])
local openMs = tonumber(ARGV[10])
local f = redis.call('HMGET', key, 'state', 'openUntil', 'probeUntil', 'consecutive',
  'windowEnd', 'requests', 'failures', 'lastError', 'lastErrorAt')
local state = f[1] or 'closed'
local openUntil = tonumber(f[2]) or 0
local probeUntil = tonumber(f[3]) or 0
local consecutive = tonumber(f[4]) or 0
local windowEnd = tonumber(f[5]) or 0
local requests = tonumber(f[6]) or 0
local failures = tonumber(f[7]) or 0
local lastError = f[8] or ''
local lastErrorAt = f[9] or ''
local transition = ''
if now >= windowEnd then
  windowEnd = now + windowMs
  requests = 0
  failures = 0
end
requests = requests + 1
local probing = probe and state == 'half-open'
if not counts then
  if probing then probeUntil = 0 end
elseif ok then
  consecutive = 0
  if probing then
    state = 'closed'
    openUntil = 0
    probeUntil = 0
    windowEnd = now + windowMs
    requests = 0
    failures = 0
    transition = 'closed'
  end
else
  consecutive = consecutive + 1
  failures = failures + 1
  lastError = ARGV[5]
  lastErrorAt = now
  local opens = probing
  if state == 'closed' then
    opens = consecutive >= threshold or (requests >= minRequests and failures / requests >= rate)
  end
  if opens then
    state = 'open'
    openUntil = now + openMs
    probeUntil = 0
    transition = 'open'
  end
end
redis.call('HSET', key, 'state', state, 'openUntil', openUntil, 'probeUntil', probeUntil,
  'consecutive', consecutive, 'windowEnd', windowEnd, 'requests', requests,
  'failures', failures, 'lastError', lastError, 'lastErrorAt', lastErrorAt)
redis.call('PEXPIRE', key, 2 * windowMs + math.max(0, openUntil - now, probeUntil - now))
return {state, openUntil, probeUntil, consecutive, windowEnd, requests, failures,
  lastError, lastErrorAt, transition}
`,
};

/** KEYS[1] circuit; ARGV now, until, reason, graceMs → transition ('' or 'open'). */
export const BREAKER_TRIP: LuaScript = {
  name: 'breaker-trip',
  source: `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local untilMs = tonumber(ARGV[2])
local f = redis.call('HMGET', key, 'state', 'openUntil')
local transition = 'open'
if f[1] == 'open' then
  transition = ''
  untilMs = math.max(untilMs, tonumber(f[2]) or 0)
end
redis.call('HSET', key, 'state', 'open', 'openUntil', untilMs, 'probeUntil', 0,
  'lastError', ARGV[3], 'lastErrorAt', now)
local ttl = math.max(untilMs - now, 0) + tonumber(ARGV[4])
if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
return transition
`,
};

/** KEYS circuits → one HMGET row per circuit (read-only; absent circuits are all nil). */
export const BREAKER_SNAPSHOT: LuaScript = {
  name: 'breaker-snapshot',
  source: `
local out = {}
for i = 1, #KEYS do
  out[i] = redis.call('HMGET', KEYS[i], 'state', 'openUntil', 'probeUntil', 'consecutive',
    'windowEnd', 'requests', 'failures', 'lastError', 'lastErrorAt')
end
return out
`,
};
