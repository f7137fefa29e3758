// Semantic-cache lookup benchmark: ScopeVectorIndex (exact scan, then HNSW from `annFrom`)
// with 1,000 / 10,000 / 100,000 entries in ONE scope. Run with
// `node tools/build.mjs && node bench/semantic-lookup.mjs` (issue 6: lookup p99 ≤ 10 ms at
// 10,000 entries, ≤ 25 ms at 100,000; memory per 10,000 entries stated).
//
// Each (dimensions, size) case runs in a fresh child process (`--expose-gc`), so the memory
// figures are that index's alone: heap + external holds the slab and the id tables, RSS also
// the graph (usearch allocates natively, unseen by V8); approx is the index's approxBytes(). Vectors are random unit vectors (seeded): no clusters for
// the graph to navigate by, the hard case for HNSW. Queries: half near-duplicates of a stored
// entry (cosine 0.90–0.99, its "planted partner"), half unrelated random vectors.
//
// Environment: BENCH_DIMS (default "256,384,512"), BENCH_SIZES (default "1000,10000,100000"),
// BENCH_QUERIES (measured lookups per case, default 2000), BENCH_SCAN_QUERIES (lookups through
// an exact-scan index of the same entries, for comparison, default 200), BENCH_ANN_FROM
// (default: the index's own). `--json` prints JSON instead of the table.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { distLoader, positiveInt } from './lib/dist.mjs';

const GOALS = [
  { size: 10_000, p99Ms: 10 },
  { size: 100_000, p99Ms: 25 },
];
const WARMUP_QUERIES = 200;
const SCAN_WARMUP_QUERIES = 20;
const fromDist = distLoader('cache/semantic/vector-index.js', 'the semantic vector index');
const list = (name, fallback) =>
  (process.env[name] ?? fallback).split(',').map((v) => {
    const n = Number(v.trim());
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`${name}: "${v}" is not a positive integer`);
    return n;
  });

if (process.argv[2] === '--case') {
  const [dims, size] = process.argv.slice(3, 5).map(Number);
  process.stdout.write(JSON.stringify(await runCase(dims, size)));
} else {
  main();
}

function main() {
  const dimsList = list('BENCH_DIMS', '256,384,512');
  const sizes = list('BENCH_SIZES', '1000,10000,100000');
  const json = process.argv.includes('--json');
  const self = fileURLToPath(import.meta.url);
  const results = [];
  for (const dims of dimsList) {
    for (const size of sizes) {
      if (!json) process.stderr.write(`  ${size.toLocaleString('en')} × ${dims} …\n`);
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', self, '--case', String(dims), String(size)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
      );
      if (child.status !== 0) throw new Error(`case ${size} × ${dims} failed (${child.status})`);
      results.push(JSON.parse(child.stdout));
    }
  }
  const goals = checkGoals(results);
  if (json) {
    const environment = { node: process.version, cpu: cpus()[0]?.model, cores: cpus().length };
    console.log(JSON.stringify({ environment, results, goals }, null, 2));
  } else {
    printTable(results, goals);
  }
  process.exitCode = goals.every((g) => g.met) ? 0 : 1;
}

async function runCase(dims, size) {
  const { ScopeVectorIndex } = fromDist('cache/semantic/vector-index.js');
  const queries = positiveInt('BENCH_QUERIES', 2_000);
  const scanQueries = positiveInt('BENCH_SCAN_QUERIES', 200);
  const annFrom = process.env.BENCH_ANN_FROM ? positiveInt('BENCH_ANN_FROM', 1) : undefined;
  const random = mulberry32(dims * 1_000_003 + size);
  const unit = unitVector(random, dims);

  const source = new Float32Array(size * dims);
  for (let i = 0; i < size; i++) unit(source.subarray(i * dims, (i + 1) * dims));
  const row = (i) => source.subarray(i * dims, (i + 1) * dims);
  // Warm-up and measured queries alternate: near-duplicate (with its partner), random.
  const total = WARMUP_QUERIES + queries;
  const query = new Float32Array(total * dims);
  const partner = new Int32Array(total).fill(-1);
  const noise = new Float32Array(dims);
  for (let q = 0; q < total; q++) {
    const out = query.subarray(q * dims, (q + 1) * dims);
    unit(out);
    if (q % 2 === 1) continue;
    partner[q] = Math.floor(random() * size);
    noise.set(out);
    plantNearDuplicate(out, row(partner[q]), noise, 0.9 + 0.09 * random());
  }

  const addMs = new Float64Array(size);
  await settle();
  const before = process.memoryUsage();
  const index = new ScopeVectorIndex({ dimensions: dims, ...(annFrom ? { annFrom } : {}) });
  const buildStarted = performance.now();
  for (let i = 0; i < size; i++) {
    const started = performance.now();
    index.add(i, row(i));
    addMs[i] = performance.now() - started;
  }
  const buildMs = performance.now() - buildStarted;
  await settle();
  const after = process.memoryUsage();
  const per10k = (bytes) => (bytes / size) * 10_000;

  const lookups = (target, from, count) => {
    const samples = { near: [], random: [], all: [] };
    let found = 0;
    for (let q = from; q < from + count; q++) {
      const vector = query.subarray(q * dims, (q + 1) * dims);
      const started = performance.now();
      const hit = target.nearest(vector);
      const ms = performance.now() - started;
      samples.all.push(ms);
      if (partner[q] < 0) samples.random.push(ms);
      else {
        samples.near.push(ms);
        if (hit?.id === partner[q]) found++;
      }
    }
    return { samples, found, near: samples.near.length };
  };
  lookups(index, 0, WARMUP_QUERIES);
  const measured = lookups(index, WARMUP_QUERIES, queries);

  const exact = new ScopeVectorIndex({ dimensions: dims, annFrom: Infinity, capacity: size });
  for (let i = 0; i < size; i++) exact.add(i, row(i));
  lookups(exact, 0, SCAN_WARMUP_QUERIES);
  const scanned = lookups(exact, WARMUP_QUERIES, Math.min(queries, scanQueries));

  return {
    dims,
    size,
    annFrom: index.annFrom,
    mode: index.approximate ? 'hnsw' : 'scan',
    buildMs,
    addMs: stats(Array.from(addMs)),
    lookupMs: stats(measured.samples.all),
    nearDuplicateMs: stats(measured.samples.near),
    randomMs: stats(measured.samples.random),
    recall: measured.found / measured.near,
    exactScanMs: stats(scanned.samples.all),
    bytesPer10k: {
      approx: per10k(index.approxBytes()),
      heapAndExternal: per10k(
        after.heapUsed + after.external - (before.heapUsed + before.external),
      ),
      rss: per10k(after.rss - before.rss),
    },
  };
}

/** Full GC, then a pause for V8 to free dead array buffers (the slabs outgrown), then again. */
async function settle() {
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  globalThis.gc();
}

/** Writes `similarity · base + √(1 − similarity²) · (noise ⟂ base)` into `out`. */
function plantNearDuplicate(out, base, noise, similarity) {
  let along = 0;
  for (let i = 0; i < base.length; i++) along += noise[i] * base[i];
  let norm = 0;
  for (let i = 0; i < base.length; i++) {
    noise[i] -= along * base[i];
    norm += noise[i] * noise[i];
  }
  const scale = Math.sqrt(1 - similarity * similarity) / Math.sqrt(norm);
  for (let i = 0; i < base.length; i++) out[i] = similarity * base[i] + scale * noise[i];
}

/** Fills `out` with a uniform random unit vector (normalised Gaussians). */
function unitVector(random, dims) {
  return (out) => {
    let norm = 0;
    for (let i = 0; i < dims; i++) {
      const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      out[i] = g;
      norm += g * g;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dims; i++) out[i] *= scale;
  };
}

/** mulberry32: a deterministic uniform draw, so every run sees the same vectors. */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function stats(samples) {
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    count: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1],
    mean,
  };
}

function checkGoals(results) {
  return GOALS.flatMap(({ size, p99Ms }) =>
    results
      .filter((r) => r.size === size)
      .map((r) => ({
        goal: `p99 ≤ ${p99Ms} ms at ${size.toLocaleString('en')} entries`,
        dims: r.dims,
        p99Ms: r.lookupMs.p99,
        met: r.lookupMs.p99 <= p99Ms,
      })),
  );
}

function printTable(results, goals) {
  const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
  const trio = (s) => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`;
  const mb = (bytes) => (bytes / 1e6).toFixed(1);
  const columns = [
    ['dims', (r) => String(r.dims)],
    ['entries', (r) => r.size.toLocaleString('en')],
    ['path', (r) => `${r.mode} (annFrom ${r.annFrom.toLocaleString('en')})`],
    ['build s', (r) => (r.buildMs / 1000).toFixed(1)],
    ['add p50/p99/max ms', (r) => trio(r.addMs)],
    ['lookup p50/p99/max ms', (r) => trio(r.lookupMs)],
    ['near-dup p99', (r) => ms(r.nearDuplicateMs.p99)],
    ['random p99', (r) => ms(r.randomMs.p99)],
    ['recall', (r) => `${(r.recall * 100).toFixed(1)} %`],
    ['exact scan p50/p99', (r) => `${ms(r.exactScanMs.p50)} / ${ms(r.exactScanMs.p99)}`],
    ['MB/10k approx', (r) => mb(r.bytesPer10k.approx)],
    ['MB/10k heap+ext', (r) => mb(r.bytesPer10k.heapAndExternal)],
    ['MB/10k RSS', (r) => mb(r.bytesPer10k.rss)],
  ];
  const cells = results.map((r) => columns.map(([, cell]) => cell(r)));
  const widths = columns.map(([title], i) =>
    Math.max(title.length, ...cells.map((row) => row[i].length)),
  );
  const line = (row) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(
    `ScopeVectorIndex lookups, one scope, random unit vectors; node ${process.version}, ` +
      `${cpus()[0]?.model ?? '?'} × ${cpus().length}`,
  );
  console.log(line(columns.map(([title]) => title)));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of cells) console.log(line(row));
  for (const g of goals) {
    console.log(
      `goal ${g.goal}, ${g.dims} dims: ${g.met ? 'pass' : 'MISS'} (p99 ${ms(g.p99Ms)} ms)`,
    );
  }
}
