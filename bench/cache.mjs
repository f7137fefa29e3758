// Response cache benchmark (issue 6, "Must show" 3).
//
// Part 1, end to end over HTTP: the fake provider and a gateway process (Redis backend on
// loopback, then the memory backend); sequential requests on one kept-alive connection:
//   direct  — straight to the fake provider (no gateway): the floor
//   skip    — through the gateway with `x-gateway-cache: skip` (full path, provider call)
//   miss    — unique prompts: lookup, provider call, store
//   hit     — one prompt again and again: served from the exact cache
// "hit added" = hit p50 − direct p50: what a request answered by the cache costs beyond the
// fastest possible provider answer (goal ≤ 1 ms). "lookup on a miss" = miss p50 − skip p50.
//
// Part 2, in process: the semantic lookup (embed the prompt, nearest entry of the scope,
// guards) with 1,000 / 10,000 / 100,000 entries in one scope: p50/p99, and the memory the
// entries hold (goals: p99 ≤ 10 ms at 10k, ≤ 25 ms at 100k).
//
// Run: `npm run bench:cache` (builds first). Environment: BENCH_REQUESTS (per phase,
// default 2000), BENCH_SEMANTIC_SIZES (default 1000,10000,100000), BENCH_QUERIES (default
// 2000), BENCH_REDIS_URL (default redis://127.0.0.1:6379). `--json` prints JSON.
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from 'undici';
import { percentiles } from './lib/closed-loop.mjs';
import { distLoader, positiveInt } from './lib/dist.mjs';
import {
  benchGatewayYaml,
  installCleanup,
  startFake,
  startGateway,
  stopAll,
} from './lib/processes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REQUESTS = positiveInt('BENCH_REQUESTS', 2000);
const QUERIES = positiveInt('BENCH_QUERIES', 2000);
const SIZES = (process.env.BENCH_SEMANTIC_SIZES ?? '1000,10000,100000').split(',').map(Number);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const JSON_OUT = process.argv.includes('--json');
const log = (line) => (JSON_OUT ? process.stderr : process.stdout).write(`${line}\n`);

const fromDist = distLoader('cache/response-cache.service.js', 'the response cache');

/** Sequential POSTs on one connection; returns latency percentiles (ms) of `count` after a warm-up. */
async function sequential(origin, path, bodyOf, headers = {}, count = REQUESTS) {
  const client = new Client(origin, { pipelining: 1 });
  const samples = [];
  // Long enough for the JIT to settle the request path before anything is counted.
  const warmup = Math.min(1000, count);
  try {
    for (let i = 0; i < warmup + count; i++) {
      const t0 = performance.now();
      const res = await client.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(bodyOf(i)),
      });
      await res.body.arrayBuffer();
      const t1 = performance.now();
      if (res.statusCode !== 200) throw new Error(`${path}: HTTP ${res.statusCode}`);
      if (i >= warmup) samples.push(t1 - t0);
    }
  } finally {
    await client.close();
  }
  return percentiles(samples);
}

const body = (model, prompt) => ({
  model,
  temperature: 0,
  messages: [{ role: 'user', content: prompt }],
});

async function httpPart() {
  const results = {};
  for (const backend of ['redis', 'memory']) {
    // stopAll() ends every child: each backend gets its own fake provider.
    const fake = await startFake({ root, core: 1 });
    const prefix = `bench-cache-${randomUUID().slice(0, 8)}:`;
    const gateway = await startGateway({
      root,
      core: 0,
      fakeUrl: fake.url,
      configYaml: benchGatewayYaml(fake.url, [
        `cache: { backend: ${backend} }`,
        ...(backend === 'redis' ? [`redis: { url: '${REDIS_URL}', keyPrefix: '${prefix}' }`] : []),
      ]),
    });
    const prompt = 'What is the capital of France? Answer in one word.';
    const run = randomUUID();
    // Unique prompts first: they warm the whole path (lookup, call, store) for every phase.
    const miss = await sequential(gateway.url, '/v1/chat/completions', (i) =>
      body('fake/bench-model', `${prompt} ${run} ${i}`),
    );
    const phases = {
      direct: await sequential(fake.url, '/v1/chat/completions', () => body('bench-model', prompt)),
      skip: await sequential(
        gateway.url,
        '/v1/chat/completions',
        () => body('fake/bench-model', prompt),
        {
          'x-gateway-cache': 'skip',
        },
      ),
      miss,
      hit: await sequential(gateway.url, '/v1/chat/completions', () =>
        body('fake/bench-model', prompt),
      ),
    };
    results[backend] = {
      ...phases,
      hitAddedP50Ms: phases.hit.p50 - phases.direct.p50,
      missLookupP50Ms: phases.miss.p50 - phases.skip.p50,
    };
    await stopAll();
    if (backend === 'redis') await dropKeys(prefix);
  }
  return results;
}

async function dropKeys(prefix) {
  const { GatewayConfigService } = fromDist('config/gateway-config.service.js');
  const { loadGatewayConfig } = fromDist('config/gateway-config.loader.js');
  const { RedisConnection } = fromDist('redis/redis-connection.service.js');
  const config = loadGatewayConfig({
    config: { redis: { url: REDIS_URL, keyPrefix: prefix } },
    env: {},
  });
  const redis = new RedisConnection(new GatewayConfigService(config));
  await redis.onModuleInit();
  await redis.run(
    {
      name: 'bench-drop',
      source:
        "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 0",
    },
    [],
    [`${prefix}*`],
  );
  await redis.onModuleDestroy();
}

/** Realistic, varied prompts: templates × subjects × numbers, so no two are alike. */
function syntheticPrompt(i) {
  const subjects = [
    'Python',
    'a resume',
    'PostgreSQL',
    'a cover letter',
    'Kubernetes',
    'React',
    'an interview',
    'a budget',
    'TypeScript',
    'a job offer',
  ];
  const templates = [
    (s, n) => `How do I improve ${s} for a role with ${n} years of experience?`,
    (s, n) => `Give me ${(n % 9) + 2} tips about ${s} for a senior engineer`,
    (s, n) => `Explain ${s} to a beginner in under ${(n % 300) + 50} words`,
    (s, n) => `What are common mistakes with ${s} in project number ${n}?`,
    (s, n) => `Write a short checklist for ${s}, version ${n}`,
  ];
  return templates[i % templates.length](subjects[Math.floor(i / 5) % subjects.length], i);
}

async function semanticPart() {
  const { LocalEmbedder } = fromDist('cache/semantic/local-embedder.js');
  const { SemanticIndex } = fromDist('cache/semantic/semantic-index.js');
  const { promptFeatures, featuresConflict } = fromDist('cache/semantic/prompt-guards.js');
  const embedder = new LocalEmbedder();
  const results = {};
  for (const size of SIZES) {
    const index = new SemanticIndex(
      () => ({ maxEntriesPerScope: size, maxScopes: 10, annFrom: 2_000 }),
      () => 0,
    );
    global.gc?.();
    const heapBefore = process.memoryUsage();
    const t0 = performance.now();
    for (let i = 0; i < size; i++) {
      const text = syntheticPrompt(i);
      index.add('scope', await embedder.embed(text), {
        exactKey: `k${i}`,
        features: JSON.stringify(promptFeatures(text)),
        requestId: `r${i}`,
        expiresAt: Number.MAX_SAFE_INTEGER,
      });
    }
    const buildMs = performance.now() - t0;
    global.gc?.();
    const heapAfter = process.memoryUsage();
    const samples = [];
    let hits = 0;
    for (let q = 0; q < QUERIES; q++) {
      // Half re-asks of stored prompts (reworded casing), half unseen prompts.
      const text =
        q % 2 === 0 ? syntheticPrompt((q * 7919) % size).toLowerCase() : syntheticPrompt(size + q);
      const start = performance.now();
      const vector = await embedder.embed(text);
      const match = index.nearest('scope', vector);
      if (match && !featuresConflict(promptFeatures(text), JSON.parse(match.entry.features)))
        hits++;
      samples.push(performance.now() - start);
    }
    const bytes =
      heapAfter.heapUsed +
      heapAfter.external +
      heapAfter.arrayBuffers -
      (heapBefore.heapUsed + heapBefore.external + heapBefore.arrayBuffers);
    results[size] = {
      buildMs,
      lookupMs: percentiles(samples),
      matchedShare: hits / QUERIES,
      bytesPer10k: (bytes / size) * 10_000,
      indexBytesPer10k: (index.approxBytes() / size) * 10_000,
    };
    index.clear();
  }
  return results;
}

installCleanup();
const http = await httpPart();
const semantic = await semanticPart();
const goals = {
  exactHitAddedP50: {
    goalMs: 1,
    redis: http.redis.hitAddedP50Ms,
    memory: http.memory.hitAddedP50Ms,
  },
  semanticP99At10k: { goalMs: 10, measured: semantic[10000]?.lookupMs.p99 },
  semanticP99At100k: { goalMs: 25, measured: semantic[100000]?.lookupMs.p99 },
};
if (JSON_OUT) {
  process.stdout.write(`${JSON.stringify({ http, semantic, goals }, null, 2)}\n`);
} else {
  const f = (ms) => ms.toFixed(3);
  for (const [backend, r] of Object.entries(http)) {
    log(`\nexact cache, ${backend} backend (${REQUESTS} sequential requests per phase, ms)`);
    log('phase   p50     p90     p99');
    for (const phase of ['direct', 'skip', 'miss', 'hit']) {
      log(`${phase.padEnd(7)} ${f(r[phase].p50)}  ${f(r[phase].p90)}  ${f(r[phase].p99)}`);
    }
    log(
      `hit added (hit − direct, p50): ${f(r.hitAddedP50Ms)} ms (goal ≤ 1 ms: ${r.hitAddedP50Ms <= 1 ? 'met' : 'MISSED'})`,
    );
    log(`lookup + store on a miss (miss − skip, p50): ${f(r.missLookupP50Ms)} ms`);
  }
  log(
    `\nsemantic lookup in one scope (local embedder: embed + nearest + guards; ${QUERIES} queries)`,
  );
  log('entries   build s  p50 ms  p99 ms  max ms  MB per 10k (heap)  MB per 10k (index)');
  for (const [size, r] of Object.entries(semantic)) {
    log(
      `${String(size).padEnd(9)} ${(r.buildMs / 1000).toFixed(1).padStart(7)}  ${f(r.lookupMs.p50)}  ${f(r.lookupMs.p99)}  ${f(r.lookupMs.max)}  ${(r.bytesPer10k / 1048576).toFixed(1).padStart(17)}  ${(r.indexBytesPer10k / 1048576).toFixed(1).padStart(18)}`,
    );
  }
  const verdict = (measured, goal) =>
    measured === undefined ? 'not run' : measured <= goal ? 'met' : 'MISSED';
  log(
    `goal p99 ≤ 10 ms at 10k: ${verdict(goals.semanticP99At10k.measured, 10)}; p99 ≤ 25 ms at 100k: ${verdict(goals.semanticP99At100k.measured, 25)}`,
  );
}
