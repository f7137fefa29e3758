// One autocannon run for the ingress benchmark: like load.mjs's runLoad (float-ms latencies
// from the response events, pipelining 1), plus per-door request headers and a check of
// every response body (autocannon's `verifyBody`; failures come back as `mismatches`).
import { createRequire } from 'node:module';
import { percentiles } from './closed-loop.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

export async function runDoorLoad({ url, headers, body, verifyBody, connections, seconds }) {
  const latencies = [];
  const instance = autocannon({
    url,
    method: 'POST',
    headers,
    body,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    // autocannon collects every body anyway; this only reads its end.
    verifyBody,
  });
  const mismatchSamples = [];
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  instance.on('reqMismatch', (bad) => {
    if (mismatchSamples.length < 3) mismatchSamples.push(String(bad).slice(-300));
  });
  const started = performance.now();
  const result = await instance;
  const elapsedS = (performance.now() - started) / 1000;
  return {
    connections,
    seconds: elapsedS,
    requests: result.requests.total,
    ok: result['2xx'],
    rps: result['2xx'] / elapsedS,
    latencyMs: percentiles(latencies),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    mismatchSamples,
    statusCodes: result.statusCodeStats,
    bytesPerSecond: result.throughput.average,
  };
}
