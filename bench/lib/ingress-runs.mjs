// Measured runs of the ingress benchmark (bench/ingress.mjs): a warm-up and a measured
// autocannon run per door, with the gateway's and the fake's CPU, and what other processes
// took of the pinned cores meanwhile; a disturbed run is repeated.
import { watchCores } from './core-noise.mjs';
import { runDoorLoad } from './ingress-load.mjs';
import { watchProcess } from './proc-stats.mjs';

/** Monotonic clock in µs, the clock V8 stamps CPU-profile samples with. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export function assertRunning(children) {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = child.exitCode ?? child.signalCode;
      throw new Error(`${child.benchName} exited (${how}) during the benchmark:\n${child.output}`);
    }
  }
}

const loadOf = ({ origin, target, mode, connections }) => ({
  url: `${origin}${target.path}`,
  headers: target.headers,
  body: target.body(mode === 'stream'),
  verifyBody: target.check[mode],
  connections,
});

/**
 * Warm-up, then the measured run with the gateway's and the fake's CPU watched, and how
 * much of each pinned core other processes took meanwhile (busy − our processes' CPU).
 */
async function measureOnce({ watched, settings, ...door }) {
  assertRunning(watched);
  const load = loadOf(door);
  const warmup = await runDoorLoad({ ...load, seconds: settings.warmupSeconds });
  assertRunning(watched);
  const watchers = watched.map(({ pid }) => watchProcess(pid));
  const cores = watchCores();
  const self = process.cpuUsage();
  const fromUs = nowUs();
  const run = await runDoorLoad({ ...load, seconds: settings.seconds });
  const window = [fromUs, nowUs()];
  const busy = cores.stop();
  const selfCpu = process.cpuUsage(self);
  const [gatewayProcess, fakeProcess] = watchers.map((w) => w.stop());
  const wallMs = gatewayProcess.wallMs;
  const loadSideMs = fakeProcess.cpuMs + (selfCpu.user + selfCpu.system) / 1000;
  const others = {
    gatewayCorePercent: ((busy[settings.gatewayCore] - gatewayProcess.cpuMs) / wallMs) * 100,
    loadCorePercent: ((busy[settings.loadCore] - loadSideMs) / wallMs) * 100,
  };
  const warmupProblems = warmup.errors + warmup.timeouts + warmup.non2xx + warmup.mismatches;
  return {
    ...run,
    warmupProblems,
    warmupMismatchSamples: warmup.mismatchSamples,
    gatewayProcess,
    fakeProcess,
    others,
    window,
  };
}

function summaryOfTry(run) {
  return { others: run.others, rps: run.rps, p50: run.latencyMs.p50 };
}

/**
 * A run, repeated (up to `settings.tries` in all) while other processes took more than
 * `settings.noiseLimitPercent` of a pinned core: on a shared machine a build or a test
 * starting mid-run would otherwise land on one door only. The quietest try is kept, and
 * lists the discarded ones. `direct`: the gateway's core is idle then, others may use it.
 */
export async function measureDoor({ direct, log, ...args }) {
  const { settings } = args;
  const tries = [];
  for (;;) {
    const run = await measureOnce(args);
    run.noisePercent = direct
      ? run.others.loadCorePercent
      : Math.max(run.others.gatewayCorePercent, run.others.loadCorePercent);
    const failed = run.errors + run.timeouts + run.non2xx + run.mismatches + run.warmupProblems;
    // A run with failures is kept whatever the noise: failures are never retried away.
    if (failed) return { ...run, discarded: tries.map(summaryOfTry) };
    tries.push(run);
    if (run.noisePercent <= settings.noiseLimitPercent || tries.length >= settings.tries) break;
    log(
      `  (repeating ${args.target.name} ${args.mode} ${args.connections} conns: other processes took ${run.noisePercent.toFixed(0)} % of a core)`,
    );
  }
  const kept = tries.reduce((best, run) => (run.noisePercent < best.noisePercent ? run : best));
  return { ...kept, discarded: tries.filter((run) => run !== kept).map(summaryOfTry) };
}

/** Unmeasured load through every door and mode first, so no door meets a cold JIT. */
export async function jitWarmup({ origin, doors, watched, settings }) {
  const problems = [];
  for (const target of doors) {
    for (const mode of settings.modes) {
      assertRunning(watched);
      const connections = Math.max(...settings.connections);
      const run = await runDoorLoad({
        ...loadOf({ origin, target, mode, connections }),
        seconds: settings.jitWarmupSeconds,
      });
      const bad = run.errors + run.timeouts + run.non2xx + run.mismatches;
      if (bad) problems.push(`JIT warm-up ${target.name} ${mode}: ${bad} failed requests`);
    }
  }
  return problems;
}
