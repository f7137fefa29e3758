import type { LuaScript } from '../redis/redis-connection.service';

/**
 * Appends rows to the buffer list up to the bound, atomically (two instances cannot
 * overshoot it together). KEYS: list. ARGV: limit, rows… Returns how many were taken.
 */
export const PUSH_SCRIPT: LuaScript = {
  name: 'usage-buffer-push',
  source: `
local room = tonumber(ARGV[1]) - redis.call('LLEN', KEYS[1])
local n = #ARGV - 1
if room < n then n = room end
if n <= 0 then return 0 end
local last = n + 1
local i = 2
while i <= last do
  local j = math.min(i + 99, last)
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, j))
  i = j + 1
end
return n`,
};

/**
 * Moves the rows of a claim back to the front of the list, keeping their order.
 * Shared by release and by the reclaim of expired leases.
 */
const PUT_BACK = `
local function put_back(token)
  local batch = redis.call('HGET', KEYS[2], token)
  if batch then
    local rows = cjson.decode(batch)
    for k = #rows, 1, -1 do redis.call('LPUSH', KEYS[1], rows[k]) end
  end
  redis.call('HDEL', KEYS[2], token)
  redis.call('ZREM', KEYS[3], token)
end`;

/**
 * Claims up to ARGV[1] of the oldest rows under a lease: they move to the claims hash
 * (token → rows) with an expiry in the leases zset, so rows claimed by an instance that
 * died are put back by the next claim after the lease ends. KEYS: list, claims, leases.
 * ARGV: max, now (ms), lease (ms), token. Returns the rows (empty when none).
 */
export const CLAIM_SCRIPT: LuaScript = {
  name: 'usage-buffer-claim',
  source: `${PUT_BACK}
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[2], 'LIMIT', 0, 100)
for _, token in ipairs(expired) do put_back(token) end
local rows = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #rows == 0 then return rows end
redis.call('LTRIM', KEYS[1], #rows, -1)
redis.call('HSET', KEYS[2], ARGV[4], cjson.encode(rows))
redis.call('ZADD', KEYS[3], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[4])
return rows`,
};

/** The claimed rows are written: forget them. KEYS: list, claims, leases. ARGV: token. */
export const ACK_SCRIPT: LuaScript = {
  name: 'usage-buffer-ack',
  source: `
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1`,
};

/** The write failed: the claimed rows go back to the front. KEYS: list, claims, leases. ARGV: token. */
export const RELEASE_SCRIPT: LuaScript = {
  name: 'usage-buffer-release',
  source: `${PUT_BACK}
put_back(ARGV[1])
return 1`,
};

/** Rows waiting in the list. KEYS: list. */
export const SIZE_SCRIPT: LuaScript = {
  name: 'usage-buffer-size',
  source: `return redis.call('LLEN', KEYS[1])`,
};
