// Counters read before and after a benchmark phase: the gateway's Prometheus counters,
// the fake provider's request count, and (with `--stats`) how the fake's calls ended.
import { setTimeout as sleep } from 'node:timers/promises';

/** Sum of a counter over all its label sets in the gateway's `GET /metrics` (0 if absent). */
export async function metricTotal(gatewayUrl, name) {
  const res = await fetch(`${gatewayUrl}/metrics`);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET /metrics: HTTP ${res.status}`);
  let total = 0;
  for (const line of text.split('\n')) {
    // `name{labels} value` or `name value`; not `name_bucket`, `name_created`, comments.
    if (!line.startsWith(name) || !/^[{ ]/.test(line.slice(name.length))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Model calls the fake has served since it started (`GET /_fake/requests` → `count`). */
export async function fakeRequestCount(fakeUrl) {
  const res = await fetch(`${fakeUrl}/_fake/requests`);
  const body = await res.json();
  if (!res.ok || typeof body.count !== 'number')
    throw new Error(`GET /_fake/requests: HTTP ${res.status}`);
  return body.count;
}

let statsQueries = 0;

/**
 * How the fake's calls ended, from a fake started with `--stats`: cumulative `calls`,
 * `completed`, `aborted` and `completedSlow` (held ≥ 1 s), plus `abortedHeldMs` since the
 * previous query. Asked over the child's stdin; the answer comes back on its stdout.
 */
export async function fakeCallStats(fakeChild, timeoutMs = 5000) {
  const id = `q${++statsQueries}`;
  fakeChild.stdin.write(`stats ${id}\n`);
  const pattern = new RegExp(`^stats ${id} (.*)$`, 'm');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = pattern.exec(fakeChild.output);
    if (found) return JSON.parse(found[1]);
    await sleep(10);
  }
  throw new Error('the fake provider did not answer a stats query (started without --stats?)');
}

/** `after - before` for every numeric field; other fields taken from `after`. */
export function delta(before, after) {
  const out = {};
  for (const [key, value] of Object.entries(after)) {
    out[key] = typeof value === 'number' ? value - (before[key] ?? 0) : value;
  }
  return out;
}
