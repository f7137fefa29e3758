// The cost of each built-in middleware on the request path (issue 18): µs per request for a
// 1 KB and a 20 KB prompt (the `beforeRequest` hooks through the real MiddlewareRun, the
// request copy included, and the answer hooks on an answer of the same size), and µs per
// stream chunk (a streamed answer of ~20-character chunks through GuardedStream). In-process,
// on the built dist/, one core; the median of several rounds. The request path without
// middleware is measured by `npm run bench:callgrind` (instructions per request).
//
//   npm run bench:guardrails      (node tools/build.mjs && node bench/guardrails-overhead.mjs)
//   node bench/guardrails-overhead.mjs --text=prose   (one email per KB instead of a dense ticket)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = (path) => require(join(root, 'dist/libs/ai-gateway/src', path));
const { loadGatewayConfig } = dist('config/gateway-config.loader.js');
const { GatewayConfigService } = dist('config/gateway-config.service.js');
const { GatewayMetrics } = dist('observability/gateway-metrics.service.js');
const { GuardrailMetrics } = dist('pipeline/middleware/guardrail-metrics.js');
const { MiddlewareChain } = dist('pipeline/middleware/middleware-chain.js');
const { GuardedStream } = dist('pipeline/middleware/guarded-stream.js');
const { Logger } = require('@nestjs/common');

Logger.overrideLogger(false);
const ROUNDS = 7;

/** Prose of about `bytes` with one email address per KB (a typical long prompt). */
function prose(bytes) {
  const words =
    'the team reviewed our quarterly plan and agreed that the next release should focus on ' +
    'reliability, clearer onboarding and faster support answers for customers in every region';
  let out = '';
  for (let n = 0; out.length < bytes; n++) {
    out += `${words}. ${words.split(' ').reverse().join(' ')}. `;
    if (n % 3 === 0) out += `Questions go to owner${n}@example.com before Friday. `;
  }
  return out.slice(0, bytes);
}

/** A support-ticket-like text of about `bytes`: an email, a phone, a card, an order number, a date and a version per 300 characters. */
function prompt(bytes) {
  const lines = [];
  let n = 0;
  while (lines.join('\n').length < bytes) {
    n++;
    lines.push(
      `Ticket ${1000 + n}: customer jane.doe${n}@example.com called from +1 415 555 ${String(
        1000 + n,
      ).slice(-4)} about order 55-${n} (v2.${n}.1). She paid with 4111 1111 1111 1111 on` +
        ` 2024-03-${String((n % 28) + 1).padStart(2, '0')}, total $${n}9.99; the refund is` +
        ' pending. Please check the invoice, confirm the shipping address and reply today.' +
        ' Previous agent notes: replaced the router, firmware updated, issue persists at night.',
    );
  }
  return lines.join('\n').slice(0, bytes);
}

function chainFor(names) {
  const config = new GatewayConfigService(
    loadGatewayConfig({
      config: {
        providers: {
          p: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['m'] },
        },
        guardrails: { middleware: names, requestLogger: { sampleRate: 0 } },
      },
      env: {},
    }),
  );
  return new MiddlewareChain(config, new GuardrailMetrics(new GatewayMetrics()), []);
}

function answer(text) {
  return {
    id: 'c',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }],
  };
}

/** µs per call of `fn` (async), median of ROUNDS rounds of `n` calls. */
async function time(n, fn) {
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) await fn(i);
    rounds.push(((performance.now() - start) * 1000) / n);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(ROUNDS / 2)];
}

async function requestCost(names, text) {
  const chain = chainFor(names);
  const body = {
    model: 'm',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: text },
    ],
  };
  const n = text.length > 5_000 ? 100 : 1_000;
  return time(n, async (i) => {
    const run = chain.open(body, { requestId: `r${i}` }, 'chat');
    const sent = await run.before(body);
    if (run.changesAnswers) await run.after(answer(sent.messages[1].content));
  });
}

async function chunkCost(names, text) {
  const chain = chainFor(names);
  const body = { model: 'm', messages: [{ role: 'user', content: text }] };
  const run = chain.open(body, { requestId: 'r' }, 'chat_stream');
  const sent = await run.before(body);
  const reply = sent.messages[0].content;
  const chunks = [];
  for (let i = 0; i < reply.length; i += 20) {
    chunks.push({
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content: reply.slice(i, i + 20) }, finish_reason: null }],
    });
  }
  const source = {
    meta: {},
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
  };
  const perStream = await time(20, async () => {
    const stream = new GuardedStream(source, run)[Symbol.asyncIterator]();
    while (!(await stream.next()).done);
  });
  return perStream / chunks.length;
}

const texts = { dense: prompt, prose };
const kind = process.argv.find((a) => a.startsWith('--text='))?.split('=')[1] ?? 'dense';
const make = texts[kind];
const rows = [];
const sets = [
  ['none (a list with no middleware: no run)', []],
  ['pii_scrubber', ['pii_scrubber']],
  ['prompt_injection_detector', ['prompt_injection_detector']],
  ['request_logger (sampled out)', ['request_logger']],
  ['all three', ['pii_scrubber', 'prompt_injection_detector', 'request_logger']],
];
for (const [label, names] of sets) {
  if (names.length === 0) {
    const chain = chainFor([]);
    const body = { model: 'm', messages: [{ role: 'user', content: make(1024) }] };
    const us = await time(100_000, () => chain.open(body, {}, 'chat'));
    rows.push({
      middleware: label,
      '1 KB µs': us.toFixed(3),
      '20 KB µs': us.toFixed(3),
      'per chunk µs': '–',
    });
    continue;
  }
  rows.push({
    middleware: label,
    '1 KB µs': (await requestCost(names, make(1024))).toFixed(1),
    '20 KB µs': (await requestCost(names, make(20 * 1024))).toFixed(1),
    'per chunk µs': (await chunkCost(names, make(4 * 1024))).toFixed(2),
  });
}
console.log(`${kind} text, node ${process.version}, median of ${ROUNDS} rounds`);
console.table(rows);
