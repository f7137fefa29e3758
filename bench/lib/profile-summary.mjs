// Where did the gateway's CPU go? Summarises a V8 .cpuprofile by self time, per function
// and per package / source area. Used by overhead.mjs with BENCH_PROFILE=1, or on its own:
//   node bench/lib/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Coarse area of a script URL: a package name, our own source folder, or node internals. */
function areaOf(url) {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /dist\/((?:apps|libs)\/[^/]+(?:\/src\/[^/]+)?)/.exec(url);
  return own ? own[1] : url.replace(/^file:\/\//, '');
}

/**
 * `windows`: optional `[startUs, endUs]` ranges on the monotonic clock
 * (`process.hrtime.bigint() / 1000n`, the clock V8 stamps samples with): only samples inside
 * them count, which leaves out start-up and the direct-to-fake runs.
 */
export function summarizeProfile(path, { top = 15, windows } = {}) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas ?? [];
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += deltas[i] ?? 0;
    if (windows && !windows.some(([from, to]) => at >= from && at <= to)) continue;
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  let total = 0;
  let idle = 0;
  const fns = new Map();
  const areas = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    total += us;
    if (callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const where = callFrame.url
      ? `${callFrame.url.replace(/^.*\/(node_modules|dist)\//, '')}:${callFrame.lineNumber + 1}`
      : '';
    const fnKey = `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
    fns.set(fnKey, (fns.get(fnKey) ?? 0) + us);
    const area = areaOf(callFrame.url);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  const list = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `  ${pct(us)}  ${name}`);
  return [
    `CPU profile ${path}${windows ? ' (measured gateway runs only)' : ''}: ${(busy / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms sampled`,
    `Self time by area (share of busy time):`,
    ...list(areas),
    `Top functions by self time:`,
    ...list(fns),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv[2]) {
    process.stderr.write('usage: node bench/lib/profile-summary.mjs <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(
    `${summarizeProfile(process.argv[2], { top: Number(process.argv[3] ?? 15) })}\n`,
  );
}
