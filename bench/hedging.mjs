// Hedging benchmark (issue 3, "Must show" 6): a primary with a slow tail (10 % of its
// calls 2 s late, seeded) behind one gateway, the same bounded load sent to a plain route
// and to hedged routes (fixed delay, and the measured p95 delay), exact per-request
// latencies from our own closed loop. See bench/README.md ("Hedging").
// Run with `node tools/build.mjs && node bench/hedging.mjs`.
//
// Environment: BENCH_HEDGE_REQUESTS (per phase, default 1000), BENCH_HEDGE_CONCURRENCY
// (default 8), BENCH_HEDGE_DELAY_MS (fixed delay, default 150), BENCH_HEDGE_MIN_DELAY_MS
// (floor of the p95 delay, default 50), BENCH_HEDGE_WARMUP (requests, default 200),
// BENCH_SLOW_MS (default 2000), BENCH_SLOW_SHARE (default 0.1), BENCH_SEED (default 42),
// BENCH_MODES (default "json,stream"), BENCH_GATEWAY_CORE / BENCH_LOAD_CORE (1 / 0).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentiles, runClosedLoop } from './lib/closed-loop.mjs';
import { delta, fakeCallStats, fakeRequestCount, metricTotal } from './lib/counters.mjs';
import {
  buildRows,
  checkGoals,
  comparisons,
  markdownReport,
  textReport,
} from './lib/hedge-report.mjs';
import {
  installCleanup,
  pinSelf,
  reportProblems,
  runBenchmark,
  startFake,
  startGateway,
  stopAll,
} from './lib/processes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const num = (name, fallback, { integer = false, max = Infinity } = {}) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value)))
    throw new Error(
      `${name} must be a positive ${integer ? 'integer' : 'number'} (got "${env[name]}")`,
    );
  return value;
};
const settings = {
  requests: num('BENCH_HEDGE_REQUESTS', 1000, { integer: true }),
  concurrency: num('BENCH_HEDGE_CONCURRENCY', 8, { integer: true }),
  delayMs: num('BENCH_HEDGE_DELAY_MS', 150, { integer: true }),
  minDelayMs: num('BENCH_HEDGE_MIN_DELAY_MS', 50, { integer: true }),
  warmup: num('BENCH_HEDGE_WARMUP', 200, { integer: true }),
  slowMs: num('BENCH_SLOW_MS', 2000, { integer: true }),
  slowShare: num('BENCH_SLOW_SHARE', 0.1, { max: 1 }),
  seed: Number(env.BENCH_SEED ?? 42),
  modes: (env.BENCH_MODES ?? 'json,stream')
    .split(',')
    .filter((m) => m === 'json' || m === 'stream'),
  gatewayCore: Number(env.BENCH_GATEWAY_CORE ?? 1),
  loadCore: Number(env.BENCH_LOAD_CORE ?? 0),
};
if (!Number.isInteger(settings.seed)) throw new Error('BENCH_SEED must be an integer');
/** Goal: at most this many % more upstream calls than the plain route (≈ the slow share). */
const MAX_EXTRA_CALLS_PCT = Math.round(settings.slowShare * 100 * 1.5);
const resultsDir = join(root, 'bench/results');
const PROMPT = 'Show how hedging hides the slow tail of a provider';
const SLOW_MODEL = 'slow-model';
const FAST_MODEL = 'fast-model';
const log = (line) => process.stderr.write(`${line}\n`);

/**
 * Three providers on the one fake: `primary` and `primary-p95` both serve `slow-model`
 * (and so both get its slow tail), `secondary` serves `fast-model`. The p95 route has a
 * provider of its own because the latency tracker keys samples by provider+model: its
 * measured delay then comes from its own warm-up only, not from the earlier phases.
 */
function gatewayConfig(fakeUrl) {
  const provider = (name, model) => [
    `  ${name}:`,
    '    kind: openai-compatible',
    `    baseUrl: ${fakeUrl}/v1`,
    `    models: [${model}]`,
  ];
  const route = (name, primary, hedge) => [
    `  ${name}:`,
    `    targets: [${primary}/${SLOW_MODEL}, secondary/${FAST_MODEL}]`,
    ...(hedge ? [`    hedge: ${hedge}`] : []),
  ];
  return [
    'server: { host: 127.0.0.1 }',
    'logging: { level: warn }',
    'providers:',
    ...provider('primary', SLOW_MODEL),
    ...provider('primary-p95', SLOW_MODEL),
    ...provider('secondary', FAST_MODEL),
    'routes:',
    ...route('plain', 'primary'),
    ...route('hedged', 'primary', `{ enabled: true, delayMs: ${settings.delayMs} }`),
    ...route('hedged-p95', 'primary-p95', `{ enabled: true, minDelayMs: ${settings.minDelayMs} }`),
    '',
  ].join('\n');
}

const PHASES = [
  { kind: 'plain', route: 'plain', delayLabel: 'none' },
  { kind: 'fixed', route: 'hedged', delayLabel: `fixed ${settings.delayMs} ms` },
  {
    kind: 'p95',
    route: 'hedged-p95',
    delayLabel: `p95 TTFT, floor ${settings.minDelayMs} ms`,
    warmup: true,
  },
];

function bodyFor(model, mode) {
  return JSON.stringify({
    model,
    messages: [{ role: 'user', content: PROMPT }],
    ...(mode === 'stream' ? { stream: true } : {}),
  });
}

function assertRunning(children) {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = child.exitCode ?? child.signalCode;
      throw new Error(`${child.benchName} exited (${how}) during the benchmark:\n${child.output}`);
    }
  }
}

/** The slow tail: each `slow-model` call is `slowMs` late with probability `slowShare`. */
async function queueSlowTail(fakeUrl) {
  const res = await fetch(`${fakeUrl}/_fake/scripts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      script: { latencyMs: settings.slowMs },
      times: -1,
      probability: settings.slowShare,
      match: { model: SLOW_MODEL },
    }),
  });
  if (!res.ok) throw new Error(`POST /_fake/scripts: HTTP ${res.status}: ${await res.text()}`);
}

async function snapshot(gateway, fake) {
  const [hedges, upstream, calls] = await Promise.all([
    metricTotal(gateway.url, 'gateway_hedges_total'),
    fakeRequestCount(fake.url),
    fakeCallStats(fake.child),
  ]);
  return { hedges, upstream, ...calls };
}

/** One bounded run with the counters read around it. */
async function measured(ctx, { route, mode, requests }) {
  assertRunning(ctx.watched);
  const before = await snapshot(ctx.gateway, ctx.fake);
  const result = await runClosedLoop({
    origin: ctx.gateway.url,
    body: bodyFor(route, mode),
    stream: mode === 'stream',
    requests,
    concurrency: settings.concurrency,
    timeoutMs: settings.slowMs * 5,
  });
  // A loser's abort reaches the fake a moment after the winner's answer reached us.
  await sleep(100);
  const after = await snapshot(ctx.gateway, ctx.fake);
  const d = delta(before, after);
  assertRunning(ctx.watched);
  return {
    result,
    hedges: d.hedges,
    upstreamCalls: d.upstream,
    fake: {
      calls: d.calls,
      completed: d.completed,
      aborted: d.aborted,
      completedSlow: d.completedSlow,
      abortedAfterP50: percentiles(after.abortedHeldMs).p50,
      abortedHeldMs: after.abortedHeldMs,
    },
  };
}

function progress(label, m) {
  const r = m.result;
  const l = r.latencyMs;
  log(
    `  ${label.padEnd(28)} ${r.seconds.toFixed(1).padStart(5)} s  p50 ${l.p50.toFixed(1)}  p90 ${l.p90.toFixed(1)}  p99 ${l.p99.toFixed(1)}  max ${l.max.toFixed(0)} ms  hedges ${m.hedges}  calls/req ${(m.upstreamCalls / r.requests).toFixed(3)}  cancelled ${m.fake.aborted}${r.failures ? `  FAILURES ${r.failures}: ${r.failureSamples[0]}` : ''}`,
  );
}

async function main() {
  if (!existsSync(join(root, 'dist/apps/gateway-api/src/main.js')))
    throw new Error('dist/ is missing: run `node tools/build.mjs` first');
  installCleanup();
  pinSelf(settings.loadCore);
  const [load1] = loadavg();
  if (load1 > 0.5)
    log(`warning: load average ${load1.toFixed(2)} before starting: figures will be noisy`);
  // Plain phases (and the non-streaming p95 one, see the README) wait out every slow call.
  const slowRuns =
    settings.modes.length +
    (settings.modes.includes('json') ? 1 + settings.warmup / settings.requests : 0);
  const estimate =
    (slowRuns * settings.requests * settings.slowShare * settings.slowMs) /
    1000 /
    settings.concurrency;
  log(
    `hedging benchmark: ${settings.modes.length * PHASES.length} phases of ${settings.requests} requests, about ${Math.ceil(estimate + 15)} s`,
  );

  const fake = await startFake({
    root,
    core: settings.loadCore,
    args: [`--seed=${settings.seed}`, '--stats'],
  });
  const gateway = await startGateway({
    root,
    core: settings.gatewayCore,
    fakeUrl: fake.url,
    configYaml: gatewayConfig(fake.url),
  });
  log(
    `fake provider ${fake.url} (pid ${fake.child.pid}, core ${settings.loadCore}); gateway ${gateway.url} (pid ${gateway.child.pid}, core ${settings.gatewayCore})`,
  );
  await queueSlowTail(fake.url);
  const ctx = { fake, gateway, watched: [gateway.child, fake.child] };

  const startedAt = new Date();
  const phases = [];
  const warmups = [];
  for (const mode of settings.modes) {
    // JIT warm-up on the fast model only: it draws nothing from the seeded slow tail.
    const jit = await measured(ctx, {
      route: `secondary/${FAST_MODEL}`,
      mode,
      requests: settings.warmup,
    });
    warmups.push({ mode, route: `secondary/${FAST_MODEL}`, ...jit });
    for (const phase of PHASES) {
      if (phase.warmup) {
        // Gives the latency tracker its samples (streams only: see the README).
        const w = await measured(ctx, { route: phase.route, mode, requests: settings.warmup });
        warmups.push({ mode, route: phase.route, ...w });
        progress(`${mode} ${phase.route} warm-up`, w);
      }
      const m = await measured(ctx, { route: phase.route, mode, requests: settings.requests });
      phases.push({ ...phase, mode, secondary: 'secondary', ...m });
      progress(`${mode} ${phase.route}`, m);
    }
  }

  const rows = buildRows(phases);
  const compared = comparisons(rows);
  const goals = checkGoals(compared, { slowMs: settings.slowMs, maxExtraPct: MAX_EXTRA_CALLS_PCT });
  const meta = {
    startedAt: startedAt.toISOString(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}`,
    gatewayCore: settings.gatewayCore,
    loadCore: settings.loadCore,
    requests: settings.requests,
    concurrency: settings.concurrency,
    slowMs: settings.slowMs,
    slowShare: settings.slowShare,
    seed: settings.seed,
    loadAverageBefore: load1,
    loadAverageAfter: loadavg()[0],
  };
  process.stdout.write(`\n${textReport({ rows, compared, goals })}\n`);
  process.stdout.write(
    `\nMarkdown (for docs/BENCHMARKS.md):\n\n${markdownReport({ rows, compared, goals, meta })}\n`,
  );

  const problems = [
    ...warmups.map((w) => ({ ...w, phase: `${w.mode} ${w.route} warm-up` })),
    ...phases,
  ]
    .filter((p) => p.result.failures > 0)
    .map(
      (p) =>
        `${p.phase ?? `${p.mode} ${p.route}`}: ${p.result.failures} failed, e.g. ${p.result.failureSamples[0]}`,
    );
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `hedging-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ meta, settings, rows, compared, goals, phases, warmups, problems }, null, 2)}\n`,
  );
  process.stdout.write(`\nRaw results: ${relative(process.cwd(), file)}\n`);

  await stopAll();
  reportProblems(problems);
}

runBenchmark(main);
