// Routing-decision micro-benchmark: times RoutePlanner.plan() — resolution, capability
// filter and strategy — per strategy, in process, against the compiled library.
// Run with `node tools/build.mjs && node bench/routing.mjs` (issue 3, "Must show" 7: ≤ 50 µs).
//
// Environment: BENCH_ITERATIONS (measured plans per scenario, default 200000),
// BENCH_WARMUP_ITERATIONS (default 20000).
import { cpus } from 'node:os';
import { distLoader, positiveInt } from './lib/dist.mjs';

const fromDist = distLoader('routing/route-planner.service.js', 'the routing planner');
const { loadGatewayConfig } = fromDist('config/gateway-config.loader.js');
const { GatewayConfigService } = fromDist('config/gateway-config.service.js');
const { LatencyTracker } = fromDist('routing/latency-tracker.service.js');
const { ModelResolver } = fromDist('routing/model-resolver.service.js');
const { RoutePlanner } = fromDist('routing/route-planner.service.js');

const ITERATIONS = positiveInt('BENCH_ITERATIONS', 200_000);
const WARMUP = positiveInt('BENCH_WARMUP_ITERATIONS', 20_000);
const GOAL_NS = 50_000;

const ALL = ['tools', 'json', 'vision'];
const info = (contextWindow, input, output, features = ALL) => ({
  contextWindow,
  inputCostPerMTok: input,
  outputCostPerMTok: output,
  features,
});
const compatible = (name, extra) => ({
  kind: 'openai-compatible',
  baseUrl: `http://${name}.invalid/v1`,
  ...extra,
});
// Six providers, several models each, every model with info: the filter and the cost
// strategy do their full work.
const config = {
  providers: {
    openai: {
      kind: 'openai',
      apiKeys: ['sk-bench'],
      priority: 2,
      models: ['gpt-4o', 'gpt-4o-mini', 'llama-3-70b'],
      modelInfo: { 'gpt-4o': info(128_000, 2.5, 10), 'gpt-4o-mini': info(128_000, 0.15, 0.6) },
    },
    anthropic: {
      kind: 'anthropic',
      apiKeys: ['sk-bench'],
      priority: 3,
      models: ['claude-sonnet', 'claude-haiku'],
      modelInfo: { 'claude-sonnet': info(200_000, 3, 15), 'claude-haiku': info(200_000, 0.8, 4) },
    },
    gemini: {
      kind: 'gemini',
      apiKeys: ['bench'],
      priority: 1,
      models: ['gemini-flash', 'gemini-pro'],
      modelInfo: {
        'gemini-flash': info(1_000_000, 0.1, 0.4),
        'gemini-pro': info(2_000_000, 1.25, 5),
      },
    },
    groq: compatible('groq', {
      priority: 1,
      models: ['llama-3-70b'],
      modelInfo: { 'llama-3-70b': info(8_192, 0.59, 0.79, ['tools', 'json']) },
    }),
    together: compatible('together', {
      priority: 1,
      models: ['llama-3-70b', 'qwen2'],
      modelInfo: { 'llama-3-70b': info(8_192, 0.88, 0.88, ['json']) },
    }),
    ollama: {
      kind: 'ollama',
      priority: 5,
      models: ['llama-3-70b', 'qwen2'],
      modelInfo: { 'llama-3-70b': info(8_192, 0, 0, []), qwen2: info(32_768, 0, 0, []) },
    },
  },
  routes: {},
};
const TARGETS = [
  'gemini/gemini-flash',
  'openai/gpt-4o-mini',
  'anthropic/claude-haiku',
  'groq/llama-3-70b',
  'ollama/qwen2',
];
for (const strategy of ['priority', 'cost', 'latency', 'capability', 'round-robin', 'weighted']) {
  config.routes[strategy] = {
    targets: TARGETS,
    strategy,
    ...(strategy === 'weighted' ? { weights: [5, 3, 2, 1, 1] } : {}),
  };
}

const configService = new GatewayConfigService(loadGatewayConfig({ config, env: {} }));
const latency = new LatencyTracker();
const planner = new RoutePlanner(configService, latency, new ModelResolver(configService));

// Measured latencies for every target, so the latency strategy ranks instead of exploring.
// mulberry32: a deterministic uniform draw, so every run makes the same decisions.
let state = 42;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
for (const target of TARGETS) {
  const [provider, model] = target.split('/');
  for (let i = 0; i < 50; i += 1) {
    const latencyMs = 200 + random() * 800;
    latency.record(provider, model, { latencyMs, ttftMs: latencyMs / 4, ok: true });
  }
}

const messages = [
  { role: 'system', content: 'You are a careful assistant that answers in two sentences.' },
  {
    role: 'user',
    content:
      'Summarise the main trade-offs between routing by cost and routing by latency in an ' +
      'LLM gateway, for a team choosing between them.',
  },
];
const request = (model, extra = {}) => ({ model, messages, max_tokens: 400, ...extra });
const tools = [
  {
    type: 'function',
    function: {
      name: 'lookup_price',
      description: 'Price of a model per million tokens',
      parameters: { type: 'object', properties: { model: { type: 'string' } } },
    },
  },
];

const scenarios = [
  ...Object.keys(config.routes).map((route) => ({ name: `route, ${route}`, body: request(route) })),
  { name: 'route, latency, stream', body: request('latency', { stream: true }) },
  { name: 'route, priority, tools', body: request('priority', { tools }) },
  { name: 'bare model (4 providers)', body: request('llama-3-70b') },
  { name: 'explicit provider/model', body: request('openai/gpt-4o') },
  {
    name: 'explicit + allowFallback',
    body: request('openai/llama-3-70b'),
    options: { allowFallback: true },
  },
  {
    name: 'chain override (3 entries)',
    body: request('priority'),
    options: { chain: ['anthropic/claude-sonnet', 'cost', 'llama-3-70b'] },
  },
];

function measure({ body, options = {} }) {
  const opts = { ...options, random };
  for (let i = 0; i < WARMUP; i += 1) planner.plan(body, opts);
  const samples = new Float64Array(ITERATIONS);
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i += 1) {
    const before = process.hrtime.bigint();
    sink += planner.plan(body, opts).candidates.length;
    samples[i] = Number(process.hrtime.bigint() - before);
  }
  const total = Number(process.hrtime.bigint() - started);
  if (sink === 0) throw new Error('no candidates planned');
  samples.sort();
  const at = (q) => samples[Math.min(ITERATIONS - 1, Math.ceil(q * ITERATIONS) - 1)];
  return { p50: at(0.5), p99: at(0.99), mean: total / ITERATIONS };
}

const rows = scenarios.map((scenario) => ({ name: scenario.name, ...measure(scenario) }));
const fmt = (ns) => `${(ns / 1000).toFixed(2)} µs`.padStart(10);
console.log(
  `RoutePlanner.plan(): ${ITERATIONS.toLocaleString('en')} plans per scenario after ` +
    `${WARMUP.toLocaleString('en')} warm-up; node ${process.version}, ${cpus()[0]?.model ?? '?'}`,
);
console.log(
  `${'scenario'.padEnd(30)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'mean'.padStart(10)}`,
);
for (const row of rows) {
  console.log(`${row.name.padEnd(30)}${fmt(row.p50)}${fmt(row.p99)}${fmt(row.mean)}`);
}
const worst = rows.reduce((a, b) => (b.p50 > a.p50 ? b : a));
const ok = worst.p50 <= GOAL_NS;
console.log(
  `goal p50 ≤ 50 µs per decision: ${ok ? 'met' : 'MISSED'} (worst p50 ${fmt(worst.p50).trim()}, ${worst.name}); ` +
    'per-op timings include ~0.05 µs of hrtime overhead',
);
process.exitCode = ok ? 0 : 1;
