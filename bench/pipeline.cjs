// The library's own cost per chat() call: the whole pipeline (validation, route plan,
// keys, breakers, timers, executor, metrics) with a stub adapter in place of the
// provider, so no network or HTTP is measured. Compare two builds by passing their roots:
//   node tools/build.mjs && node bench/pipeline.cjs . [/path/to/other/checkout]
require('reflect-metadata');
const { resolve } = require('node:path');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

const response = {
  id: 'bench',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'hi', refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};

async function measure(root) {
  const core = require(resolve(root, 'dist/libs/ai-gateway/src/index.js'));
  class Host {}
  const config = {
    logging: { level: 'silent' },
    providers: { p: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9', models: ['m'] } },
    // BENCH_DATABASE_URL: measure with the PostgreSQL usage log instead of the embedded store.
    ...(process.env.BENCH_DATABASE_URL
      ? { usage: { databaseUrl: process.env.BENCH_DATABASE_URL } }
      : {}),
  };
  Module({ imports: [core.AiGatewayModule.forRoot({ env: {}, config })] })(Host);
  const app = await NestFactory.createApplicationContext(Host, { logger: false });
  const registry = app.get(core.ProviderRegistry);
  const chunk = (content) => ({
    id: 'bench',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }],
  });
  const chunks = Array.from({ length: 16 }, (_, i) => chunk(`w${i} `));
  async function* upstream() {
    for (const c of chunks) yield c;
  }
  const stub = {
    name: 'p',
    config: registry.get('p').config,
    chat: async () => response,
    chatStream: async () => upstream(),
    close: async () => {},
  };
  registry.get = () => stub; // the provider call itself is not what is measured
  const gateway = app.get(core.AiGatewayService);
  const request = { model: 'p/m', messages: [{ role: 'user', content: 'hello world' }] };
  const streamed = { ...request, stream: true };
  const drain = async () => {
    let chunks = 0;
    for await (const chunk of await gateway.chatStream(streamed)) chunks += chunk.choices.length;
    return chunks;
  };
  for (let i = 0; i < 20_000; i++) await gateway.chat(request);
  for (let i = 0; i < 5_000; i++) await drain();
  const n = 100_000;
  let started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await gateway.chat(request);
  const chat = Number(process.hrtime.bigint() - started) / n / 1000;
  const m = 20_000;
  started = process.hrtime.bigint();
  for (let i = 0; i < m; i++) await drain();
  const stream = Number(process.hrtime.bigint() - started) / m / 1000;
  // Cacheable requests (temperature 0; a build without the cache runs them as plain calls):
  // unique prompts (exact lookup, provider call, store) and one prompt again (a hit).
  const cacheable = (content) => ({
    ...request,
    temperature: 0,
    messages: [{ role: 'user', content }],
  });
  for (let i = 0; i < 5_000; i++) await gateway.chat(cacheable(`warm ${i}`));
  started = process.hrtime.bigint();
  for (let i = 0; i < m; i++) await gateway.chat(cacheable(`unique prompt ${i}`));
  const miss = Number(process.hrtime.bigint() - started) / m / 1000;
  await new Promise((r) => setImmediate(r));
  started = process.hrtime.bigint();
  for (let i = 0; i < m; i++) await gateway.chat(cacheable('unique prompt 0'));
  const hit = Number(process.hrtime.bigint() - started) / m / 1000;
  await app.close();
  return { chat, stream, miss, hit };
}

(async () => {
  for (const root of process.argv.length > 2 ? process.argv.slice(2) : ['.']) {
    const { chat, stream, miss, hit } = await measure(root);
    console.log(
      `${root}: ${chat.toFixed(2)} µs per chat(), ${stream.toFixed(2)} µs per 16-chunk chatStream(), ` +
        `cacheable: ${miss.toFixed(2)} µs per unique prompt, ${hit.toFixed(2)} µs per repeated prompt (pipeline only, stub provider)`,
    );
  }
})();
