// The packages as a user gets them: `npm pack` @ai-gateway/core and @ai-gateway/resume from
// dist/packages, then a fresh NestJS 11 app in a temporary folder (its own package.json,
// @nestjs/* from the registry, the two tarballs; no workspace file, no path alias) that
// imports AiGatewayModule.forRootAsync (options from its own ConfigService) and ResumeModule.
// Compiled with its own TypeScript (the declarations are checked as a user's build reads
// them), booted twice:
//   1. with nothing configured — no Redis, PostgreSQL or key: the embedded local fake answers;
//   2. configured at the fake provider (started from dist/apps/fake-provider): chat,
//      chatStream, embed and a parse task (answer, repair, answer) through the host's routes.
// Usage: node tools/consumer-test.mjs [--node <node binary>] [--npm <npm-cli.js>] [--keep]
// Needs `nx run-many -t build -p ai-gateway resume fake-provider-app` first (the Nx target
// `tools:consumer` depends on those builds).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { get, parseAnswer, post, SAMPLE_RESUME, startProcess } from './consumer/support.mjs';
import { node24NpmEnv } from './node24.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    node: { type: 'string', default: process.execPath },
    npm: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const node = args.node;
const version = execFileSync(node, ['--version']).toString().trim();
// npm runs lifecycle scripts with the `node` on PATH: the Node under test comes first.
const PATH = `${dirname(node)}:${process.env.PATH ?? ''}`;
const npmEnv = args.npm ? node24NpmEnv({ ...process.env, PATH }) : { ...process.env, PATH };
// The apps get no variable of this machine's (no REDIS_URL, DATABASE_URL or provider key).
const appEnv = { PATH, HOME: process.env.HOME ?? tmpdir() };
const work = mkdtempSync(join(tmpdir(), 'ai-gateway-consumer-'));
const timings = {};
const children = new Set();

try {
  const tarballs = await step('pack', () => pack());
  const host = await step('install', () => install(tarballs));
  await step('compile', () =>
    run(node, [join(host, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], host),
  );
  await step('embedded defaults', () => embeddedDefaults(host));
  await step('configured provider', () => configuredProvider(host));
  const total = Object.values(timings).reduce((sum, ms) => sum + ms, 0);
  console.log(
    `consumer test passed on Node ${version} in ${(total / 1000).toFixed(1)} s (` +
      Object.entries(timings)
        .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
        .join(', ') +
      ')',
  );
} finally {
  for (const child of children) child.kill('SIGKILL');
  if (args.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

async function step(name, action) {
  const started = Date.now();
  process.stdout.write(`consumer: ${name}…\n`);
  const result = await action();
  timings[name] = Date.now() - started;
  return result;
}

/** `npm pack` of each built package folder; returns the tarball paths by package name. */
function pack() {
  const tarballs = {};
  for (const name of ['core', 'resume']) {
    const folder = join(root, 'dist/packages', name);
    if (!existsSync(join(folder, 'package.json'))) {
      throw new Error(
        `${folder} is not built: run \`npx nx run-many -t build -p ai-gateway resume\``,
      );
    }
    const [info] = JSON.parse(npm(['pack', folder, '--json', '--pack-destination', work], work));
    tarballs[info.name] = join(work, info.filename);
    const files = info.files.map((file) => file.path);
    assert.ok(files.includes('lib/index.d.ts'), `${info.name}: no declarations in the tarball`);
    assert.ok(files.includes('README.md'), `${info.name}: no README in the tarball`);
    assert.ok(
      !files.some((file) => /\.(spec|int-spec|fixtures)\.(js|d\.ts)$|\.ts$(?<!\.d\.ts)/.test(file)),
    );
  }
  return tarballs;
}

/** A fresh NestJS 11 app: its own package.json, dependencies from the registry and the tarballs. */
function install(tarballs) {
  const host = join(work, 'host');
  cpSync(join(root, 'tools/consumer/host'), host, { recursive: true });
  const manifest = {
    name: 'host-backend',
    version: '1.0.0',
    private: true,
    dependencies: {
      '@ai-gateway/core': `file:${tarballs['@ai-gateway/core']}`,
      '@ai-gateway/resume': `file:${tarballs['@ai-gateway/resume']}`,
      '@nestjs/common': '^11.1.0',
      '@nestjs/config': '^4.0.0',
      '@nestjs/core': '^11.1.0',
      '@nestjs/platform-express': '^11.1.0',
      'reflect-metadata': '^0.2.2',
      rxjs: '^7.8.1',
    },
    devDependencies: { '@types/node': '^24.0.0', typescript: '^5.9.0' },
  };
  writeFileSync(join(host, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  npm(['install', '--no-audit', '--no-fund', '--loglevel=error'], host);
  const installed = JSON.parse(
    readFileSync(join(host, 'node_modules/@nestjs/core/package.json'), 'utf8'),
  );
  assert.match(installed.version, /^11\./, 'the host runs NestJS 11');
  return host;
}

/** No configuration at all: the host starts on the embedded defaults. */
async function embeddedDefaults(host) {
  const app = await startHost(host, {});
  try {
    assert.ok((await get(`${app.url}/demo/models`)).includes('local-fake/echo'));
    const chat = await post(`${app.url}/demo/chat`, {
      model: 'local-fake/echo',
      text: 'Hello from the host',
    });
    assert.equal(chat.content, '[local fake provider, not a real model] Hello from the host');
    assert.equal(chat.provider, 'local-fake');
    assert.equal(chat.fake, true);
  } finally {
    await app.stop();
  }
}

/** The host's ConfigService points the gateway at a provider (the fake provider's server). */
async function configuredProvider(host) {
  const { url: fake, stop: stopFake } = await startFake();
  const app = await startHost(host, { LLM_BASE_URL: `${fake}/openai/v1` }).catch(async (error) => {
    await stopFake();
    throw error;
  });
  try {
    await script(fake, { text: 'Four score and seven', usage: { prompt: 11, completion: 4 } });
    const chat = await post(`${app.url}/demo/chat`, { model: 'vllm/llama-3', text: 'the speech' });
    assert.deepEqual(chat, {
      content: 'Four score and seven',
      provider: 'vllm',
      model: 'llama-3',
      fake: false,
      usage: { prompt: 11, completion: 4 },
    });

    await script(fake, { text: 'one two three four', chunks: 4 });
    const stream = await post(`${app.url}/demo/stream`, { model: 'vllm/llama-3', text: 'count' });
    assert.equal(stream.parts.length, 4);
    assert.equal(stream.parts.join(''), 'one two three four');
    assert.equal(stream.completed, true);

    const input = ['alpha beta', 'gamma'];
    const embed = await post(`${app.url}/demo/embed`, { model: 'vllm/embed-1', input });
    const direct = await post(`${fake}/openai/v1/embeddings`, {
      model: 'embed-1',
      input,
      dimensions: 8,
    });
    assert.deepEqual(
      embed.vectors,
      direct.data.map((item) => item.embedding),
    );
    for (const vector of embed.vectors) {
      assert.equal(vector.length, 8);
      assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-9, 'unit vectors');
    }

    // The first answer names an employer the resume does not have: one repair, then valid.
    await script(fake, {
      text: parseAnswer('Babbage & Sons'),
      usage: { prompt: 300, completion: 90 },
    });
    await script(fake, {
      text: parseAnswer('Analytical Engine Company'),
      usage: { prompt: 420, completion: 91 },
    });
    const parse = await post(`${app.url}/demo/parse`, {
      model: 'vllm/llama-3',
      text: SAMPLE_RESUME,
    });
    assert.equal(parse.type, 'parse');
    assert.equal(parse.output.resume.basics.name, 'Ada Lovelace');
    assert.equal(parse.output.resume.work[0].name, 'Analytical Engine Company');
    assert.deepEqual(parse.output.confidence, { basics: 0.95, work: 0.9, education: 0.85 });
    assert.deepEqual(
      parse.calls.map((call) => [call.repair, call.outcome]),
      [
        [false, 'invalid'],
        [true, 'valid'],
      ],
    );
    assert.deepEqual(
      [parse.usage.promptTokens, parse.usage.completionTokens, parse.usage.totalTokens],
      [720, 181, 901],
    );
    assert.deepEqual(parse.model, { provider: 'vllm', model: 'llama-3', fake: false });

    const { requests } = await get(`${fake}/_fake/requests`);
    const calls = requests.filter((request) => request.operation === 'chat');
    assert.equal(calls.length, 4, 'chat, stream, parse and its repair reached the provider');
    assert.equal(calls.at(-1).body.response_format.type, 'json_schema');
  } finally {
    await app.stop();
    await stopFake();
  }
}

function npm(argv, cwd) {
  const cli = args.npm ? [node, [args.npm, ...argv]] : ['npm', argv];
  return execFileSync(cli[0], cli[1], {
    cwd,
    env: npmEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function run(command, argv, cwd) {
  execFileSync(command, argv, { cwd, env: appEnv, stdio: 'inherit' });
}

async function startHost(host, config) {
  const cwd = join(work, `run-${Object.keys(config).length ? 'configured' : 'embedded'}`);
  mkdirSync(cwd, { recursive: true });
  const { match, stop } = await startProcess(node, [join(host, 'dist/main.js')], {
    cwd,
    children,
    env: { ...appEnv, PORT: '0', ...config },
    ready: /host listening on (http:\/\/\S+)/,
    name: 'the host app',
  });
  return { url: match.replace('[::1]', '127.0.0.1'), stop };
}

async function startFake() {
  const main = join(root, 'dist/apps/fake-provider/src/main.js');
  if (!existsSync(main))
    throw new Error(`${main} is missing: run \`npx nx run fake-provider-app:build\``);
  const { match, stop } = await startProcess(node, [main], {
    cwd: work,
    children,
    env: { ...appEnv, PORT: '0', HOST: '127.0.0.1' },
    ready: /"url":"(http:\/\/[^"]+)"/,
    name: 'the fake provider',
  });
  return { url: match, stop };
}

async function script(fake, body) {
  await post(`${fake}/_fake/scripts`, { script: body });
}
