import type { LuaScript } from '../redis/redis-connection.service';

/**
 * Past the end of a record's window (or block), Redis keeps it this long before it
 * expires: gateway instances whose clocks differ a little still find it.
 */
export const THROTTLER_RECORD_GRACE_MS = 1_000;

/**
 * The Redis side of `ThrottlerRedisStorage`: one `@nestjs/throttler` hit, counted, timed
 * and blocked in one atomic step, so every gateway instance counts into the same window.
 *
 * KEYS[1] a hash per throttler key: `e` the end of the current window, `h` its hits,
 * `b` the end of a block (0 when none), every time in epoch ms. ARGV now, ttl, limit,
 * blockDuration (ms; 0: no block, a request over the limit is refused until the window
 * ends, uncounted).
 *
 * A fixed window of `ttl` opens with the first hit after the previous one ended. The
 * hit that takes the count over `limit` is counted and starts a block of
 * `blockDuration`; hits during a block are refused and not counted; the first hit after
 * it starts a fresh window — the rules of the throttler's own in-memory storage, with a
 * fixed window where it keeps one expiry per hit.
 *
 * → {totalHits, ms to the window's end, 1 blocked | 0, ms to the block's end (0 unblocked)}.
 * `now` is an argument, never Redis TIME: tests move the clock by hand.
 */
export const THROTTLER_INCREMENT: LuaScript = {
  name: 'throttler-increment',
  source: `
local K = KEYS[1]
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local block = tonumber(ARGV[4])
local v = redis.call('HMGET', K, 'e', 'h', 'b')
local windowEnd = tonumber(v[1]) or 0
local hits = tonumber(v[2]) or 0
local blockEnd = tonumber(v[3]) or 0
if blockEnd > now then
  return {hits, math.max(windowEnd - now, 0), 1, blockEnd - now}
end
if blockEnd > 0 or windowEnd <= now then
  windowEnd = now + ttl
  hits = 0
  blockEnd = 0
end
if block <= 0 and hits >= limit then
  return {hits + 1, windowEnd - now, 1, windowEnd - now}
end
hits = hits + 1
local blocked = 0
if block > 0 and hits > limit then
  blockEnd = now + block
  blocked = 1
end
redis.call('HSET', K, 'e', string.format('%d', windowEnd), 'h', hits,
  'b', string.format('%d', blockEnd))
redis.call('PEXPIRE', K, string.format('%d', math.max(windowEnd, blockEnd) - now + ${THROTTLER_RECORD_GRACE_MS}))
if blocked == 1 then return {hits, windowEnd - now, 1, block} end
return {hits, windowEnd - now, 0, 0}
`,
};
