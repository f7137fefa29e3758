// The embedded store's cost on the request path: the same load through a gateway on the
// in-memory store (sql.js, `usage.store: memory`) and on the file store (SQLite in
// ./data through better-sqlite3, its writes on a database thread — the default), in
// alternating runs, gateway pinned to one core and the load on the other. Then the file
// store's writer alone: rows/s and how long it holds the event loop, beside sql.js's.
// Run with `npm run bench:file-store` (builds first).
//
// Environment: BENCH_DURATION (s per run, default 8), BENCH_ROUNDS (default 3),
// BENCH_CONNECTIONS (default 64), BENCH_ROWS (writer phase, default 100000).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { runLoad } from './lib/load.mjs';
import { watchProcess } from './lib/proc-stats.mjs';
import {
  installCleanup,
  pinSelf,
  runBenchmark,
  startFake,
  startGateway,
  stopAll,
} from './lib/processes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const seconds = Number(process.env.BENCH_DURATION ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const rowsToWrite = Number(process.env.BENCH_ROWS ?? 100_000);
const log = (line) => process.stderr.write(`${line}\n`);
const body = JSON.stringify({
  model: 'bench-model',
  messages: [{ role: 'user', content: 'Measure how much the usage store adds to each request' }],
});

async function throughGateway(store, fakeUrl) {
  process.env.AI_GATEWAY_STORE = store;
  const gateway = await startGateway({ root, core: 1, fakeUrl });
  const url = `${gateway.url}/v1/chat/completions`;
  await runLoad({ url, body, connections, seconds: 2 });
  const watch = watchProcess(gateway.child.pid);
  const run = await runLoad({ url, body, connections, seconds });
  const stats = watch.stop();
  // Every request's row is in the store once the writer's last flush has landed.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const summary = await (await fetch(`${gateway.url}/v1/usage/summary?period=1h`)).json();
  const rows = summary.groups?.[0]?.requests ?? 0;
  gateway.child.kill('SIGTERM');
  await gateway.child.exited;
  return {
    store,
    rps: run.rps,
    p50: run.latencyMs.p50,
    p99: run.latencyMs.p99,
    cpuUsPerRequest: (stats.cpuMs * 1000) / run.ok,
    rssMb: stats.peakRssMb,
    failed: run.errors + run.timeouts + run.non2xx,
    requests: run.requests,
    rows,
  };
}

function usageRows(n, offset) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    requestId: `bench-${offset + i}`,
    createdAt: now - i,
    keyId: `key_${i % 50}`,
    userId: `user_${i % 200}`,
    provider: 'openai',
    model: i % 2 ? 'gpt-4o-mini' : 'gpt-4o',
    promptTokens: 100 + (i % 900),
    completionTokens: 20 + (i % 300),
    cachedTokens: 0,
    costMicroUsd: 150 + i,
    costSavedMicroUsd: 0,
    priced: true,
    latencyMs: 50 + (i % 2000),
    ttftMs: i % 3 ? null : 20 + (i % 400),
    status: 'ok',
    cacheStatus: 'miss',
    attempts: 1,
    stream: i % 3 === 0,
  }));
}

/** The writer alone: 500-row batches as the usage writer sends them, the loop delay watched. */
async function writer(store) {
  const lib = join(root, 'dist/libs/ai-gateway/src');
  const { createUsageDataSource } = require(join(lib, 'database/usage-data-source.js'));
  const { UsageDatabase } = require(join(lib, 'database/usage-database.service.js'));
  const { UsageRepository } = require(join(lib, 'usage/usage.repository.js'));
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-file-store-'));
  const database = new UsageDatabase(createUsageDataSource({ store, dataDir }), {
    runMigrations: true,
  });
  await database.open();
  const repository = new UsageRepository(database);
  const rows = usageRows(rowsToWrite, 0);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 500) {
    await repository.insertBatch(rows.slice(i, i + 500));
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The in-memory store defers its inserts to the first read: count() makes it pay.
  const count = await repository.count();
  const ms = performance.now() - started;
  delay.disable();
  const summaryStarted = performance.now();
  const summaryDelay = monitorEventLoopDelay({ resolution: 1 });
  summaryDelay.enable();
  const { UsageAnalytics } = require(join(lib, 'usage/analytics/usage-analytics.service.js'));
  await new UsageAnalytics(repository, { now: () => Date.now() }).summary({
    period: '24h',
    groupBy: 'model',
  });
  const summaryMs = performance.now() - summaryStarted;
  summaryDelay.disable();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    store,
    rows: count,
    rowsPerSecond: Math.round((count / ms) * 1000),
    loopP99Ms: delay.percentile(99) / 1e6,
    loopMaxMs: delay.max / 1e6,
    summaryMs,
    summaryLoopMaxMs: summaryDelay.max / 1e6,
  };
}

async function main() {
  installCleanup();
  require('@nestjs/common').Logger.overrideLogger(false);
  // The writer first, unpinned: its database thread may use the second core, as it does in
  // a gateway that is not pinned.
  log('writer alone…');
  const writers = [await writer('file'), await writer('memory')];
  pinSelf(0);
  const fake = await startFake({ root, core: 0 });
  const results = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate which store goes first, so drift of the machine hits both.
    const order = round % 2 ? ['memory', 'file'] : ['file', 'memory'];
    for (const store of order) {
      const result = await throughGateway(store, fake.url);
      results.push({ round, ...result });
      log(
        `round ${round} ${store.padEnd(6)} ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, CPU ${result.cpuUsPerRequest.toFixed(0)} µs/req, ${result.rows} rows of ${result.requests} requests, failed ${result.failed}`,
      );
    }
  }
  await stopAll();
  const mean = (store, field) => {
    const xs = results.filter((r) => r.store === store).map((r) => r[field]);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const table = ['rps', 'p50', 'p99', 'cpuUsPerRequest', 'rssMb'].map((field) => ({
    field,
    memory: mean('memory', field),
    file: mean('file', field),
    ratio: mean('file', field) / mean('memory', field),
  }));
  console.log(
    `\nthrough the gateway, ${connections} connections, ${rounds} rounds × ${seconds} s each:`,
  );
  console.table(
    table.map((r) => ({
      ...r,
      memory: +r.memory.toFixed(2),
      file: +r.file.toFixed(2),
      ratio: +r.ratio.toFixed(3),
    })),
  );
  console.log(
    `\nthe writer alone, ${rowsToWrite} rows in 500-row batches, then a 24 h summary by model:`,
  );
  console.table(writers);
  log('(the memory store keeps its newest 10,000 rows only)');
  if (results.some((r) => r.failed > 0)) {
    process.exitCode = 1;
    log('FAILED: some requests did not succeed');
  }
}

runBenchmark(main);
