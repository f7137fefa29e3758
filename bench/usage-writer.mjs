// Usage-writer throughput: rows/s sustained from UsageWriter.record() into the local
// PostgreSQL `usage_log` (batched, idempotent INSERTs), in process, against the compiled
// library. Run with `node tools/build.mjs && node bench/usage-writer.mjs`
// (issue 4, "Must show" 7: ≥ 5,000 rows/s).
//
// The producer records rows as fast as the writer absorbs them (it pauses while more than
// BENCH_MAX_PENDING rows wait in memory, so nothing spills to the buffer); the figure is
// rows / time from the first record() to the last row committed. Each run writes into a
// fresh schema `usage_bench_<random>`, dropped at the end.
//
// Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
// BENCH_ROWS (per run, default 100000), BENCH_BATCH_SIZES (default "500,1000"),
// BENCH_MAX_PENDING (default 5000), AIGW_DIST (compiled tree, default dist).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(process.env.AIGW_DIST ?? join(root, 'dist'), 'libs/ai-gateway/src');
if (!existsSync(join(lib, 'usage/usage-writer.service.js'))) {
  console.error('dist/ is missing the usage writer: run `node tools/build.mjs` first');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { Logger } = require('@nestjs/common');
const { DataSource } = require('typeorm');
const { GatewayMetrics } = require(join(lib, 'observability/gateway-metrics.service.js'));
const { systemClock } = require(join(lib, 'shared/clock.js'));
const { MemoryUsageBuffer } = require(join(lib, 'usage/memory-usage.buffer.js'));
const { createUsageDataSource } = require(join(lib, 'database/usage-data-source.js'));
const { UsageDatabase } = require(join(lib, 'database/usage-database.service.js'));
const { UsageMetrics } = require(join(lib, 'usage/usage.metrics.js'));
const { UsageRepository } = require(join(lib, 'usage/usage.repository.js'));
const { UsageWriter } = require(join(lib, 'usage/usage-writer.service.js'));

const count = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = count('BENCH_ROWS', 100_000);
const MAX_PENDING = count('BENCH_MAX_PENDING', 5_000);
const BATCH_SIZES = (process.env.BENCH_BATCH_SIZES ?? '500,1000').split(',').map(Number);
const GOAL = 5_000;
const WARMUP = 5_000;
const T0 = Date.UTC(2026, 10, 21);
Logger.overrideLogger(['error']);

const PROVIDERS = [
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-sonnet-4'],
  ['gemini', 'gemini-2.0-flash'],
  ['ollama', 'llama3.1:8b'],
];
/** A realistic row: every column filled, ids of the size the gateway produces. */
function row(run, n) {
  const [provider, model] = PROVIDERS[n % PROVIDERS.length];
  return {
    requestId: `${run}-${n.toString(36).padStart(8, '0')}-${'0'.repeat(20)}`,
    createdAt: T0 + n,
    keyId: `key_${n % 50}`,
    userId: `user-${n % 1_000}`,
    teamId: `team-${n % 20}`,
    task: n % 10 === 0 ? 'score' : null,
    route: 'smart',
    provider,
    model,
    promptTokens: 200 + (n % 500),
    completionTokens: 50 + (n % 300),
    cachedTokens: n % 3 === 0 ? 128 : 0,
    costMicroUsd: 120 + (n % 900),
    priced: true,
    priceSource: 'pricing-file',
    latencyMs: 300 + (n % 2_000),
    ttftMs: n % 2 === 0 ? 80 + (n % 100) : null,
    status: n % 50 === 0 ? 'rate_limited' : 'ok',
    errorCode: n % 50 === 0 ? 'rate_limited' : null,
    cacheStatus: n % 4 === 0 ? 'hit' : 'miss',
    attempts: n % 50 === 0 ? 2 : 1,
    fallbackChain: `${provider}/${model}=ok`,
    stream: n % 2 === 0,
    streamCompleted: n % 2 === 0 ? true : null,
    budgetNote: null,
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));

async function written(metrics) {
  const metric = metrics.registry.getSingleMetric('gateway_usage_rows_written_total');
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}

async function runOnce(batchSize) {
  const schema = `usage_bench_${randomBytes(5).toString('hex')}`;
  const run = randomBytes(3).toString('hex');
  const database = new UsageDatabase(createUsageDataSource({ databaseUrl: URL, schema }), {
    runMigrations: true,
  });
  await database.open();
  const repository = new UsageRepository(database);
  const metrics = new GatewayMetrics();
  const writer = new UsageWriter(
    repository,
    new MemoryUsageBuffer(1_000_000),
    new UsageMetrics(metrics),
    systemClock,
    { batchSize, flushIntervalMs: 200, sweepIntervalMs: 0 },
  );
  try {
    // Warm-up: JIT, pool connections, the first index pages.
    for (let n = 0; n < WARMUP; n++) writer.record(row(`w${run}`, n));
    await writer.flush();

    const base = await written(metrics);
    let recordNs = 0n;
    const started = process.hrtime.bigint();
    for (let n = 0; n < ROWS;) {
      const chunkStart = process.hrtime.bigint();
      const end = Math.min(ROWS, n + 500);
      for (; n < end; n++) writer.record(row(run, n));
      recordNs += process.hrtime.bigint() - chunkStart;
      await yieldToIo();
      while (writer.status.pending > MAX_PENDING) await sleep(1);
    }
    await writer.flush();
    while ((await written(metrics)) - base < ROWS) await sleep(1);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const [{ rows }] = await (
      await database.open()
    ).query(`SELECT count(*)::int AS rows FROM "${schema}".usage_log`);
    const dropped = (
      await metrics.registry.getSingleMetric('gateway_usage_rows_dropped_total').get()
    ).values.reduce((sum, v) => sum + v.value, 0);
    return {
      batchSize,
      rows: ROWS,
      seconds: Number(seconds.toFixed(3)),
      rowsPerSecond: Math.round(ROWS / seconds),
      recordMicrosPerRow: Number((Number(recordNs) / 1e3 / ROWS).toFixed(3)),
      storedRows: rows,
      dropped,
    };
  } finally {
    await writer.close(5_000);
    await database.close();
    const admin = new DataSource({ type: 'postgres', url: URL, poolSize: 1 });
    await admin.initialize();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.destroy();
  }
}

const results = [];
for (const batchSize of BATCH_SIZES) {
  const result = await runOnce(batchSize);
  results.push(result);
  console.log(
    `batch ${String(batchSize).padStart(5)}: ${result.rowsPerSecond.toLocaleString('en-US')} rows/s ` +
      `(${result.rows.toLocaleString('en-US')} rows in ${result.seconds} s, record() ${result.recordMicrosPerRow} µs/row, ` +
      `stored ${result.storedRows.toLocaleString('en-US')} incl. ${WARMUP.toLocaleString('en-US')} warm-up, dropped ${result.dropped})`,
  );
}

const best = Math.max(...results.map((r) => r.rowsPerSecond));
const atDefault = results.find((r) => r.batchSize === 500) ?? results[0];
const problems = [];
if (atDefault.rowsPerSecond < GOAL) {
  problems.push(
    `batch ${atDefault.batchSize}: ${atDefault.rowsPerSecond} rows/s < goal ${GOAL} (missed by ${GOAL - atDefault.rowsPerSecond})`,
  );
}
for (const r of results) {
  if (r.storedRows !== r.rows + WARMUP || r.dropped !== 0)
    problems.push(`batch ${r.batchSize}: rows lost`);
}
const resultsDir = join(root, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const file = join(
  resultsDir,
  `usage-writer-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
);
writeFileSync(
  file,
  JSON.stringify(
    { goalRowsPerSecond: GOAL, best, results, problems, node: process.version },
    null,
    2,
  ),
);
console.log(problems.length === 0 ? `\ngoal ≥ ${GOAL} rows/s: met` : `\n${problems.join('\n')}`);
console.log(`Raw results: ${relative(process.cwd(), file)}`);
process.exitCode = problems.length === 0 ? 0 : 1;
