// Ingress benchmark (issue 15, "Must show" 4): what the Responses and Messages doors cost
// over chat completions on the same upstream. The same prompt goes through
// POST /v1/chat/completions, /v1/responses (store: false) and /v1/messages to one
// OpenAI-wire fake provider, plus straight to the fake as the baseline, non-streaming and
// streaming, at 64 and 1 connections, the doors alternating in rounds so that the
// machine's drift falls on all of them. See bench/README.md ("Ingress doors").
// Run with `npm run bench:ingress` (builds first).
//
// Environment: BENCH_DURATION (s per measured run, default 8), BENCH_WARMUP (s, default 2),
// BENCH_ROUNDS (default 2), BENCH_CONNECTIONS (default "64,1"), BENCH_MODES (default
// "json,stream"), BENCH_DOORS (default "chat,responses,messages"), BENCH_PROVIDER_KIND
// (default "openai-compatible"; or "openai"), BENCH_JIT_WARMUP (s, default 4),
// BENCH_NOISE_LIMIT (%, default 10), BENCH_TRIES (default 3), BENCH_PROFILE=1,
// BENCH_GATEWAY_CORE (1), BENCH_LOAD_CORE (0).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIRECT, DOORS, MAX_TOKENS, PROMPT, probeDoors } from './lib/ingress-doors.mjs';
import { jitWarmup, measureDoor } from './lib/ingress-runs.mjs';
import {
  buildIngressRows,
  checkBound,
  ingressMarkdownReport,
  ingressTextReport,
} from './lib/ingress-report.mjs';
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

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const num = (name, fallback) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number (got "${env[name]}")`);
  return value;
};
const list = (name, fallback) =>
  (env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const settings = {
  seconds: num('BENCH_DURATION', 8),
  warmupSeconds: num('BENCH_WARMUP', 2),
  rounds: Math.round(num('BENCH_ROUNDS', 2)),
  connections: list('BENCH_CONNECTIONS', '64,1')
    .map(Number)
    .filter((n) => n > 0),
  modes: list('BENCH_MODES', 'json,stream').filter((m) => m === 'json' || m === 'stream'),
  doors: list('BENCH_DOORS', 'chat,responses,messages'),
  providerKind: env.BENCH_PROVIDER_KIND ?? 'openai-compatible',
  jitWarmupSeconds: num('BENCH_JIT_WARMUP', 4),
  noiseLimitPercent: num('BENCH_NOISE_LIMIT', 10),
  tries: Math.round(num('BENCH_TRIES', 3)),
  profile: env.BENCH_PROFILE === '1' || env.BENCH_PROFILE === 'true',
  gatewayCore: Number(env.BENCH_GATEWAY_CORE ?? 1),
  loadCore: Number(env.BENCH_LOAD_CORE ?? 0),
};
for (const door of settings.doors) {
  if (!Object.hasOwn(DOORS, door))
    throw new Error(`BENCH_DOORS: unknown door "${door}" (${Object.keys(DOORS).join(', ')})`);
}
if (!settings.doors.includes('chat'))
  throw new Error('BENCH_DOORS must include chat (the baseline)');
if (!['openai-compatible', 'openai'].includes(settings.providerKind))
  throw new Error('BENCH_PROVIDER_KIND must be openai-compatible or openai');
const resultsDir = join(root, 'bench/results');
const log = (line) => process.stderr.write(`${line}\n`);

/** One OpenAI-wire upstream for every door: the fake, as `fake/bench-model`. */
function gatewayConfig(fakeUrl) {
  return [
    'server: { host: 127.0.0.1 }',
    'logging: { level: warn }',
    'providers:',
    '  fake:',
    `    kind: ${settings.providerKind}`,
    `    baseUrl: ${fakeUrl}/v1`,
    // The OpenAI kind wants a key; the fake ignores it (never a real one).
    ...(settings.providerKind === 'openai' ? ['    apiKey: bench-placeholder'] : []),
    '    models: [bench-model]',
    '',
  ].join('\n');
}

function problemsOf(runs, warmupProblems) {
  const problems = [...warmupProblems];
  for (const { round, mode, connections, target, run } of runs) {
    const bad = run.errors + run.timeouts + run.non2xx + run.mismatches + run.warmupProblems;
    if (bad === 0) continue;
    const codes = Object.entries(run.statusCodes)
      .map(([code, { count }]) => `${code}×${count}`)
      .join(' ');
    const sample = run.mismatchSamples[0] ?? run.warmupMismatchSamples[0];
    problems.push(
      `round ${round} ${mode} ${connections} conns ${target}: ${run.errors} errors, ${run.timeouts} timeouts, ${run.non2xx} non-2xx, ${run.mismatches} bad bodies, ${run.warmupProblems} during warm-up (status codes: ${codes})${sample ? `; a bad body ends: ${JSON.stringify(sample)}` : ''}`,
    );
  }
  return problems;
}

/**
 * BENCH_PROFILE=1: where the gateway's CPU went, per door and mode, over that door's
 * measured runs only (every connection count and round).
 */
function reportProfiles(profileDir, pid, runs) {
  const file = readdirSync(profileDir).find(
    (name) => name.includes(`.${pid}.`) && name.endsWith('.cpuprofile'),
  );
  if (!file) {
    log(`no .cpuprofile for gateway pid ${pid} in ${profileDir}`);
    return;
  }
  const path = join(profileDir, file);
  for (const door of settings.doors) {
    for (const mode of settings.modes) {
      const windows = runs
        .filter((r) => r.target === door && r.mode === mode)
        .map((r) => r.run.window);
      process.stdout.write(`\n${door} ${mode}: ${summarizeProfile(path, { top: 15, windows })}\n`);
    }
  }
  process.stdout.write(`\nFull profile: ${relative(process.cwd(), path)}\n`);
}

async function main() {
  if (!existsSync(join(root, 'dist/apps/gateway-api/src/main.js')))
    throw new Error('dist/ is missing: run `npm run build` (or use `npm run bench:ingress`)');
  installCleanup();
  pinSelf(settings.loadCore);
  const [load1] = loadavg();
  if (load1 > 0.5)
    log(`warning: load average ${load1.toFixed(2)} before starting: figures will be noisy`);

  const targetsPerCell = settings.doors.length + 1;
  const runCount =
    settings.rounds * settings.modes.length * settings.connections.length * targetsPerCell;
  log(
    `ingress benchmark: ${settings.rounds} rounds × ${settings.modes.length} modes × ${settings.connections.length} connection counts × ${targetsPerCell} targets = ${runCount} runs of ${settings.warmupSeconds} s warm-up + ${settings.seconds} s, about ${Math.ceil((runCount * (settings.seconds + settings.warmupSeconds)) / 60)} min`,
  );

  const profileDir = settings.profile ? join(resultsDir, 'profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const fake = await startFake({ root, core: settings.loadCore });
  const gateway = await startGateway({
    root,
    core: settings.gatewayCore,
    fakeUrl: fake.url,
    configYaml: gatewayConfig(fake.url),
    profileDir,
  });
  log(
    `fake provider ${fake.url} (pid ${fake.child.pid}, core ${settings.loadCore}); gateway ${gateway.url} (pid ${gateway.child.pid}, core ${settings.gatewayCore}, provider kind ${settings.providerKind})`,
  );
  const watched = [gateway.child, fake.child];
  const doors = settings.doors.map((name) => DOORS[name]);
  const origins = { direct: fake.url };
  const probe = await probeDoors({
    targets: [
      { origin: fake.url, target: DIRECT },
      ...doors.map((target) => ({ origin: gateway.url, target })),
    ],
    modes: settings.modes,
  });
  for (const p of probe)
    log(
      `  probe ${p.target.padEnd(9)} ${p.mode.padEnd(6)} HTTP ${p.status}, ${p.bytes} bytes${p.cache ? `, cache ${p.cache}` : ''}`,
    );

  log(
    `JIT warm-up: ${settings.jitWarmupSeconds} s per door and mode, ${Math.max(...settings.connections)} connections`,
  );
  const warmupProblems = await jitWarmup({ origin: gateway.url, doors, watched, settings });

  const startedAt = new Date();
  const runs = [];
  for (let round = 1; round <= settings.rounds; round++) {
    // Odd rounds forward, even rounds backward (ABC CBA): a linear drift over the run
    // falls on every door alike. Direct opens each cell as the baseline.
    const order = round % 2 === 1 ? doors : [...doors].reverse();
    for (const mode of settings.modes) {
      for (const connections of settings.connections) {
        for (const target of [DIRECT, ...order]) {
          const origin = origins[target.name] ?? gateway.url;
          const run = await measureDoor({
            origin,
            target,
            mode,
            connections,
            watched,
            settings,
            log,
            direct: target === DIRECT,
          });
          runs.push({ round, mode, connections, target: target.name, run });
          const bad = run.errors + run.non2xx + run.timeouts + run.mismatches + run.warmupProblems;
          const cpu =
            target === DIRECT
              ? ''
              : `  CPU ${Math.round((run.gatewayProcess.cpuMs * 1000) / run.requests)} µs/req`;
          const others = `  others ${run.others.gatewayCorePercent.toFixed(0)}/${run.others.loadCorePercent.toFixed(0)} %`;
          log(
            `  round ${round} ${mode.padEnd(6)} ${String(connections).padStart(2)} conns ${target.name.padEnd(9)} ${Math.round(run.rps).toString().padStart(6)} req/s  p50 ${run.latencyMs.p50.toFixed(2)} ms  p99 ${run.latencyMs.p99.toFixed(2)} ms${cpu}${others}${bad ? `  PROBLEMS: ${run.errors} errors, ${run.non2xx} non-2xx, ${run.timeouts} timeouts, ${run.mismatches} bad bodies, ${run.warmupProblems} in warm-up` : ''}`,
          );
        }
      }
    }
  }

  const rows = buildIngressRows(runs);
  const checks = checkBound(rows);
  const meta = {
    startedAt: startedAt.toISOString(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}`,
    gatewayCore: settings.gatewayCore,
    loadCore: settings.loadCore,
    providerKind: settings.providerKind,
    rounds: settings.rounds,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    prompt: PROMPT,
    maxTokens: MAX_TOKENS,
    loadAverageBefore: load1,
    loadAverageAfter: loadavg()[0],
    noiseLimitPercent: settings.noiseLimitPercent,
    discardedRuns: runs.reduce((n, r) => n + r.run.discarded.length, 0),
    maxOthersPercent: Math.max(...runs.map((r) => r.run.noisePercent)),
  };
  const problems = problemsOf(runs, warmupProblems);

  process.stdout.write(`\n${ingressTextReport({ rows, checks })}\n`);
  process.stdout.write(
    `\nMarkdown (for docs/BENCHMARKS.md):\n\n${ingressMarkdownReport({ rows, checks, meta })}\n`,
  );
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `ingress-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ meta, settings, probe, rows, checks, runs, problems }, null, 2)}\n`,
  );
  process.stdout.write(`\nRaw results: ${relative(process.cwd(), file)}\n`);

  await stopAll();
  if (profileDir) reportProfiles(profileDir, gateway.child.pid, runs);
  reportProblems(problems);
}

runBenchmark(main);
