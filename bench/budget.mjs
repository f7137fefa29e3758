// Budget micro-benchmark: what reserve + settle add to a request, through BudgetService
// and RedisBudgetStore (two Lua scripts, two round trips) against the Redis on loopback.
// Run with `node tools/build.mjs && node bench/budget.mjs` (issue 4, "Must show" 7:
// ≤ 0.5 ms p50 per request).
//
// Environment: BENCH_ITERATIONS (measured reserve + settle pairs per phase, default 10000),
// BENCH_WARMUP_ITERATIONS (default 1000), BENCH_CONCURRENCY (default 16),
// BENCH_REDIS_URL (default redis://127.0.0.1:6379).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distLoader, positiveInt } from './lib/dist.mjs';

const fromDist = distLoader('budget/redis-budget.store.js', 'the budget store');
const { loadGatewayConfig } = fromDist('config/gateway-config.loader.js');
const { GatewayConfigService } = fromDist('config/gateway-config.service.js');
const { RedisConnection } = fromDist('redis/redis-connection.service.js');
const { systemClock } = fromDist('resilience/clock.js');
const { BudgetService } = fromDist('budget/budget.service.js');
const { RedisBudgetStore } = fromDist('budget/redis-budget.store.js');

const ITERATIONS = positiveInt('BENCH_ITERATIONS', 10_000);
const WARMUP = positiveInt('BENCH_WARMUP_ITERATIONS', 1_000);
const CONCURRENCY = positiveInt('BENCH_CONCURRENCY', 16);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const GOAL_MS = 0.5;

// Every level a request can meet: provider (daily and monthly caps), key, user, team.
// Limits far above what the run spends, so every reservation is admitted and the
// scripts do their full work (purge check, four holds, four expiries).
const HUGE = 1_000_000_000_000;
const LEVELS = [
  { scope: 'provider', id: 'openai', limitMicroUsd: HUGE, period: 'daily' },
  { scope: 'provider', id: 'openai', limitMicroUsd: HUGE, period: 'monthly' },
  { scope: 'key', id: 'key-1', limitMicroUsd: HUGE, period: 'monthly' },
  { scope: 'user', id: 'alice', limitMicroUsd: HUGE, period: 'daily' },
  { scope: 'team', id: 'research', limitMicroUsd: HUGE, period: 'monthly' },
];
const WORST_CASE = 20_000; // $0.02
const ACTUAL = 5_000;

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
const budgets = new BudgetService(config, systemClock, new RedisBudgetStore(redis));

let sequence = 0;
/** One request's budget work: reserve the worst case, settle the actual cost. */
async function reserveAndSettle() {
  const id = `req-${sequence++}`;
  const started = performance.now();
  const decision = await budgets.reserve(id, LEVELS, WORST_CASE);
  const reserved = performance.now();
  if (decision.outcome !== 'reserved') throw new Error(`reserve answered ${decision.outcome}`);
  const outcome = await budgets.settle(id, ACTUAL);
  if (outcome !== 'applied') throw new Error(`settle answered ${outcome}`);
  const done = performance.now();
  return [done - started, reserved - started, done - reserved];
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
    result.reserve = stats(column(1));
    result.settle = stats(column(2));
  }
  return result;
}

const load = loadavg()[0];
if (load > 0.5) console.error(`warning: load average ${load.toFixed(2)}: figures may be noisy`);

const phases = [];
try {
  console.error(`warm-up: ${WARMUP} reserve + settle, ${WARMUP} pings`);
  await run(reserveAndSettle, WARMUP, 1);
  await run(ping, WARMUP, 1);
  for (const [name, op, concurrency] of [
    ['PING (round-trip floor)', ping, 1],
    ['reserve + settle', reserveAndSettle, 1],
    ['reserve + settle', reserveAndSettle, CONCURRENCY],
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
  p.reserve ? `${ms(p.reserve.p50)} / ${ms(p.settle.p50)}` : '-',
  Math.round(p.perSecond).toLocaleString('en-US'),
]);
const header = [
  'Operation',
  'Conc.',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'max ms',
  'reserve / settle p50',
  'per s',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(
  `Budget reserve + settle through BudgetService on Redis (${LEVELS.length} levels, ` +
    `${ITERATIONS} iterations per phase)`,
);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));

const sequential = phases.find((p) => p.name === 'reserve + settle' && p.concurrency === 1);
const met = sequential.total.p50 <= GOAL_MS;
console.log(
  `\nGoal: reserve + settle ≤ ${GOAL_MS} ms p50 per request (sequential): ` +
    `${ms(sequential.total.p50)} ms — ${met ? 'met' : `missed by ${ms(sequential.total.p50 - GOAL_MS)} ms`}`,
);

const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `budget-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      settings: { ITERATIONS, WARMUP, CONCURRENCY, REDIS_URL, levels: LEVELS.length },
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverage: loadavg() },
      phases,
    },
    null,
    2,
  ),
);
console.log(`\nRaw results: ${file}`);
process.exitCode = met ? 0 : 1;
