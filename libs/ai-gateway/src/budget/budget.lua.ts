import type { LuaScript } from '../redis/redis-connection.service';

/**
 * The Redis side of `RedisBudgetStore`: one script per operation, so every change is
 * atomic across gateway instances. The rules mirror `MemoryBudgetStore`.
 *
 * Per level and period, two keys: a hash `budget:<scope>:<id>:<tag>:<start>` with
 * `spent`, `reserved` (sum of the live holds) and one `r:<requestId>` field per hold
 * (its amount), and a sorted set `…:res` of request ids scored by expiry, so expired
 * holds are found with one ZRANGEBYSCORE when the level is next touched (no KEYS, no
 * SCAN). Per request, a hash `budget:req:<requestId>`: `s` state (r reserved,
 * s settled, x released), `e` expiry, `d` drop time, `t` ttl, `k` the level keys (JSON).
 *
 * `now` is an argument, never Redis TIME: every instance and every test decides on the
 * clock it reads; PEXPIRE only reclaims memory once a key can no longer matter.
 * Amounts travel as decimal strings and are added with HINCRBY: a Lua number handed to
 * redis.call is formatted with 14 significant digits, which would round large sums.
 *
 * `settle` and `release` reach the level keys listed in the request's record rather than
 * in KEYS (the caller knows only the id). That is fine on one Redis (or a primary with
 * replicas); on Redis Cluster every budget key would need one hash tag.
 */

/** Removes one hold from a level hash ('-0' is no integer to HINCRBY, hence the guard). */
const UNHOLD = `
local function unhold(L, field, amount)
  if amount ~= '0' then redis.call('HINCRBY', L, 'reserved', '-' .. amount) end
  redis.call('HDEL', L, field)
end
`;

/** Frees the holds of one level (L, Z) that expired by `now` (the ARGV string as is). */
const PURGE = `${UNHOLD}
local function purge(L, Z, now)
  local expired = redis.call('ZRANGEBYSCORE', Z, '-inf', now)
  if #expired == 0 then return end
  for j = 1, #expired do
    local field = 'r:' .. expired[j]
    local amount = redis.call('HGET', L, field)
    if amount then
      unhold(L, field, amount)
    end
  end
  redis.call('ZREMRANGEBYSCORE', Z, '-inf', now)
end
`;

/** Sets a key's expiry to `ms` unless it already lives longer. */
const EXTEND = `
local function extend(key, ms)
  if redis.call('PTTL', key) < tonumber(ms) then redis.call('PEXPIRE', key, ms) end
end
`;

/**
 * KEYS record, then L1, Z1, L2, Z2, …; ARGV requestId, now, amount, expiresAt, dropAt,
 * ttlMs, recordTtlMs, then per level limit and keyTtlMs →
 * {1} reserved (or replayed), {0, level index, spent, reserved} refused, {-1} id reused.
 */
export const BUDGET_RESERVE: LuaScript = {
  name: 'budget-reserve',
  source: `${PURGE}${EXTEND}
local id = ARGV[1]
local now = tonumber(ARGV[2])
local amount = tonumber(ARGV[3])
local record = KEYS[1]
local r = redis.call('HMGET', record, 's', 'e', 'd')
if r[1] and tonumber(r[3]) > now then
  if r[1] == 'r' and tonumber(r[2]) > now then return {1} end
  return {-1}
end
local n = (#KEYS - 1) / 2
for i = 1, n do
  local L = KEYS[2 * i]
  purge(L, KEYS[2 * i + 1], ARGV[2])
  local v = redis.call('HMGET', L, 'spent', 'reserved')
  local spent = tonumber(v[1]) or 0
  local reserved = tonumber(v[2]) or 0
  if spent + reserved + amount > tonumber(ARGV[6 + 2 * i]) then
    return {0, i, v[1] or '0', v[2] or '0'}
  end
end
local field = 'r:' .. id
local levels = {}
for i = 1, n do
  local L = KEYS[2 * i]
  local Z = KEYS[2 * i + 1]
  redis.call('HINCRBY', L, 'reserved', ARGV[3])
  redis.call('HSET', L, field, ARGV[3])
  redis.call('ZADD', Z, ARGV[4], id)
  extend(L, ARGV[7 + 2 * i])
  extend(Z, ARGV[7 + 2 * i])
  levels[2 * i - 1] = L
  levels[2 * i] = Z
end
redis.call('DEL', record)
redis.call('HSET', record, 's', 'r', 'e', ARGV[4], 'd', ARGV[5], 't', ARGV[6],
  'k', cjson.encode(levels))
redis.call('PEXPIRE', record, ARGV[7])
return {1}
`,
};

/**
 * Settle and release: KEYS record; ARGV requestId, now, amount to charge →
 * 1 applied, 2 already finished, 0 unknown. Release charges nothing.
 */
function finishScript(finalState: 's' | 'x', charges: boolean): string {
  return `${UNHOLD}
local id = ARGV[1]
local now = tonumber(ARGV[2])
local record = KEYS[1]
local r = redis.call('HMGET', record, 's', 'd', 't', 'k')
if not r[1] or tonumber(r[2]) <= now then return 0 end
if r[1] ~= 'r' then return 2 end
local ttl = r[3]
local levels = cjson.decode(r[4])
local field = 'r:' .. id
for i = 1, #levels, 2 do
  local L = levels[i]
  local amount = redis.call('HGET', L, field)
  if amount then
    unhold(L, field, amount)
    redis.call('ZREM', levels[i + 1], id)
  end
  ${charges ? "redis.call('HINCRBY', L, 'spent', ARGV[3])" : ''}
  -- A late settle may recreate a level whose key already expired: give it an expiry.
  if redis.call('PTTL', L) == -1 then redis.call('PEXPIRE', L, ttl) end
end
redis.call('HSET', record, 's', '${finalState}', 'd', string.format('%d', now + tonumber(ttl)))
redis.call('PEXPIRE', record, ttl)
return 1
`;
}

/** KEYS record; ARGV requestId, now, actual → 1 applied, 2 already finished, 0 unknown. */
export const BUDGET_SETTLE: LuaScript = { name: 'budget-settle', source: finishScript('s', true) };

/** KEYS record; ARGV requestId, now → 1 applied, 2 already finished, 0 unknown. */
export const BUDGET_RELEASE: LuaScript = {
  name: 'budget-release',
  source: finishScript('x', false),
};

/**
 * KEYS L1, Z1, L2, Z2, …; ARGV now → {spent, live reserved} per level. Read-only: the
 * expired holds are subtracted, not purged.
 */
export const BUDGET_USAGE: LuaScript = {
  name: 'budget-usage',
  source: `
local out = {}
for i = 1, #KEYS / 2 do
  local L = KEYS[2 * i - 1]
  local v = redis.call('HMGET', L, 'spent', 'reserved')
  local reserved = tonumber(v[2]) or 0
  local expired = redis.call('ZRANGEBYSCORE', KEYS[2 * i], '-inf', ARGV[1])
  for j = 1, #expired do
    reserved = reserved - (tonumber(redis.call('HGET', L, 'r:' .. expired[j])) or 0)
  end
  out[i] = {v[1] or '0', reserved}
end
return out
`,
};
