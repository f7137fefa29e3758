// Gateway overhead benchmark: the same load sent straight to the fake provider and
// through the gateway (OpenAI-compatible path), non-streaming and streaming, at several
// connection counts. See bench/README.md. Run with `npm run bench` (builds first).
//
// Environment: BENCH_DURATION (s per measured run, default 10), BENCH_WARMUP (s, default 2),
// BENCH_CONNECTIONS (default "1,16,64"), BENCH_MODES (default "json,stream"),
// BENCH_TTFB_REQUESTS (default 1000), BENCH_PROFILE=1 (gateway --cpu-prof),
// BENCH_GATEWAY_CORE (default 1), BENCH_LOAD_CORE (default 0).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureTtfb, runLoad } from './lib/load.mjs';
import { watchProcess } from './lib/proc-stats.mjs';
import { summarizeProfile } from './lib/profile-summary.mjs';
import {
  installCleanup,
  pinSelf,
  reportProblems,
  runBenchmark,
  startFake,
  startGateway,
  stopAll,
} from './lib/processes.mjs';
import { buildRows, checkGoals, markdownReport, textReport } from './lib/report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const num = (name, fallback) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number (got "${env[name]}")`);
  return value;
};
const settings = {
  seconds: num('BENCH_DURATION', 10),
  warmupSeconds: num('BENCH_WARMUP', 2),
  connections: (env.BENCH_CONNECTIONS ?? '1,16,64')
    .split(',')
    .map(Number)
    .filter((n) => n > 0),
  modes: (env.BENCH_MODES ?? 'json,stream')
    .split(',')
    .filter((m) => m === 'json' || m === 'stream'),
  ttfbRequests: Math.round(num('BENCH_TTFB_REQUESTS', 1000)),
  profile: env.BENCH_PROFILE === '1' || env.BENCH_PROFILE === 'true',
  gatewayCore: Number(env.BENCH_GATEWAY_CORE ?? 1),
  loadCore: Number(env.BENCH_LOAD_CORE ?? 0),
};
const resultsDir = join(root, 'bench/results');
const PROMPT = 'Measure how much time the gateway adds to each request please';
const log = (line) => process.stderr.write(`${line}\n`);
/** Monotonic clock in µs, the clock V8 stamps CPU-profile samples with. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

function bodyFor(model, mode) {
  return JSON.stringify({
    model,
    messages: [{ role: 'user', content: PROMPT }],
    ...(mode === 'stream' ? { stream: true } : {}),
  });
}

/** One request per target and mode before measuring: a broken setup fails fast and loudly. */
async function probe(targets) {
  for (const target of targets) {
    for (const mode of settings.modes) {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodyFor(target.model, mode),
      });
      const text = await res.text();
      const ok =
        res.status === 200 &&
        (mode === 'stream'
          ? text.trimEnd().endsWith('data: [DONE]')
          : text.includes('"chat.completion"'));
      if (!ok)
        throw new Error(`probe ${target.name} ${mode}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    }
  }
}

function assertRunning(children) {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = child.exitCode ?? child.signalCode;
      throw new Error(`${child.benchName} exited (${how}) during the benchmark:\n${child.output}`);
    }
  }
}

async function measure(target, mode, connections, watched) {
  assertRunning(watched);
  const body = bodyFor(target.model, mode);
  const warmup = await runLoad({
    url: target.url,
    body,
    connections,
    seconds: settings.warmupSeconds,
  });
  assertRunning(watched);
  const watchers = watched.map(({ pid }) => watchProcess(pid));
  const fromUs = nowUs();
  const run = await runLoad({ url: target.url, body, connections, seconds: settings.seconds });
  const window = [fromUs, nowUs()];
  const [gatewayProcess, fakeProcess] = watchers.map((w) => w.stop());
  const warmupProblems = warmup.errors + warmup.timeouts + warmup.non2xx;
  return { ...run, warmupProblems, gatewayProcess, fakeProcess, window };
}

function problemsOf(results, ttfb) {
  const problems = [];
  for (const r of results) {
    for (const side of ['direct', 'gateway']) {
      const x = r[side];
      const bad = x.errors + x.timeouts + x.non2xx + x.warmupProblems;
      if (bad > 0) {
        const codes = Object.entries(x.statusCodes)
          .map(([code, { count }]) => `${code}×${count}`)
          .join(' ');
        problems.push(
          `${r.mode} ${r.connections} conns ${side}: ${x.errors} errors, ${x.timeouts} timeouts, ${x.non2xx} non-2xx, ${x.warmupProblems} during warm-up (status codes: ${codes})`,
        );
      }
    }
  }
  for (const side of ['direct', 'gateway']) {
    if (ttfb?.[side].failures)
      problems.push(
        `ttfb ${side}: ${ttfb[side].failures} failed streams, e.g. ${ttfb[side].failureSamples[0]}`,
      );
  }
  return problems;
}

/** Prints where the gateway's CPU went during its measured runs (BENCH_PROFILE=1). */
function reportProfile(profileDir, pid, results) {
  const file = readdirSync(profileDir).find(
    (name) => name.includes(`.${pid}.`) && name.endsWith('.cpuprofile'),
  );
  if (!file) {
    log(`no .cpuprofile for gateway pid ${pid} in ${profileDir}`);
    return;
  }
  const path = join(profileDir, file);
  const windows = results.map((r) => r.gateway.window);
  process.stdout.write(`\n${summarizeProfile(path, { top: 20, windows })}\n`);
  process.stdout.write(
    `Full profile: ${relative(process.cwd(), path)} (open in Chrome DevTools › Performance, or speedscope.app)\n`,
  );
}

async function main() {
  if (!existsSync(join(root, 'dist/apps/gateway-api/src/main.js')))
    throw new Error('dist/ is missing: run `npm run build` (or use `npm run bench`)');
  if (cpus().length < 2)
    log(`warning: ${cpus().length} CPU(s) available; the gateway will share a core with the load`);
  installCleanup();
  pinSelf(settings.loadCore);
  const [load1] = loadavg();
  if (load1 > 0.5)
    log(`warning: load average ${load1.toFixed(2)} before starting: figures will be noisy`);

  const runs = settings.modes.length * settings.connections.length * 2;
  const estimate = runs * (settings.seconds + settings.warmupSeconds) + 10;
  log(
    `gateway overhead benchmark: ${runs} runs of ${settings.warmupSeconds} s warm-up + ${settings.seconds} s, about ${Math.ceil(estimate)} s in all`,
  );

  const profileDir = settings.profile ? join(resultsDir, 'profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const fake = await startFake({ root, core: settings.loadCore });
  const gateway = await startGateway({
    root,
    core: settings.gatewayCore,
    fakeUrl: fake.url,
    profileDir,
  });
  log(
    `fake provider ${fake.url} (pid ${fake.child.pid}, core ${settings.loadCore}); gateway ${gateway.url} (pid ${gateway.child.pid}, core ${settings.gatewayCore})`,
  );

  const watched = [gateway.child, fake.child];
  const direct = { name: 'direct', url: `${fake.url}/v1/chat/completions`, model: 'bench-model' };
  const through = {
    name: 'gateway',
    url: `${gateway.url}/v1/chat/completions`,
    model: 'fake/bench-model',
  };
  await probe([direct, through]);

  const startedAt = new Date();
  const results = [];
  for (const mode of settings.modes) {
    for (const connections of settings.connections) {
      const entry = { mode, connections };
      for (const target of [direct, through]) {
        entry[target.name] = await measure(target, mode, connections, watched);
        const x = entry[target.name];
        log(
          `  ${mode.padEnd(6)} ${String(connections).padStart(3)} conns ${target.name.padEnd(7)} ${Math.round(x.rps).toString().padStart(6)} req/s  p50 ${x.latencyMs.p50.toFixed(2)} ms  p99 ${x.latencyMs.p99.toFixed(2)} ms${x.errors + x.non2xx + x.timeouts ? `  PROBLEMS: ${x.errors} errors, ${x.non2xx} non-2xx, ${x.timeouts} timeouts` : ''}`,
        );
      }
      results.push(entry);
    }
  }

  let ttfb;
  if (settings.modes.includes('stream')) {
    const path = '/v1/chat/completions';
    const count = settings.ttfbRequests;
    const directTtfb = await measureTtfb({
      origin: fake.url,
      path,
      body: bodyFor(direct.model, 'stream'),
      count,
    });
    const watcher = watchProcess(gateway.child.pid);
    const gatewayTtfb = await measureTtfb({
      origin: gateway.url,
      path,
      body: bodyFor(through.model, 'stream'),
      count,
    });
    ttfb = { direct: directTtfb, gateway: { ...gatewayTtfb, gatewayProcess: watcher.stop() } };
    log(
      `  ttfb: direct p50 ${directTtfb.firstByteMs.p50.toFixed(3)} ms, gateway p50 ${gatewayTtfb.firstByteMs.p50.toFixed(3)} ms`,
    );
  }

  const rows = buildRows(results);
  const goals = checkGoals(rows, ttfb);
  const meta = {
    startedAt: startedAt.toISOString(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}`,
    gatewayCore: settings.gatewayCore,
    loadCore: settings.loadCore,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    prompt: PROMPT,
    loadAverageBefore: load1,
    loadAverageAfter: loadavg()[0],
    profile: settings.profile,
  };
  const problems = problemsOf(results, ttfb);

  process.stdout.write(`\n${textReport({ rows, ttfb, goals })}\n`);
  process.stdout.write(
    `\nMarkdown (for docs/BENCHMARKS.md):\n\n${markdownReport({ rows, ttfb, goals, meta })}\n`,
  );

  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `overhead-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ meta, settings, rows, goals, results, ttfb, problems }, null, 2)}\n`,
  );
  process.stdout.write(`\nRaw results: ${relative(process.cwd(), file)}\n`);

  await stopAll();
  if (profileDir) reportProfile(profileDir, gateway.child.pid, results);
  reportProblems(problems);
}

runBenchmark(main);
