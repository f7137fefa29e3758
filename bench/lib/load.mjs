// Load generation: autocannon for throughput and latency, a one-connection undici loop
// for time to first byte of streamed responses.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { Client } = require('undici');

/** Growable list of float samples (ms) with percentiles. */
class Samples {
  constructor(capacity = 1 << 16) {
    this.values = new Float64Array(capacity);
    this.length = 0;
  }

  push(value) {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  summary() {
    const sorted = this.values.slice(0, this.length).sort();
    const at = (q) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      count: sorted.length,
      mean: sorted.length ? sum / sorted.length : NaN,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      p999: at(0.999),
      max: sorted.length ? sorted[sorted.length - 1] : NaN,
    };
  }
}

/**
 * One autocannon run against `url` (POST `body`) for `seconds`. Latencies are taken from
 * autocannon's per-response event (float ms), because its own histogram keeps whole
 * milliseconds, too coarse for sub-millisecond loopback latencies.
 */
export async function runLoad({ url, body, connections, seconds }) {
  const latencies = new Samples();
  const instance = autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const started = performance.now();
  const result = await instance;
  const elapsedS = (performance.now() - started) / 1000;
  const latency = latencies.summary();
  return {
    connections,
    seconds: elapsedS,
    requests: result.requests.total,
    ok: result['2xx'],
    rps: result['2xx'] / elapsedS,
    latencyMs: latency,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
    bytesPerSecond: result.throughput.average,
    // autocannon's own (whole-millisecond) percentiles, for comparison with other reports.
    autocannonLatencyMs: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      mean: result.latency.average,
    },
  };
}

/**
 * Sends `count` streaming requests one after another over a single kept-alive
 * connection and records, per request, the time to the response headers, to the first
 * body byte and to the end of the stream (which must end with `data: [DONE]`).
 */
export async function measureTtfb({ origin, path, body, count, warmup = 50 }) {
  const client = new Client(origin, { pipelining: 1 });
  const headers = new Samples(count);
  const firstByte = new Samples(count);
  const total = new Samples(count);
  const failures = [];
  try {
    for (let i = 0; i < warmup + count; i++) {
      const t0 = performance.now();
      const res = await client.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const tHeaders = performance.now();
      let tFirst = NaN;
      let tail = '';
      for await (const chunk of res.body) {
        if (Number.isNaN(tFirst)) tFirst = performance.now();
        tail = (tail + chunk.toString('utf8')).slice(-64);
      }
      const tEnd = performance.now();
      if (res.statusCode !== 200 || !tail.includes('data: [DONE]')) {
        failures.push(`status ${res.statusCode}, ends with ${JSON.stringify(tail.slice(-32))}`);
        continue;
      }
      if (i < warmup) continue;
      headers.push(tHeaders - t0);
      firstByte.push(tFirst - t0);
      total.push(tEnd - t0);
    }
  } finally {
    await client.close();
  }
  return {
    count,
    headersMs: headers.summary(),
    firstByteMs: firstByte.summary(),
    totalMs: total.summary(),
    failures: failures.length,
    failureSamples: failures.slice(0, 5),
  };
}
