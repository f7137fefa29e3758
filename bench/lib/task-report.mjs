// Figures and tables of the task-queue benchmark (bench/tasks.mjs): jobs/s of a burst,
// queue wait of a burst (backlog) and of a paced load (pick-up latency), worker CPU and RSS.
import { percentiles } from './closed-loop.mjs';
import { markdownTable, textTable } from './report.mjs';

export { percentiles };

/** Jobs that failed or vanished, and up to three distinct failure reasons. */
function outcomes(jobs) {
  const failed = jobs.filter((j) => j.failedReason);
  return {
    completed: jobs.filter((j) => !j.missing && !j.failedReason && j.finishedOn).length,
    failed: failed.length,
    missing: jobs.filter((j) => j.missing).length,
    failedReasons: [...new Set(failed.map((j) => j.failedReason))].slice(0, 3),
  };
}

/**
 * A burst: completed jobs ÷ (last `finishedOn` − first `processedOn`); the backlog wait of
 * each job (`processedOn` − the moment the burst was released); the run time of each job
 * (`finishedOn` − `processedOn`: validation, the model call, storing the result).
 */
export function burstFigures(jobs, releasedAt) {
  const done = jobs.filter((j) => !j.missing && !j.failedReason && j.finishedOn);
  const firstStart = Math.min(...done.map((j) => j.processedOn));
  const lastEnd = Math.max(...done.map((j) => j.finishedOn));
  const spanMs = lastEnd - firstStart;
  return {
    ...outcomes(jobs),
    spanMs,
    jobsPerSecond: done.length && spanMs > 0 ? (done.length * 1000) / spanMs : NaN,
    backlogWaitMs: percentiles(done.map((j) => j.processedOn - releasedAt)),
    runMs: percentiles(done.map((j) => j.finishedOn - j.processedOn)),
  };
}

/** A paced phase: the queue wait of each job (`processedOn` − `timestamp`, when it was added). */
export function pacedFigures(jobs) {
  const done = jobs.filter((j) => !j.missing && j.processedOn);
  return {
    ...outcomes(jobs),
    queueWaitMs: percentiles(done.map((j) => j.processedOn - j.timestamp)),
    runMs: percentiles(done.filter((j) => j.finishedOn).map((j) => j.finishedOn - j.processedOn)),
  };
}

const fmt = {
  int: (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-'),
  one: (v) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 1 : 0) : '-'),
  ms: (v) => (Number.isFinite(v) ? String(Math.round(v)) : '-'),
  s: (v) => (Number.isFinite(v) ? (v / 1000).toFixed(2) : '-'),
};

/** The most jobs/s `concurrency` slots can reach when each job waits `latencyMs` on the model. */
const ceilingOf = (r) => (r.latencyMs > 0 ? (r.concurrency * 1000) / r.latencyMs : NaN);

const COLUMNS = [
  ['Latency (ms)', (r) => String(r.latencyMs)],
  ['Conc', (r) => String(r.concurrency)],
  ['Jobs', (r) => String(r.jobs)],
  ['jobs/s', (r) => fmt.one(r.burst.jobsPerSecond)],
  [
    '% of c ÷ latency',
    (r) => (r.latencyMs > 0 ? `${fmt.int((r.burst.jobsPerSecond / ceilingOf(r)) * 100)} %` : '-'),
  ],
  ['Run p50 / p95 (ms)', (r) => `${fmt.ms(r.burst.runMs.p50)} / ${fmt.ms(r.burst.runMs.p95)}`],
  [
    'Burst backlog wait p50 / p95 (s)',
    (r) => `${fmt.s(r.burst.backlogWaitMs.p50)} / ${fmt.s(r.burst.backlogWaitMs.p95)}`,
  ],
  ['Paced jobs/s', (r) => (r.paced ? fmt.one(r.paced.achievedPerSecond) : '-')],
  [
    'Paced queue wait p50 / p95 / p99 (ms)',
    (r) =>
      r.paced
        ? [r.paced.queueWaitMs.p50, r.paced.queueWaitMs.p95, r.paced.queueWaitMs.p99]
            .map(fmt.ms)
            .join(' / ')
        : '-',
  ],
  ['Failed', (r) => String(r.burst.failed + r.burst.missing + (r.paced?.failed ?? 0))],
  ['Worker CPU %', (r) => fmt.int(r.worker.cpuPercent)],
  ['CPU ms/job', (r) => fmt.one(r.worker.cpuMsPerJob)],
  ['Peak RSS (MB)', (r) => fmt.int(r.worker.peakRssMb)],
];

const LEGEND = [
  'jobs/s: a burst of `Jobs` parse jobs is added while the queue is paused, then released; completed jobs ÷ (last finishedOn − first processedOn). `% of c ÷ latency`: against the most `Conc` slots can do when each job waits `Latency` on the model.',
  'Run: finishedOn − processedOn per job of the burst (input check, the model call, storing the result).',
  "Burst backlog wait: processedOn − release of the burst, per job: time spent behind the backlog, not the queue's own latency.",
  "Paced queue wait: processedOn − timestamp per job, with jobs added one by one at about half the burst jobs/s: the queue's pick-up latency (Redis stores whole milliseconds).",
  'Worker CPU %: CPU time of the worker process during the burst ÷ (last finishedOn − first processedOn), one core = 100 %; CPU ms/job: the same CPU time ÷ jobs.',
];

/** The text report (stderr). */
export function textReport(rows) {
  return [
    'Task queue throughput and queue wait (one worker process, parse jobs, fake provider)',
    textTable(COLUMNS, rows),
    '',
    ...LEGEND.map((line) => `- ${line}`),
  ].join('\n');
}

/** The same table in Markdown with the run's settings, for docs/BENCHMARKS.md. */
export function markdownReport(rows, meta) {
  return [
    `# Task queue benchmark, ${meta.startedAt}`,
    '',
    `Node ${meta.node} · ${meta.cpu} · worker on core ${meta.workerCore}, fake provider and producer on core ${meta.loadCore}, Redis ${meta.redis} (not pinned) · paced phase at ${meta.pacedShare * 100} % of the burst jobs/s for ${meta.pacedSeconds} s (at least ${meta.pacedMinJobs} jobs) · parse answer: ${meta.fixtures} · load average ${meta.loadAverageBefore.toFixed(2)} before, ${meta.loadAverageAfter.toFixed(2)} after`,
    '',
    markdownTable(COLUMNS, rows),
    '',
    ...LEGEND.map((line) => `- ${line}`),
    '',
  ].join('\n');
}
