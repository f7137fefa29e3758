// Task queue benchmark (issue 7): jobs/s through the queue with the fake provider at 0 ms
// and 500 ms latency and worker concurrency 1, 10 and 50, and the queue wait. See
// bench/README.md ("Task queue"). Run with `npm run bench:tasks` (builds first).
//
// Per latency × concurrency: one worker process (dist/apps/worker) pinned to its own core;
// a warm-up; a burst of N parse jobs (added while the queue is paused, then released) for
// jobs/s and the backlog wait; then a paced phase at half that rate for the pick-up wait.
// Jobs go straight into BullMQ (the gateway's HTTP API is not part of the measurement).
//
// Environment: BENCH_TASK_LATENCIES (default "0,500"), BENCH_TASK_CONCURRENCY (default
// "1,10,50"), BENCH_TASK_JOBS (burst size for every run; default per run, below),
// BENCH_TASK_PACED_SECONDS (5), BENCH_TASK_PACED_SHARE (0.5), BENCH_TASK_TIMEOUT (s per
// phase, 180), BENCH_REDIS_URL (redis://127.0.0.1:6379), BENCH_WORKER_CORE (1),
// BENCH_LOAD_CORE (0), BENCH_WORKER_ENTRY (another worker build).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { fakeRequestCount, metricTotal } from './lib/counters.mjs';
import { watchProcess } from './lib/proc-stats.mjs';
import {
  installCleanup,
  pinSelf,
  reportProblems,
  runBenchmark,
  startFake,
  startWorker,
  stopAll,
} from './lib/processes.mjs';
import {
  addAll,
  addBurst,
  addPaced,
  dropRun,
  openQueue,
  parseJobs,
  readJobs,
  taskQueueNames,
  waitForFinished,
} from './lib/task-queue.mjs';
import { burstFigures, markdownReport, pacedFigures, textReport } from './lib/task-report.mjs';
import { parseFixtures, scriptFake, workerConfig } from './lib/task-setup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const log = (line) => process.stderr.write(`${line}\n`);
const list = (name, fallback) =>
  (env[name] ?? fallback).split(',').map((v) => {
    const n = Number(v.trim());
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: "${v}" is not an integer ≥ 0`);
    return n;
  });
const num = (name, fallback) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number (got "${env[name]}")`);
  return value;
};

const settings = {
  latencies: list('BENCH_TASK_LATENCIES', '0,500'),
  concurrencies: list('BENCH_TASK_CONCURRENCY', '1,10,50').filter((c) => c > 0),
  jobs: env.BENCH_TASK_JOBS === undefined ? undefined : Math.round(num('BENCH_TASK_JOBS')),
  pacedSeconds: num('BENCH_TASK_PACED_SECONDS', 5),
  pacedShare: num('BENCH_TASK_PACED_SHARE', 0.5),
  pacedMinJobs: 10,
  timeoutMs: num('BENCH_TASK_TIMEOUT', 180) * 1000,
  redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  workerCore: Number(env.BENCH_WORKER_CORE ?? 1),
  loadCore: Number(env.BENCH_LOAD_CORE ?? 0),
};

/** Burst sizes for about 5–10 s per run (0 ms: about 230, 370 and 320 jobs/s at c 1, 10, 50 on a 2-core EPYC VM). */
const DEFAULT_JOBS = { 0: { 1: 1500, 10: 2500, 50: 2500 }, 500: { 1: 12, 10: 100, 50: 500 } };

function burstSize(latencyMs, concurrency) {
  if (settings.jobs) return settings.jobs;
  const known = DEFAULT_JOBS[latencyMs]?.[concurrency];
  if (known) return known;
  // Other settings: about 6 s of model waits, or 1,000 jobs without latency.
  return latencyMs > 0 ? Math.max(10, Math.round((6000 * concurrency) / latencyMs)) : 1000;
}

/** Warm-up before measuring: enough jobs for the JIT, at most about a second of model waits. */
function warmupSize(latencyMs, concurrency) {
  return latencyMs > 0 ? Math.max(2, 2 * concurrency) : 200;
}

/** `_sum` and `_count` of a worker histogram (all label sets). */
async function histogram(workerUrl, name) {
  return {
    sum: await metricTotal(workerUrl, `${name}_sum`),
    count: await metricTotal(workerUrl, `${name}_count`),
  };
}
const meanMsBetween = (before, after) =>
  after.count > before.count
    ? ((after.sum - before.sum) * 1000) / (after.count - before.count)
    : NaN;

async function stopChild(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin.end();
  child.kill('SIGTERM');
  await Promise.race([child.exited, sleep(graceMs)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await child.exited;
}

const idsOf = (jobs) => jobs.map((j) => j.opts.jobId);

/** Warm-up: enough jobs for the JIT; the run stops here when the setup is broken. */
async function warmUp({ queue, worker, settle, inputOf }, count) {
  const warm = parseJobs('warmup', count, inputOf('warmup'));
  await addAll(queue, warm);
  await settle(warm.length);
  const failed = (await readJobs(queue, idsOf(warm))).find((j) => j.failedReason || j.missing);
  if (failed) {
    throw new Error(
      `warm-up job ${failed.id} failed: ${failed.failedReason ?? 'missing'}\nthe worker's last output:\n${worker.child.output.trim().slice(-2000)}`,
    );
  }
}

/** The burst: jobs/s, backlog wait, run time, model calls, worker CPU and RSS. */
async function burstPhase({ queue, worker, fake, settle, inputOf }, count) {
  const jobs = parseJobs('burst', count, inputOf('burst'));
  const callsBefore = await fakeRequestCount(fake.url);
  const runBefore = await histogram(worker.url, 'gateway_task_job_duration_seconds');
  const watcher = watchProcess(worker.child.pid);
  const { releasedAt } = await addBurst(queue, jobs);
  await settle(jobs.length);
  const proc = watcher.stop();
  const figures = burstFigures(await readJobs(queue, idsOf(jobs)), releasedAt);
  const runAfter = await histogram(worker.url, 'gateway_task_job_duration_seconds');
  // Over the processing window only: the worker idles while the paused burst is added.
  const spanMs = figures.spanMs > 0 ? figures.spanMs : proc.wallMs;
  return {
    burst: {
      ...figures,
      fakeCalls: (await fakeRequestCount(fake.url)) - callsBefore,
      metricMeanRunMs: meanMsBetween(runBefore, runAfter),
    },
    worker: {
      cpuMs: proc.cpuMs,
      cpuPercent: (proc.cpuMs / spanMs) * 100,
      cpuMsPerJob: proc.cpuMs / count,
      peakRssMb: proc.peakRssMb,
      meanRssMb: proc.meanRssMb,
    },
  };
}

/** The paced phase: jobs added one by one at `rate` per second; their queue wait. */
async function pacedPhase({ queue, worker, settle, inputOf }, rate) {
  const count = Math.max(settings.pacedMinJobs, Math.round(rate * settings.pacedSeconds));
  const jobs = parseJobs('paced', count, inputOf('paced'));
  const waitBefore = await histogram(worker.url, 'gateway_task_queue_wait_seconds');
  const { achievedPerSecond } = await addPaced(queue, jobs, rate);
  await settle(jobs.length);
  const waitAfter = await histogram(worker.url, 'gateway_task_queue_wait_seconds');
  return {
    targetPerSecond: rate,
    achievedPerSecond,
    ...pacedFigures(await readJobs(queue, idsOf(jobs))),
    // The worker's own histogram of the same waits, as a cross-check.
    metricMeanWaitMs: meanMsBetween(waitBefore, waitAfter),
  };
}

/** One latency × concurrency: its own worker, queue prefix and keys, removed afterwards. */
async function runOne({ fake, fixture, names, latencyMs, concurrency }) {
  const prefix = `bench-tasks-${randomUUID().slice(0, 8)}`;
  const { redisUrl } = settings;
  const queue = openQueue({ redisUrl, prefix, name: names.tasks });
  const webhooks = openQueue({ redisUrl, prefix, name: names.webhooks });
  let worker;
  try {
    worker = await startWorker({
      root,
      core: settings.workerCore,
      configYaml: workerConfig({ fakeUrl: fake.url, redisUrl, prefix, concurrency }),
      // No usage rows in PostgreSQL: the run measures the queue and the worker.
      env: { REDIS_URL: redisUrl, DATABASE_URL: '' },
    });
    const alive = () => worker.child.exitCode === null && worker.child.signalCode === null;
    // Finished jobs are counted over the whole run: each phase waits for its own on top.
    let finished = 0;
    const ctx = {
      queue,
      worker,
      fake,
      settle: (added) =>
        waitForFinished(queue, (finished += added), {
          timeoutMs: settings.timeoutMs,
          stillRunning: alive,
        }),
      inputOf: (phase) => (i) => ({
        resumeText: `${fixture.resume}\nReference: ${prefix}-${phase}-${i}`,
      }),
    };
    await warmUp(ctx, warmupSize(latencyMs, concurrency));
    const jobs = burstSize(latencyMs, concurrency);
    const { burst, worker: proc } = await burstPhase(ctx, jobs);
    const rate = settings.pacedShare * burst.jobsPerSecond;
    const paced = Number.isFinite(rate) && rate > 0 ? await pacedPhase(ctx, rate) : undefined;
    return { latencyMs, concurrency, jobs, prefix, burst, paced, worker: proc };
  } finally {
    if (worker) await stopChild(worker.child);
    await dropRun({ redisUrl, prefix, queues: [queue, webhooks] });
  }
}

function problemsOf(results) {
  const problems = [];
  for (const r of results) {
    const at = `${r.latencyMs} ms, concurrency ${r.concurrency}`;
    for (const [phase, x] of [
      ['burst', r.burst],
      ['paced', r.paced],
    ]) {
      if (!x) continue;
      if (x.failed || x.missing)
        problems.push(
          `${at}, ${phase}: ${x.failed} failed, ${x.missing} missing (${x.failedReasons.join('; ')})`,
        );
    }
    if (r.burst.fakeCalls !== r.jobs)
      problems.push(`${at}: ${r.burst.fakeCalls} model calls for ${r.jobs} burst jobs`);
  }
  return problems;
}

async function main() {
  const entry = env.BENCH_WORKER_ENTRY ?? join(root, 'dist/apps/worker/src/main.js');
  if (!existsSync(entry))
    throw new Error(
      `${entry} is missing: run \`node tools/build.mjs\` (or \`npm run bench:tasks\`)`,
    );
  if (cpus().length < 2)
    log(`warning: ${cpus().length} CPU(s) available; the worker will share a core with the load`);
  installCleanup();
  pinSelf(settings.loadCore);
  const [load1] = loadavg();
  if (load1 > 0.5)
    log(`warning: load average ${load1.toFixed(2)} before starting: figures will be noisy`);

  const fixture = parseFixtures(root, log);
  const names = taskQueueNames(root);
  const fake = await startFake({ root, core: settings.loadCore });
  log(
    `task queue benchmark: latencies ${settings.latencies.join(', ')} ms × concurrency ${settings.concurrencies.join(', ')}; fake provider ${fake.url} (core ${settings.loadCore}), worker on core ${settings.workerCore}`,
  );

  const startedAt = new Date();
  const results = [];
  for (const latencyMs of settings.latencies) {
    await scriptFake(fake.url, fixture.answer, latencyMs);
    for (const concurrency of settings.concurrencies) {
      const r = await runOne({ fake, fixture, names, latencyMs, concurrency });
      results.push(r);
      const w = r.paced?.queueWaitMs;
      log(
        `  ${String(latencyMs).padStart(4)} ms  c${String(concurrency).padEnd(3)} ${String(r.jobs).padStart(5)} jobs  ${r.burst.jobsPerSecond.toFixed(1).padStart(7)} jobs/s  backlog wait p95 ${(r.burst.backlogWaitMs.p95 / 1000).toFixed(2)} s  paced ${r.paced ? `${r.paced.achievedPerSecond.toFixed(1)} jobs/s, wait p50/p95/p99 ${w.p50}/${w.p95}/${w.p99} ms` : '-'}  failed ${r.burst.failed + (r.paced?.failed ?? 0)}`,
      );
    }
  }

  const meta = {
    startedAt: startedAt.toISOString(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}`,
    workerCore: settings.workerCore,
    loadCore: settings.loadCore,
    redis: settings.redisUrl.replace(/\/\/[^@/]*@/, '//'),
    pacedShare: settings.pacedShare,
    pacedSeconds: settings.pacedSeconds,
    pacedMinJobs: settings.pacedMinJobs,
    fixtures: fixture.source === 'library' ? 'PARSE_ANSWER (resume testing module)' : 'placeholder',
    loadAverageBefore: load1,
    loadAverageAfter: loadavg()[0],
  };
  const problems = problemsOf(results);
  log(`\n${textReport(results)}`);

  const resultsDir = join(root, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const md = join(resultsDir, `tasks-${stamp}.md`);
  const json = join(resultsDir, `tasks-${stamp}.json`);
  writeFileSync(md, markdownReport(results, meta));
  writeFileSync(json, `${JSON.stringify({ meta, settings, results, problems }, null, 2)}\n`);
  log(`\nMarkdown: ${relative(process.cwd(), md)}\nRaw results: ${relative(process.cwd(), json)}`);

  await stopAll();
  reportProblems(problems);
}

runBenchmark(main);
