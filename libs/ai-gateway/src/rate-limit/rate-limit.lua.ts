import type { LuaScript } from '../redis/redis-connection.service';
import { BUCKET_IDLE_TTL_MS, DEBT_FLOOR, UNITS_PER_TOKEN } from './token-bucket';

/**
 * The Redis side of `RedisRateLimitStore`: one script per operation, covering every scope
 * of the request, so a decision is atomic across gateway instances. The arithmetic is
 * `token-bucket.ts` line by line (see there for the units); `MemoryRateLimitStore`
 * follows the same steps.
 *
 * Keys (see `rate-limit-checks.ts`): a hash `rl:<kind>:<id>:r|t` per token bucket with
 * `l` (level in units) and `u` (when it was brought up to date), expiring two minutes
 * after it would be full again (then a missing key and a full bucket are the same);
 * a sorted set `rl:<kind>:<id>:c` of request ids scored by lease expiry per
 * concurrency limit, purged with one ZREMRANGEBYSCORE when touched (no KEYS, no SCAN);
 * `rl:adj:<requestId>` marks an applied `adjust` for a minute.
 *
 * `now` is an argument, never Redis TIME: every instance and every test decides on the
 * clock it reads. Numbers go back to Redis through `string.format('%d')`: a Lua number
 * handed to redis.call is formatted with 14 significant digits.
 *
 * The keys of one request are passed in KEYS but carry no hash tag: fine on one Redis
 * (or a primary with replicas); on Redis Cluster every limiter key would need one.
 */

/** Reads a bucket refilled up to `now` (full when missing): level, updatedAt. */
const REFILL = `
local function refill(K, limit, now)
  local cap = limit * ${UNITS_PER_TOKEN}
  local v = redis.call('HMGET', K, 'l', 'u')
  if not v[1] then return cap, now end
  local level = tonumber(v[1])
  local updated = tonumber(v[2])
  if now > updated then
    level = level + (now - updated) * limit
    updated = now
  end
  if level > cap then level = cap end
  return level, updated
end
`;

/** Stores a bucket and gives its key the expiry of `bucketTtlMs`. */
const STORE = `
local function store(K, limit, level, updated)
  redis.call('HSET', K, 'l', string.format('%d', level), 'u', string.format('%d', updated))
  local full = math.ceil((limit * ${UNITS_PER_TOKEN} - level) / limit)
  if full < 0 then full = 0 end
  redis.call('PEXPIRE', K, string.format('%d', full + ${BUCKET_IDLE_TTL_MS}))
end
`;

/**
 * KEYS one per check; ARGV now, requestId, leaseMs, then per check its type (`b` bucket,
 * `c` concurrency), limit and cost → {refused check (1-based, 0 admitted), then per
 * check two numbers: a bucket's level (after the deduction when admitted) and 0, or a
 * set's slots in use and, when full, its earliest lease expiry}.
 */
export const RATE_LIMIT_ACQUIRE: LuaScript = {
  name: 'rate-limit-acquire',
  source: `${REFILL}${STORE}
local now = tonumber(ARGV[1])
local id = ARGV[2]
local lease = tonumber(ARGV[3])
local n = #KEYS
local a = {}
local b = {}
local refused = 0
for i = 1, n do
  local K = KEYS[i]
  local j = 3 * i + 1
  local limit = tonumber(ARGV[j + 1])
  if ARGV[j] == 'c' then
    redis.call('ZREMRANGEBYSCORE', K, '-inf', ARGV[1])
    local inUse = redis.call('ZCARD', K)
    local earliest = 0
    if inUse >= limit then
      earliest = tonumber(redis.call('ZRANGE', K, 0, 0, 'WITHSCORES')[2])
      if refused == 0 then refused = i end
    end
    a[i] = inUse
    b[i] = earliest
  else
    local level, updated = refill(K, limit, now)
    a[i] = level
    b[i] = updated
    if refused == 0 and level < tonumber(ARGV[j + 2]) * ${UNITS_PER_TOKEN} then refused = i end
  end
end
if refused == 0 then
  for i = 1, n do
    local K = KEYS[i]
    local j = 3 * i + 1
    local limit = tonumber(ARGV[j + 1])
    if ARGV[j] == 'c' then
      redis.call('ZADD', K, string.format('%d', now + lease), id)
      a[i] = redis.call('ZCARD', K)
      if redis.call('PTTL', K) < lease then redis.call('PEXPIRE', K, ARGV[3]) end
    else
      a[i] = a[i] - tonumber(ARGV[j + 2]) * ${UNITS_PER_TOKEN}
      store(K, limit, a[i], b[i])
      b[i] = 0
    end
  end
end
local reply = {refused}
for i = 1, n do
  if ARGV[3 * i + 1] ~= 'c' then b[i] = 0 end
  reply[2 * i] = a[i]
  reply[2 * i + 1] = b[i]
end
return reply
`,
};

/**
 * KEYS the adjust record, then one token bucket per scope; ARGV now, tokensDelta,
 * recordTtlMs, then per bucket its limit → 1 applied, 0 already applied.
 */
export const RATE_LIMIT_ADJUST: LuaScript = {
  name: 'rate-limit-adjust',
  source: `${REFILL}${STORE}
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3]) then return 0 end
local now = tonumber(ARGV[1])
local units = tonumber(ARGV[2]) * ${UNITS_PER_TOKEN}
for i = 2, #KEYS do
  local limit = tonumber(ARGV[2 + i])
  local level, updated = refill(KEYS[i], limit, now)
  level = level - units
  if level > limit * ${UNITS_PER_TOKEN} then level = limit * ${UNITS_PER_TOKEN} end
  if level < ${DEBT_FLOOR} then level = ${DEBT_FLOOR} end
  store(KEYS[i], limit, level, updated)
end
return 1
`,
};

/** KEYS one concurrency set per scope; ARGV requestId → slots freed. */
export const RATE_LIMIT_RELEASE: LuaScript = {
  name: 'rate-limit-release',
  source: `
local freed = 0
for i = 1, #KEYS do freed = freed + redis.call('ZREM', KEYS[i], ARGV[1]) end
return freed
`,
};
