// The measuring and reporting of the in-process Redis micro-benchmarks (budgets, rate
// limits): a private key prefix on the machine's Redis, closed-loop phases with exact
// per-call timings, a Markdown-style table, the goal check and the raw results file.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { positiveInt } from './dist.mjs';

/**
 * The settings every micro-benchmark reads from the environment: BENCH_ITERATIONS
 * (measured calls per phase, default 10000), BENCH_WARMUP_ITERATIONS (default 1000),
 * BENCH_CONCURRENCY (default 16), BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 */
export function microBenchSettings() {
  return {
    ITERATIONS: positiveInt('BENCH_ITERATIONS', 10_000),
    WARMUP: positiveInt('BENCH_WARMUP_ITERATIONS', 1_000),
    CONCURRENCY: positiveInt('BENCH_CONCURRENCY', 16),
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

/**
 * Connects the library's `RedisConnection` (from `fromDist`, see dist.mjs) to `url` under
 * a fresh `bench:<random>:` prefix; exits with code 2 when Redis is not reachable.
 */
async function openBenchRedis(fromDist, url) {
  const { loadGatewayConfig } = fromDist('config/gateway-config.loader.js');
  const { GatewayConfigService } = fromDist('config/gateway-config.service.js');
  const { RedisConnection } = fromDist('redis/redis-connection.service.js');
  const keyPrefix = `bench:${randomBytes(6).toString('hex')}:`;
  const config = new GatewayConfigService(
    loadGatewayConfig({ config: { redis: { url, keyPrefix } }, env: {} }),
  );
  const redis = new RedisConnection(config);
  await redis.onModuleInit();
  if (!redis.ready) {
    console.error(`Redis at ${url} is not reachable`);
    process.exit(2);
  }
  return { config, redis, keyPrefix };
}

/** Deletes the run's keys and disconnects (bench only: KEYS is fine on a private prefix). */
async function closeBenchRedis({ redis, keyPrefix }) {
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

/** One PING, timed: the round-trip floor under every script call. */
function pingOp(redis) {
  return async () => {
    const started = performance.now();
    await redis.ping();
    return [performance.now() - started];
  };
}

/**
 * Runs `iterations` calls of `op` with `concurrency` in flight; returns each call's
 * timings (the array `op` resolves to: total first, then its parts) and the seconds taken.
 */
async function runOp(op, iterations, concurrency) {
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

/** p50, p90, p99 and max of each timing column; `parts` names the columns after the total. */
function summarize(name, concurrency, { samples, seconds }, parts) {
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
  if (samples[0].length > 1) parts.forEach((part, i) => (result[part] = stats(column(i + 1))));
  return result;
}

/**
 * Warns when the machine is busy, warms up (`warmups`: ops run `warmup` times each, one
 * at a time), then measures each `[name, op, concurrency]` of `phases` for `iterations`.
 */
async function measurePhases({ warmups, warmup, phases, iterations, parts }) {
  const load = loadavg()[0];
  if (load > 0.5) console.error(`warning: load average ${load.toFixed(2)}: figures may be noisy`);
  console.error(`warm-up: ${warmup} calls of ${warmups.length} kinds`);
  for (const op of warmups) await runOp(op, warmup, 1);
  const measured = [];
  for (const [name, op, concurrency] of phases) {
    console.error(`${name}, concurrency ${concurrency}: ${iterations} iterations`);
    measured.push(summarize(name, concurrency, await runOp(op, iterations, concurrency), parts));
  }
  return measured;
}

const ms = (value) => value.toFixed(3);

/**
 * Prints the table of `phases` under `title`, checks the sequential phase `goal.phase`
 * against `goal.ms` (p50 of the total) and writes the raw results to
 * `bench/results/<name>-<timestamp>.json`. Returns whether the goal was met.
 */
function report({ name, title, phases, parts, goal, settings }) {
  const [first, second] = parts;
  const rows = phases.map((p) => [
    p.name,
    String(p.concurrency),
    ms(p.total.p50),
    ms(p.total.p90),
    ms(p.total.p99),
    ms(p.total.max),
    p[first] ? `${ms(p[first].p50)} / ${ms(p[second].p50)}` : '-',
    Math.round(p.perSecond).toLocaleString('en-US'),
  ]);
  const header = [
    'Operation',
    'Conc.',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'max ms',
    `${first} / ${second} p50`,
    'per s',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(title);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));

  const sequential = phases.find((p) => p.name === goal.phase && p.concurrency === 1);
  const met = sequential.total.p50 <= goal.ms;
  const missed = `missed by ${ms(sequential.total.p50 - goal.ms)} ms`;
  console.log(
    `\nGoal: ${goal.label} ≤ ${goal.ms} ms p50 per request (${goal.scope}): ` +
      `${ms(sequential.total.p50)} ms — ${met ? 'met' : missed}`,
  );

  const resultsDir = fileURLToPath(new URL('../results', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, loadAverage: loadavg() };
  writeFileSync(file, JSON.stringify({ settings, machine, phases }, null, 2));
  console.log(`\nRaw results: ${file}`);
  return met;
}

/**
 * A whole micro-benchmark: opens Redis under a private prefix, lets `setup` build what it
 * measures (`setup({ config, redis, ping })` → `{ warmups, phases }`, see measurePhases),
 * measures, deletes the run's keys, prints the report and sets the exit code (1: goal
 * missed). `settings` (from microBenchSettings, plus anything worth keeping) go into the
 * raw results; `name`, `title`, `parts` and `goal` are report's.
 */
export async function runMicroBench({ fromDist, settings, setup, name, title, parts, goal }) {
  const bench = await openBenchRedis(fromDist, settings.REDIS_URL);
  let phases;
  try {
    const ping = pingOp(bench.redis);
    const { warmups, phases: planned } = setup({ config: bench.config, redis: bench.redis, ping });
    phases = await measurePhases({
      warmups,
      warmup: settings.WARMUP,
      phases: planned,
      iterations: settings.ITERATIONS,
      parts,
    });
  } finally {
    await closeBenchRedis(bench);
  }
  const met = report({ name, title, phases, parts, goal, settings });
  process.exitCode = met ? 0 : 1;
}
