// Child processes of the overhead benchmark: the fake provider and the gateway, each
// pinned to a core with `taskset`, plus the clean-up that keeps them from outliving us.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const children = new Set();
const tempDirs = new Set();

/** Pins this process (all of its threads) to `core`; children inherit nothing from it. */
export function pinSelf(core) {
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], {
    stdio: 'ignore',
  });
}

/** A port nobody listens on right now (loopback). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function spawnPinned(name, core, args, env) {
  // `taskset` execs node, so the child's pid is the node process itself (what /proc sampling needs).
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.benchName = name;
  child.output = '';
  const keep = (chunk) => {
    child.output = (child.output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.stdin.on('error', () => {});
  child.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

async function failIfExited(child, what) {
  const status = await Promise.race([child.exited, sleep(0).then(() => null)]);
  if (status) {
    throw new Error(
      `${child.benchName} exited (${status.code ?? status.signal}) ${what}:\n${child.output.trim()}`,
    );
  }
}

/**
 * Starts the fake provider on `core`; resolves with `{ child, url }` once it prints its URL.
 * `args`: extra flags for `fake-server.mjs` (`--seed=<n>`, `--stats`).
 */
export async function startFake({ root, core, args = [] }) {
  const child = spawnPinned(
    'fake provider',
    core,
    [join(root, 'bench/lib/fake-server.mjs'), '0', ...args],
    process.env,
  );
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const url = /http:\/\/[^\s]+/.exec(child.output)?.[0];
    if (url) return { child, url };
    await failIfExited(child, 'while starting');
    await sleep(50);
  }
  throw new Error(`fake provider did not start within 15 s:\n${child.output}`);
}

/**
 * The benchmarks' gateway YAML: one `fake` provider (`bench-model`) at `fakeUrl`, warn-level
 * logs, then `extra` lines (a cache backend, a Redis URL…).
 */
export function benchGatewayYaml(fakeUrl, extra = []) {
  return [
    'server: { host: 127.0.0.1 }',
    'logging: { level: warn }',
    'providers:',
    '  fake:',
    '    kind: openai-compatible',
    `    baseUrl: ${fakeUrl}/v1`,
    '    models: [bench-model]',
    ...extra,
    '',
  ].join('\n');
}

/**
 * Starts the gateway on `core` in front of `fakeUrl` (config in a temp YAML file) and
 * waits for GET /health/ready. `profileDir` adds `--cpu-prof` (written on exit).
 * `configYaml` replaces the default config (one `fake` provider with `bench-model`).
 */
export async function startGateway({ root, core, fakeUrl, profileDir, configYaml }) {
  const dir = mkdtempSync(join(tmpdir(), 'ai-gateway-bench-'));
  tempDirs.add(dir);
  const configPath = join(dir, 'gateway.yaml');
  writeFileSync(configPath, configYaml ?? benchGatewayYaml(fakeUrl));
  const port = await freePort();
  // The same heap cap as `npm start` and the Dockerfile: without it V8 sizes the old
  // generation to the machine's RAM and lets garbage pile up to ~230 MB under load.
  const heapFlags = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '--max-old-space-size=512')
    .split(' ')
    .filter(Boolean);
  const nodeArgs = [...heapFlags, '--import', join(root, 'bench/lib/gateway-hook.mjs')];
  if (profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  // Its own file store (the embedded default), gone with the run, unless the caller names one.
  const env = {
    AI_GATEWAY_DATA_DIR: join(dir, 'data'),
    ...process.env,
    AI_GATEWAY_CONFIG: configPath,
    PORT: String(port),
  };
  const child = spawnPinned(
    'gateway',
    core,
    [
      ...nodeArgs,
      process.env.BENCH_GATEWAY_ENTRY ?? join(root, 'dist/apps/gateway-api/src/main.js'),
    ],
    env,
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await failIfExited(child, 'while starting');
    try {
      const res = await fetch(`${url}/health/ready`);
      await res.arrayBuffer();
      if (res.ok) return { child, url, configPath };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`gateway not ready within 30 s:\n${child.output}`);
}

/** SIGTERM every child, SIGKILL what is left after `graceMs`, remove temp files. */
export async function stopAll(graceMs = 3000) {
  const running = [...children];
  for (const child of running) {
    child.stdin.end();
    child.kill('SIGTERM');
  }
  await Promise.race([Promise.all(running.map((c) => c.exited)), sleep(graceMs)]);
  for (const child of children) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Last-resort clean-up when we exit abruptly (synchronous: no awaiting on 'exit'). */
export function killAllNow() {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

/** Installs handlers so that Ctrl-C, SIGTERM and crashes never leave children behind. */
export function installCleanup() {
  process.once('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the benchmark\n`);
      void stopAll(1000).finally(() => process.exit(130));
    });
  }
}

/** Ends a run: non-zero exit when some requests failed, each listed. */
export function reportProblems(problems) {
  if (!problems.length) return;
  process.stderr.write(
    `\nFAILED: some requests did not succeed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
  process.exitCode = 1;
}

/** Runs a benchmark's main; on a crash, says why, stops the children and exits 1. */
export function runBenchmark(main) {
  main().catch(async (error) => {
    const cause = error?.cause ? ` (${error.cause.message ?? error.cause})` : '';
    process.stderr.write(`\nbenchmark failed: ${error?.message ?? String(error)}${cause}\n`);
    await stopAll(1000);
    process.exit(1);
  });
}

/**
 * Starts the task worker (`dist/apps/worker/src/main.js`) on `core` with `configYaml` (a
 * temp file) and `env` added to ours, and waits for its GET /health/ready.
 * Resolves with `{ child, url }`: `url` serves `/health/ready` and `/metrics`.
 */
export async function startWorker({ root, core, configYaml, env = {} }) {
  const dir = mkdtempSync(join(tmpdir(), 'ai-gateway-bench-'));
  tempDirs.add(dir);
  const configPath = join(dir, 'worker.yaml');
  writeFileSync(configPath, configYaml);
  const port = await freePort();
  const heapFlags = (process.env.BENCH_WORKER_NODE_FLAGS ?? '--max-old-space-size=512')
    .split(' ')
    .filter(Boolean);
  const child = spawnPinned(
    'worker',
    core,
    [
      ...heapFlags,
      // Exit with the benchmark (stdin closes) and at once on SIGTERM: nothing to drain.
      '--import',
      join(root, 'bench/lib/gateway-hook.mjs'),
      process.env.BENCH_WORKER_ENTRY ?? join(root, 'dist/apps/worker/src/main.js'),
    ],
    {
      ...process.env,
      ...env,
      AI_GATEWAY_CONFIG: configPath,
      WORKER_PORT: String(port),
      WORKER_HOST: '127.0.0.1',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await failIfExited(child, 'while starting');
    try {
      const res = await fetch(`${url}/health/ready`);
      await res.arrayBuffer();
      if (res.ok) return { child, url, configPath };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`worker not ready within 30 s:\n${child.output}`);
}
