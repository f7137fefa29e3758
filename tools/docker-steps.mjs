// The Dockerfile's steps without a Docker engine (CI has none), on Node 24 and the npm it
// ships (tools/node24.mjs): in a scratch folder per stage, COPY from the build context
// (.dockerignore applied), ENV, WORKDIR and RUN as written — `npm ci`, the build, `npm
// prune` — then the runtime stage's COPY --from, and its CMD started on Node 24 from the
// runtime's files only, answering health, a chat completion and a caller's mistake (400).
// The fake provider's docker-compose command runs from the same files. npm gets no user
// npmrc (HOME is the scratch folder), as in a container; only the machine's registry,
// proxy and CA settings (its global npmrc) and its download cache are kept.
// Usage: node tools/docker-steps.mjs [--keep]
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNode24, node24NpmEnv } from './node24.mjs';

const require = createRequire(import.meta.url);
const { parseDockerfile, parseEnv, dockerIgnore } = require('./dockerfile.js');
const { parse: parseYaml } = require('yaml');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const { node, npm, version } = ensureNode24();
const scratch = mkdtempSync(join(tmpdir(), 'ai-gateway-docker-'));
const stages = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const ignored = dockerIgnore(readFileSync(join(root, '.dockerignore'), 'utf8'));
const timings = [];
const children = new Set();

// `npm` and `npx` of Node 24, first on PATH for every RUN (and the scripts npm runs).
const bin = join(scratch, 'bin');
mkdirSync(bin);
for (const [name, cli] of [
  ['npm', npm],
  ['npx', join(dirname(npm), 'npx-cli.js')],
]) {
  writeFileSync(join(bin, name), `#!/bin/sh\nexec "${node}" "${cli}" "$@"\n`);
  chmodSync(join(bin, name), 0o755);
}
const machineCache = execFileSync('npm', ['config', 'get', 'cache']).toString().trim();
const baseEnv = node24NpmEnv({
  PATH: `${bin}:${dirname(node)}:/usr/local/bin:/usr/bin:/bin`,
  HOME: join(scratch, 'home'),
  npm_config_cache: machineCache,
  // Native addons (better-sqlite3) compile against Node 24's own headers, never a download.
  npm_config_nodedir: dirname(dirname(node)),
  ...pick(process.env, [
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'NO_PROXY',
    'http_proxy',
    'https_proxy',
    'no_proxy',
  ]),
});
mkdirSync(baseEnv.HOME);

try {
  const filesystems = new Map();
  let runtime;
  for (const stage of stages) {
    assert.match(stage.image, /^node:24(\.|-|$)/, `FROM ${stage.image}: not Node 24`);
    runtime = runStage(stage, filesystems);
  }
  await step('CMD', () => smoke(runtime));
  console.log(
    `Dockerfile steps passed on Node ${version} (${timings.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(', ')})`,
  );
} finally {
  for (const child of children) child.kill('SIGKILL');
  if (keep) console.log(`kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

/** One stage in its own folder (its "filesystem"); returns where it ended and with what. */
function runStage(stage, filesystems) {
  const fs = join(scratch, `stage-${stage.name ?? filesystems.size}`);
  mkdirSync(fs);
  filesystems.set(stage.name ?? String(filesystems.size), fs);
  const state = { fs, workdir: '/', env: {}, user: 'root', cmd: undefined, exposed: [] };
  const at = (path) => join(fs, isAbsolute(path) ? path : posix.join(state.workdir, path));
  for (const { keyword, args, json, flags } of stage.instructions) {
    switch (keyword) {
      case 'WORKDIR':
        state.workdir = posix.resolve(state.workdir, args);
        mkdirSync(at('.'), { recursive: true });
        break;
      case 'ENV':
        Object.assign(state.env, parseEnv(args));
        break;
      case 'COPY': {
        const parts = json ?? args.split(/\s+/);
        const dest = parts.pop();
        for (const source of parts) {
          if (flags.from) {
            // The build stage is not reused: moving is the same result as copying, faster.
            const from = join(filesystems.get(flags.from), source);
            assert.ok(existsSync(from), `COPY --from=${flags.from} ${source}: not in that stage`);
            mkdirSync(dirname(at(dest)), { recursive: true });
            renameSync(from, at(dest));
          } else copyContext(source, at(dest), dest);
        }
        break;
      }
      case 'RUN':
        step(`RUN ${args.length > 40 ? `${args.slice(0, 40)}…` : args}`, () =>
          execFileSync('sh', ['-c', args], {
            cwd: at('.'),
            env: { ...baseEnv, ...state.env },
            stdio: ['ignore', 'inherit', 'inherit'],
          }),
        );
        break;
      case 'USER':
        state.user = args;
        break;
      case 'EXPOSE':
        state.exposed.push(...args.split(/\s+/).map(Number));
        break;
      case 'CMD':
        assert.ok(json, 'CMD must be in exec form (JSON), so signals reach node');
        state.cmd = json;
        break;
      default:
        throw new Error(`docker-steps: ${keyword} is not emulated`);
    }
  }
  return state;
}

/** COPY from the build context: `.` is the whole context less .dockerignore. */
function copyContext(source, target, dest) {
  const from = join(root, source);
  if (source === '.') {
    for (const file of contextFiles(root)) {
      mkdirSync(dirname(join(target, file)), { recursive: true });
      cpSync(join(root, file), join(target, file), { verbatimSymlinks: true });
    }
    return;
  }
  assert.ok(!ignored(source), `COPY ${source}: excluded by .dockerignore`);
  const into = dest.endsWith('/') || dest === '.' ? join(target, posix.basename(source)) : target;
  mkdirSync(dirname(into), { recursive: true });
  cpSync(from, into, { recursive: true });
}

function* contextFiles(dir, prefix = '') {
  for (const name of readdirSync(dir)) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (ignored(rel)) continue;
    if (statSync(join(dir, name)).isDirectory()) yield* contextFiles(join(dir, name), rel);
    else yield rel;
  }
}

/** The runtime stage's CMD and the fake provider's compose command, on Node 24. */
async function smoke(state) {
  assert.notEqual(state.user, 'root', 'the runtime runs as a non-root user');
  const app = join(state.fs, state.workdir);
  assert.ok(!existsSync(join(app, 'node_modules/jest')), 'dev dependencies were pruned');
  const [command, ...argv] = state.cmd;
  assert.equal(command, 'node');
  const port = 18_000 + Math.floor(Math.random() * 2_000);
  const gateway = await start(
    argv,
    app,
    { ...state.env, PORT: String(port), HOST: '127.0.0.1' },
    `http://127.0.0.1:${port}/health/live`,
  );
  const url = `http://127.0.0.1:${port}`;
  const chat = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'local-fake/echo',
      messages: [{ role: 'user', content: 'Hello' }],
    }),
  });
  const answer = await chat.json();
  assert.equal(chat.status, 200, JSON.stringify(answer));
  assert.equal(answer.choices[0].message.content, '[local fake provider, not a real model] Hello');
  assert.equal(chat.headers.get('x-gateway-provider'), 'local-fake');
  const bad = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'local-fake/echo',
      messages: [{ role: 'user', content: [null, 5] }],
    }),
  });
  assert.equal(bad.status, 400, 'a caller mistake is a 400');
  await gateway.stop();

  const compose = parseYaml(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  });
  const fake = compose.services['fake-provider'];
  const [fakeCommand, ...fakeArgv] = fake.command;
  assert.equal(fakeCommand, 'node');
  const fakePort = port + 1;
  const server = await start(
    fakeArgv,
    app,
    { ...state.env, ...fake.environment, PORT: String(fakePort), HOST: '127.0.0.1' },
    `http://127.0.0.1:${fakePort}/openai/v1/models`,
  );
  await server.stop();
}

async function start(argv, cwd, env, readyUrl) {
  const child = spawn(node, argv, {
    cwd,
    env: { PATH: baseEnv.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(readyUrl).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `node ${argv.join(' ')} did not answer ${readyUrl}:\n${output.slice(-4_000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
      children.delete(child);
    },
  };
}

function step(name, action) {
  const started = Date.now();
  console.log(`docker-steps: ${name}`);
  const result = action();
  const done = () => timings.push([name.split(' ').slice(0, 3).join(' '), Date.now() - started]);
  if (result instanceof Promise) return result.finally(done);
  done();
  return result;
}

function pick(env, names) {
  return Object.fromEntries(names.filter((name) => env[name]).map((name) => [name, env[name]]));
}
