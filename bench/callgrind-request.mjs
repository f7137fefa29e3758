// Instructions per request, counted by valgrind's callgrind: a repeatable figure where the
// machine's speed moves from one run to the next (wall-clock benchmarks here vary by ±30 %).
// Starts the bench's fake provider and one gateway under `valgrind --tool=callgrind` with
// instrumentation off, warms it up, switches instrumentation on for a fixed number of
// sequential requests (one connection), and prints the gateway's instructions per request.
//
//   node bench/callgrind-request.mjs [--mode=json|stream] [--requests=400] [--warmup=400]
//
// Environment: BENCH_GATEWAY_ENTRY (the build to measure, default dist/ of this checkout),
// any OTEL_* variable (passed to the gateway: tracing on), BETTER_SQLITE3_BINDING,
// CALLGRIND_KEEP=<file> (keep the profile). The Node binary is the one running this script
// (run it with Node 24's to measure Node 24).
import { spawn, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchGatewayYaml,
  freePort,
  installCleanup,
  startFake,
  stopAll,
} from './lib/processes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const mode = arg('mode', 'json');
const requests = Number(arg('requests', '400'));
const warmup = Number(arg('warmup', '400'));

installCleanup();
const fake = await startFake({ root, core: 0 });
const dir = mkdtempSync(join(tmpdir(), 'ai-gateway-callgrind-'));
const config = join(dir, 'gateway.yaml');
writeFileSync(config, benchGatewayYaml(fake.url));
const port = await freePort();
const entry = process.env.BENCH_GATEWAY_ENTRY ?? join(root, 'dist/apps/gateway-api/src/main.js');
const out = join(dir, 'callgrind.out');
const gateway = spawn(
  'valgrind',
  [
    '--tool=callgrind',
    '--instr-atstart=no',
    `--callgrind-out-file=${out}`,
    process.execPath,
    '--max-old-space-size=512',
    entry,
  ],
  {
    env: {
      ...process.env,
      AI_GATEWAY_CONFIG: config,
      AI_GATEWAY_DATA_DIR: join(dir, 'data'),
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let output = '';
gateway.stdout.on('data', (d) => (output += d));
gateway.stderr.on('data', (d) => (output += d));
const url = `http://127.0.0.1:${port}`;

const body = JSON.stringify({
  model: 'fake/bench-model',
  messages: [{ role: 'user', content: 'Say hello to the benchmark in a few words.' }],
  ...(mode === 'stream' ? { stream: true } : {}),
});
async function one() {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`status ${res.status}: ${output.slice(-2000)}`);
}

try {
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/health/ready`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || gateway.exitCode !== null) {
      throw new Error(`gateway under valgrind not ready:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  for (let i = 0; i < warmup; i++) await one();
  execFileSync('callgrind_control', ['-i', 'on', String(gateway.pid)], { stdio: 'ignore' });
  for (let i = 0; i < requests; i++) await one();
  execFileSync('callgrind_control', ['-i', 'off', String(gateway.pid)], { stdio: 'ignore' });
  gateway.kill('SIGTERM');
  await new Promise((r) => gateway.once('exit', r));
  const files = readdirSync(dir).filter((f) => f.startsWith('callgrind.out'));
  // CALLGRIND_KEEP=<file>: keep the profile, for `callgrind_annotate <file>` (native and
  // builtin functions by name; JIT-compiled JavaScript shows as addresses).
  if (process.env.CALLGRIND_KEEP) copyFileSync(join(dir, files[0]), process.env.CALLGRIND_KEEP);
  let instructions = 0;
  for (const file of files) {
    // One `totals:` line per dumped part (threads are not separated: all of them count).
    for (const [, total] of readFileSync(join(dir, file), 'utf8').matchAll(/^totals: (\d+)/gm)) {
      instructions += Number(total);
    }
  }
  console.log(
    JSON.stringify({
      mode,
      node: process.version,
      entry,
      tracing: Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT),
      requests,
      instructionsPerRequest: Math.round(instructions / requests),
    }),
  );
} finally {
  gateway.kill('SIGKILL');
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}
