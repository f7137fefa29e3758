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
  };
  Module({ imports: [core.AiGatewayModule.forRoot({ env: {}, config })] })(Host);
  const app = await NestFactory.createApplicationContext(Host, { logger: false });
  const registry = app.get(core.ProviderRegistry);
  const stub = {
    name: 'p',
    config: registry.get('p').config,
    chat: async () => response,
    close: async () => {},
  };
  registry.get = () => stub; // the provider call itself is not what is measured
  const gateway = app.get(core.AiGatewayService);
  const request = { model: 'p/m', messages: [{ role: 'user', content: 'hello world' }] };
  for (let i = 0; i < 20_000; i++) await gateway.chat(request);
  const n = 100_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await gateway.chat(request);
  const perCall = Number(process.hrtime.bigint() - started) / n / 1000;
  await app.close();
  return perCall;
}

(async () => {
  for (const root of process.argv.length > 2 ? process.argv.slice(2) : ['.']) {
    console.log(
      `${root}: ${(await measure(root)).toFixed(2)} µs per chat() (pipeline only, stub provider)`,
    );
  }
})();
