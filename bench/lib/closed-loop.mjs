// A closed-loop load generator with exact per-request latencies: `concurrency` workers
// share a counter and each sends its next request as soon as the previous one is read to
// the end. Used by the hedging benchmark, where the tail matters and autocannon's
// whole-millisecond histogram and time-boxed runs would blur it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Pool } = require('undici');

/** Nearest-rank percentiles (p99 of 1,000 samples is the 990th smallest), mean and max. */
export function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const at = (q) => (n ? sorted[Math.max(0, Math.ceil(q * n) - 1)] : NaN);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: n,
    mean: n ? sum / n : NaN,
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    max: n ? sorted[n - 1] : NaN,
  };
}

/**
 * Sends `requests` POSTs of `body` to `origin` + `path`, `concurrency` at a time, over
 * one kept-alive connection per worker. Per request it records the time to the end of
 * the response (float ms, `performance.now()`), for streams also to the first body byte,
 * and the gateway's `x-gateway-provider` and `x-gateway-attempts` headers. A response
 * counts as a failure unless it is a 200 that is complete (`chat.completion` JSON, or an
 * SSE stream ending with `data: [DONE]`).
 */
export async function runClosedLoop({
  origin,
  path = '/v1/chat/completions',
  body,
  stream,
  requests,
  concurrency,
  timeoutMs = 30_000,
}) {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const latencyMs = [];
  const firstByteMs = [];
  const byProvider = {};
  let attempts = 0;
  const failures = [];
  let next = 0;

  async function one() {
    const t0 = performance.now();
    const res = await pool.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    let tFirst = NaN;
    let text = '';
    for await (const chunk of res.body) {
      if (Number.isNaN(tFirst)) tFirst = performance.now();
      // Only the end is checked; keep a bounded tail, not the whole body.
      text = (text + chunk.toString('utf8')).slice(-4096);
    }
    const tEnd = performance.now();
    const complete = stream
      ? text.trimEnd().endsWith('data: [DONE]')
      : text.includes('"chat.completion"');
    if (res.statusCode !== 200 || !complete) {
      failures.push(`HTTP ${res.statusCode}: ${text.slice(-200)}`);
      return;
    }
    latencyMs.push(tEnd - t0);
    if (stream) firstByteMs.push(tFirst - t0);
    const provider = String(res.headers['x-gateway-provider'] ?? '?');
    (byProvider[provider] ??= []).push(tEnd - t0);
    attempts += Number(res.headers['x-gateway-attempts'] ?? NaN);
  }

  async function worker() {
    while (next < requests) {
      next += 1;
      try {
        await one();
      } catch (error) {
        failures.push(`${error?.code ?? error?.name ?? 'error'}: ${error?.message ?? error}`);
      }
    }
  }

  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await pool.close();
  }
  return {
    requests,
    concurrency,
    seconds: (performance.now() - started) / 1000,
    ok: latencyMs.length,
    latencyMs: percentiles(latencyMs),
    firstByteMs: stream ? percentiles(firstByteMs) : undefined,
    /** Per serving provider (`x-gateway-provider`): responses and their latency. */
    servedBy: Object.fromEntries(
      Object.entries(byProvider).map(([name, values]) => [name, percentiles(values)]),
    ),
    /** Sum of `x-gateway-attempts` over successful responses (calls the gateway sent). */
    attempts,
    failures: failures.length,
    failureSamples: failures.slice(0, 5),
    /** Every latency in completion order, for the result file. */
    samplesMs: latencyMs.map((v) => Math.round(v * 100) / 100),
  };
}
