// Rate-limiter micro-benchmark: what acquire + settle add to a request, through RateLimiter
// and RedisRateLimitStore (one Lua script each, so two round trips) against the Redis on
// loopback. Run with `npm run bench:ratelimit` (issue 5, "Must show" 5: the limiter adds
// ≤ 0.3 ms p50 per request).
//
// Environment: BENCH_ITERATIONS (measured requests per phase, default 10000),
// BENCH_WARMUP_ITERATIONS (default 1000), BENCH_CONCURRENCY (default 16),
// BENCH_REDIS_URL (default redis://127.0.0.1:6379).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distLoader, positiveInt } from './lib/dist.mjs';

const fromDist = distLoader('rate-limit/redis-rate-limit.store.js', 'the rate limiter');
const { loadGatewayConfig } = fromDist('config/gateway-config.loader.js');
const { GatewayConfigService } = fromDist('config/gateway-config.service.js');
const { RedisConnection } = fromDist('redis/redis-connection.service.js');
const { systemClock } = fromDist('resilience/clock.js');
const { GatewayMetrics } = fromDist('observability/gateway-metrics.service.js');
const { RateLimiter } = fromDist('rate-limit/rate-limiter.service.js');
const { RateLimitMetrics } = fromDist('rate-limit/rate-limit.metrics.js');
const { RedisRateLimitStore } = fromDist('rate-limit/redis-rate-limit.store.js');

const ITERATIONS = positiveInt('BENCH_ITERATIONS', 10_000);
const WARMUP = positiveInt('BENCH_WARMUP_ITERATIONS', 1_000);
const CONCURRENCY = positiveInt('BENCH_CONCURRENCY', 16);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const GOAL_MS = 0.3;

// Every scope a request can meet, limits far above what the run takes, so every acquire
// is admitted and the scripts do their full work: 8 token buckets over 5 scopes.
const HUGE = 1_000_000_000;
const SCOPES = [
  { kind: 'key', id: 'key-1', requestsPerMinute: HUGE, tokensPerMinute: HUGE, failMode: 'open' },
  { kind: 'user', id: 'alice', tokensPerMinute: HUGE, failMode: 'open' },
  { kind: 'team', id: 'research', requestsPerMinute: HUGE, failMode: 'open' },
  { kind: 'model', id: 'gpt-4o', tokensPerMinute: HUGE, failMode: 'open' },
  {
    kind: 'global',
    id: '*',
    requestsPerMinute: HUGE,
    tokensPerMinute: HUGE,
    failMode: 'open',
  },
];
// The same, plus a concurrency limit on the key: release is a third script.
const WITH_CONCURRENCY = [{ ...SCOPES[0], concurrentRequests: 1_000_000 }, ...SCOPES.slice(1)];
const ESTIMATE = 4_000; // prompt + max_tokens
const ACTUAL = 350;

const keyPrefix = `bench:${randomBytes(6).toString('hex')}:`;
const config = new GatewayConfigService(
  loadGatewayConfig({ config: { redis: { url: REDIS_URL, keyPrefix } }, env: {} }),
);
const redis = new RedisConnection(config);
await redis.onModuleInit();
if (!redis.ready) {
  console.error(`Redis at ${REDIS_URL} is not reachable`);
  process.exit(2);
}
const limiter = new RateLimiter(
  config,
  systemClock,
  new RedisRateLimitStore(redis),
  new RateLimitMetrics(new GatewayMetrics()),
);

let sequence = 0;
/** One request's limiter work: acquire the estimate, settle the actual usage (and release). */
function request(scopes) {
  const release = scopes.some((scope) => scope.concurrentRequests !== undefined);
  return async () => {
    const started = performance.now();
    const decision = await limiter.acquire(`req-${sequence++}`, scopes, ESTIMATE);
    const acquired = performance.now();
    if (!decision.admitted) throw new Error(`acquire refused: ${JSON.stringify(decision)}`);
    if (scopes.length > 0 && decision.ticket.source !== 'store') {
      throw new Error(`acquire decided by ${decision.ticket.source}`);
    }
    await limiter.settle(decision.ticket, ACTUAL);
    if (release) await limiter.release(decision.ticket);
    const done = performance.now();
    return [done - started, acquired - started, done - acquired];
  };
}

async function ping() {
  const started = performance.now();
  await redis.ping();
  return [performance.now() - started];
}

/** Runs `iterations` calls of `op` with `concurrency` in flight; returns each call's timings. */
async function run(op, iterations, concurrency) {
  const samples = [];
  let started = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < iterations) {
        started++;
        samples.push(await op());
      }
    }),
  );
  return { samples, seconds: (performance.now() - began) / 1_000 };
}

/** Nearest-rank percentile: p99 of 10,000 is the 9,900th smallest. */
function percentile(sorted, p) {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summarize(name, concurrency, { samples, seconds }) {
  const column = (i) => Float64Array.from(samples, (s) => s[i]).sort();
  const stats = (sorted) => ({
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  });
  const result = {
    name,
    concurrency,
    iterations: samples.length,
    perSecond: samples.length / seconds,
    total: stats(column(0)),
  };
  if (samples[0].length > 1) {
    result.acquire = stats(column(1));
    result.finish = stats(column(2));
  }
  return result;
}

const load = loadavg()[0];
if (load > 0.5) console.error(`warning: load average ${load.toFixed(2)}: figures may be noisy`);

const MAIN = 'acquire + settle, 5 scopes';
const phases = [];
try {
  console.error(`warm-up: ${WARMUP} requests, ${WARMUP} pings`);
  await run(request(SCOPES), WARMUP, 1);
  await run(request(WITH_CONCURRENCY), WARMUP, 1);
  await run(ping, WARMUP, 1);
  for (const [name, op, concurrency] of [
    ['PING (round-trip floor)', ping, 1],
    ['no limits (no Redis call)', request([]), 1],
    [MAIN, request(SCOPES), 1],
    [MAIN, request(SCOPES), CONCURRENCY],
    ['acquire + settle + release, 5 scopes + concurrency', request(WITH_CONCURRENCY), 1],
  ]) {
    console.error(`${name}, concurrency ${concurrency}: ${ITERATIONS} iterations`);
    phases.push(summarize(name, concurrency, await run(op, ITERATIONS, concurrency)));
  }
} finally {
  // Bench only: KEYS is fine on a private prefix (the request path never scans).
  await redis.run(
    {
      name: 'bench-drop-prefix',
      source: `local keys = redis.call('KEYS', ARGV[1])
for i = 1, #keys do redis.call('DEL', keys[i]) end
return #keys`,
    },
    [],
    [`${keyPrefix}*`],
  );
  await redis.onModuleDestroy();
}

const ms = (value) => value.toFixed(3);
const rows = phases.map((p) => [
  p.name,
  String(p.concurrency),
  ms(p.total.p50),
  ms(p.total.p90),
  ms(p.total.p99),
  ms(p.total.max),
  p.acquire ? `${ms(p.acquire.p50)} / ${ms(p.finish.p50)}` : '-',
  Math.round(p.perSecond).toLocaleString('en-US'),
]);
const header = [
  'Operation',
  'Conc.',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'max ms',
  'acquire / finish p50',
  'per s',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(
  `Rate limiter acquire + settle through RateLimiter on Redis (${SCOPES.length} scopes, ` +
    `${ITERATIONS} iterations per phase)`,
);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));

const sequential = phases.find((p) => p.name === MAIN && p.concurrency === 1);
const met = sequential.total.p50 <= GOAL_MS;
console.log(
  `\nGoal: acquire + settle ≤ ${GOAL_MS} ms p50 per request (sequential, 5 scopes): ` +
    `${ms(sequential.total.p50)} ms — ${met ? 'met' : `missed by ${ms(sequential.total.p50 - GOAL_MS)} ms`}`,
);

const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `rate-limit-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      settings: { ITERATIONS, WARMUP, CONCURRENCY, REDIS_URL, scopes: SCOPES.length },
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverage: loadavg() },
      phases,
    },
    null,
    2,
  ),
);
console.log(`\nRaw results: ${file}`);
process.exitCode = met ? 0 : 1;
