// Token counting under adversarial input: how long one count takes and how long it keeps
// the event loop from running other work. Run with
// `node tools/build.mjs && node bench/tokens-adversarial.mjs` (issue 13, item 1: a 1 MB
// message must count in well under 100 ms, linearly, without stalling the loop for more
// than a few milliseconds).
//
// Inputs: long runs of one character (letters, punctuation, digits, whitespace), a run and
// a random mix of every Unicode general category, lone and paired surrogates, random bytes
// decoded as UTF-8 and latin1, alternating classes, and prose; each at 100 KB and 1 MB,
// on both encodings. Each case runs in a child process with a time limit, so a quadratic
// build (BENCH_TOKENS_LIB pointing at an older one) shows as a timeout instead of a hang.
//
// Per case: `sync ms` is one `count()` call (the whole call blocks the loop); `async ms`
// and `stall ms` are one `countAsync()` call and the longest event-loop delay seen during
// it (perf_hooks.monitorEventLoopDelay, 1 ms resolution; on a loaded host it includes the
// time the OS kept the process off the CPU); `slice ms` is the longest stretch of counting
// between two yields in CPU time (process.cpuUsage: this thread and V8's helper threads).
//
// Environment: BENCH_SIZES (characters, default "100000,1000000"), BENCH_ENCODINGS
// (default "o200k_base,cl100k_base"), BENCH_CASES (comma-separated name filter),
// BENCH_TIMEOUT_MS (per case, default 20000), BENCH_TOKENS_LIB (directory holding the
// compiled tiktoken-encodings.js, default dist/). `--json` prints JSON.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { distLoader, positiveInt } from './lib/dist.mjs';

const GOAL = { size: 1_000_000, totalMs: 100, stallMs: 10 };

/** Every Unicode general category, each as one run of a single character. */
const CATEGORIES = [
  'Lu',
  'Ll',
  'Lt',
  'Lm',
  'Lo',
  'Mn',
  'Mc',
  'Me',
  'Nd',
  'Nl',
  'No',
  'Pc',
  'Pd',
  'Ps',
  'Pe',
  'Pi',
  'Pf',
  'Po',
  'Sm',
  'Sc',
  'Sk',
  'So',
  'Zs',
  'Zl',
  'Zp',
  'Cc',
  'Cf',
  'Co',
  'Cn',
];

/** A deterministic pseudo-random generator (LCG), so every run sees the same inputs. */
function random(seed) {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % n;
  };
}

/** Code points of a general category (first few thousand of the whole range). */
function categoryPool(category) {
  const test = new RegExp(`^\\p{gc=${category}}$`, 'u');
  const pool = [];
  for (let cp = 0; cp <= 0x10ffff && pool.length < 4_000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (test.test(String.fromCodePoint(cp))) pool.push(cp);
  }
  return pool;
}

const repeat = (unit) => (size) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const fromPool = (pool, seed) => (size) => {
  const next = random(seed);
  let text = '';
  while (text.length < size) text += String.fromCodePoint(pool[next(pool.length)]);
  return text;
};
const bytes = (encoding) => (size) => {
  const next = random(7);
  const buffer = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buffer[i] = next(256);
  return buffer.toString(encoding).slice(0, size);
};
const prose = (size) => {
  const words = (
    'the quick brown fox jumps over a lazy dog while senior engineers review TypeScript ' +
    'services, budgets and rate limits; résumé naïve café 8 years 2,500 users (99.9%) ' +
    "don't it's we'll https://example.com/path?q=1 {\"key\": [1, 2, 3]}"
  ).split(' ');
  const next = random(11);
  let text = '';
  while (text.length < size) {
    text += words[next(words.length)] + (next(12) === 0 ? '.\n' : ' ');
  }
  return text.slice(0, size);
};

function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1_000;
}

/** name → (size) => text */
function inputs() {
  const cases = {
    'a run': repeat('a'),
    'A run': repeat('A'),
    'é run': repeat('é'),
    '! run': repeat('!'),
    '. run': repeat('.'),
    '!? mixed': (size) => fromPool([0x21, 0x3f], 3)(size),
    'punctuation mix': fromPool(
      [...'!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'].map((c) => c.codePointAt(0)),
      5,
    ),
    '7 run': repeat('7'),
    'digits random': fromPool(
      [...'0123456789'].map((c) => c.codePointAt(0)),
      13,
    ),
    'space run': (size) => `${' '.repeat(size - 1)}x`,
    'newline run': repeat('\n'),
    'space/newline mix': fromPool([0x20, 0x0a, 0x0d, 0x09], 17),
    'aA alternating': repeat('aA'),
    'a1 alternating': repeat('a1'),
    "a' alternating": repeat("a'"),
    'CJK run': repeat('中'),
    'CJK random': fromPool(
      Array.from({ length: 0x5200 }, (_, i) => 0x4e00 + i),
      19,
    ),
    'emoji run (surrogate pairs)': repeat('😀'),
    'ZWJ emoji sequence': repeat('👩\u200d💻'),
    'combining marks run': repeat('\u0301'),
    'e + combining marks': repeat('e\u0301\u0308'),
    'RTL Arabic/Hebrew': fromPool(
      [...'مرحباשלוםعالم'].map((c) => c.codePointAt(0)),
      23,
    ),
    'zero-width joiners': repeat('\u200d'),
    'lone high surrogates': repeat('\ud800'),
    'lone low surrogates': repeat('\udc00'),
    'random bytes as UTF-8': bytes('utf8'),
    'random bytes as latin1': bytes('latin1'),
    'random code points': (size) => {
      const next = random(29);
      let text = '';
      while (text.length < size) text += String.fromCodePoint(next(0x30000));
      return text.slice(0, size);
    },
    prose,
  };
  for (const category of CATEGORIES) {
    const pool = categoryPool(category);
    if (pool.length === 0) continue;
    cases[`${category} run`] = repeat(String.fromCodePoint(pool[Math.min(pool.length - 1, 40)]));
    cases[`${category} random`] = fromPool(
      pool,
      category.charCodeAt(0) * 31 + category.charCodeAt(1),
    );
  }
  return cases;
}

/**
 * One case in this process: prints { tokens, syncMs, asyncMs, stallMs, sliceMs }. The sync
 * and the async count each run on a counter of their own, warmed up on the same prose, so
 * neither finds the other's pieces in its cache.
 */
async function runCase(name, size, encoding) {
  const lib = process.env.BENCH_TOKENS_LIB;
  const load = lib
    ? (path) => createRequire(import.meta.url)(join(lib, path.replace(/^tokens\//, '')))
    : distLoader('tokens/tiktoken-encodings.js', 'the token counter');
  const { counterFor } = load('tokens/tiktoken-encodings.js');
  const text = inputs()[name](size);
  const warm = prose(20_000);
  const counter = counterFor(encoding);
  counter.count(warm); // warm-up: JIT and the piece cache of ordinary words
  let started = performance.now();
  const tokens = counter.count(text);
  const syncMs = performance.now() - started;
  if (typeof counter.countAsync !== 'function') return { tokens, syncMs };

  const { BpeCounter } = load('tokens/bpe-counter.js');
  const { CpuSlicer } = load('tokens/cpu-slicer.js');
  const ranks = createRequire(import.meta.url)(`js-tiktoken/ranks/${encoding}`);
  const fresh = new BpeCounter(ranks.default ?? ranks);
  await fresh.countAsync(warm, new CpuSlicer());
  const delay = monitorEventLoopDelay({ resolution: 1 });
  await new Promise((resolve) => setTimeout(resolve, 5));
  delay.enable();
  // CPU time of each slice, from one resumption to the next yield: on a loaded host the
  // wall time of a slice also counts the time the OS ran other processes.
  let sliceStart = cpuMs();
  let sliceCpuMs = 0;
  const slicer = new CpuSlicer({
    yieldNow: () => {
      sliceCpuMs = Math.max(sliceCpuMs, cpuMs() - sliceStart);
      return new Promise((resolve) =>
        setImmediate(() => {
          sliceStart = cpuMs();
          resolve();
        }),
      );
    },
  });
  started = performance.now();
  sliceStart = cpuMs();
  const asyncTokens = await fresh.countAsync(text, slicer);
  const asyncMs = performance.now() - started;
  sliceCpuMs = Math.max(sliceCpuMs, cpuMs() - sliceStart);
  await new Promise((resolve) => setImmediate(resolve));
  delay.disable();
  if (asyncTokens !== tokens) throw new Error(`countAsync ${asyncTokens} ≠ count ${tokens}`);
  return { tokens, syncMs, asyncMs, stallMs: delay.max / 1e6, sliceMs: sliceCpuMs };
}

function main() {
  const sizes = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
  const encodings = (process.env.BENCH_ENCODINGS ?? 'o200k_base,cl100k_base').split(',');
  const filter = process.env.BENCH_CASES?.split(',');
  const timeout = positiveInt('BENCH_TIMEOUT_MS', 20_000);
  const json = process.argv.includes('--json');
  const self = fileURLToPath(import.meta.url);
  const names = Object.keys(inputs()).filter((n) => !filter || filter.some((f) => n.includes(f)));
  const rows = [];
  if (!json) {
    console.log(`# tokens-adversarial: ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}`);
    console.log(
      'encoding     size      case                           tokens     sync ms  async ms  stall ms slice cpu',
    );
  }
  for (const encoding of encodings) {
    for (const size of sizes) {
      for (const name of names) {
        const child = spawnSync(process.execPath, [self, '--case', name, String(size), encoding], {
          timeout,
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        const row = { encoding, size, name };
        if (child.error?.code === 'ETIMEDOUT' || child.signal) row.timeout = timeout;
        else if (child.status !== 0)
          row.error = child.stderr.trim().split('\n').slice(-3).join(' ');
        else Object.assign(row, JSON.parse(child.stdout));
        rows.push(row);
        if (!json) console.log(format(row));
      }
    }
  }
  const big = rows.filter((r) => r.size >= GOAL.size);
  const worstTotal = Math.max(...big.map((r) => r.asyncMs ?? r.syncMs ?? Infinity));
  const worstStall = Math.max(...rows.map((r) => r.stallMs ?? r.syncMs ?? Infinity));
  const worstSlice = Math.max(...rows.map((r) => r.sliceMs ?? r.syncMs ?? Infinity));
  const failed = rows.filter((r) => r.timeout || r.error).length;
  const summary = { worstTotalMsAt1MB: worstTotal, worstStallMs: worstStall, worstSlice, failed };
  if (json) console.log(JSON.stringify({ rows, summary }, null, 2));
  else {
    console.log(
      `worst 1 MB count: ${worstTotal.toFixed(1)} ms (goal < ${GOAL.totalMs}); ` +
        `worst stall: ${worstStall.toFixed(1)} ms (goal ≤ ${GOAL.stallMs}); ` +
        `worst slice: ${worstSlice.toFixed(1)} ms; ` +
        `timeouts/errors: ${failed}`,
    );
  }
  process.exitCode = worstTotal < GOAL.totalMs && worstStall <= GOAL.stallMs && !failed ? 0 : 1;
}

function format(row) {
  const ms = (v) => (v === undefined ? '-' : v.toFixed(1)).padStart(9);
  const head = `${row.encoding.padEnd(12)} ${String(row.size).padEnd(9)} ${row.name.padEnd(30)}`;
  if (row.timeout) return `${head} TIMEOUT after ${row.timeout} ms`;
  if (row.error) return `${head} ERROR ${row.error}`;
  return `${head} ${String(row.tokens).padStart(7)} ${ms(row.syncMs)} ${ms(row.asyncMs)} ${ms(row.stallMs)} ${ms(row.sliceMs)}`;
}

if (process.argv[2] === '--case') {
  const [name, size, encoding] = process.argv.slice(3);
  process.stdout.write(JSON.stringify(await runCase(name, Number(size), encoding)));
} else {
  main();
}
