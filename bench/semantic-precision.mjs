// Precision/recall of the semantic cache's hit decision with the local embedder, on the
// labelled pairs of bench/semantic/pairs.jsonl (issue 6). Run with
// `node tools/build.mjs && node bench/semantic-precision.mjs` (`--json` for the full results).
//
// A pair is a predicted hit when cosine(embed(a), embed(b)) ≥ t and, with guards, when
// featuresConflict(promptFeatures(a), promptFeatures(b)) finds nothing. The threshold is
// chosen on the dev half only: the lowest t whose dev precision with guards is ≥ 0.98 at t
// and at every t above it. The test half is reported at that t.
//
// Environment: BENCH_DIMENSIONS (the embedder's dimensions, default its own default),
// BENCH_ITERATIONS (timed embeddings, default 20000).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distLoader, positiveInt } from './lib/dist.mjs';

const fromDist = distLoader('cache/semantic/local-embedder.js', 'the local embedder');
const { LocalEmbedder, LOCAL_EMBEDDER_DEFAULT_THRESHOLD, LOCAL_EMBEDDER_DIMENSIONS } = fromDist(
  'cache/semantic/local-embedder.js',
);
const { cosine } = fromDist('cache/semantic/embedder.js');
const { promptFeatures, featuresConflict } = fromDist('cache/semantic/prompt-guards.js');

const JSON_OUTPUT = process.argv.includes('--json');
const DIMENSIONS = positiveInt('BENCH_DIMENSIONS', LOCAL_EMBEDDER_DIMENSIONS);
const ITERATIONS = positiveInt('BENCH_ITERATIONS', 20_000);
const TARGET_PRECISION = 0.98;
const THRESHOLDS = Array.from({ length: 50 }, (_, i) => Math.round(50 + i) / 100);
const GUARDED_KINDS = ['number', 'negation', 'entity', 'qualifier'];
const NEGATIVE_KINDS = [...GUARDED_KINDS, 'related-topic', 'unrelated'];

const file = join(dirname(fileURLToPath(import.meta.url)), 'semantic/pairs.jsonl');
const pairs = readFileSync(file, 'utf8')
  .split('\n')
  .map((line, i) => ({ line, id: i + 1 }))
  .filter(({ line }) => line.trim() !== '')
  .map(({ line, id }) => ({ id, ...JSON.parse(line) }));

const embedder = new LocalEmbedder(DIMENSIONS);
const scored = pairs.map((pair) => ({
  ...pair,
  similarity: cosine(embedder.embedSync(pair.a), embedder.embedSync(pair.b)),
  conflict: featuresConflict(promptFeatures(pair.a), promptFeatures(pair.b)) ?? null,
}));

const ratio = (n, d) => (d === 0 ? null : n / d);

/** Confusion counts and P/R/F1 of one split at threshold t. */
function metrics(rows, t, guarded) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const row of rows) {
    const hit = row.similarity >= t && (!guarded || row.conflict === null);
    if (hit && row.same) tp++;
    else if (hit) fp++;
    else if (row.same) fn++;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision && recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { t, tp, fp, fn, precision, recall, f1 };
}

/** The lowest t whose precision is ≥ the target there and at every higher t (none predicted = 1). */
function chooseThreshold(curve) {
  let chosen = null;
  for (let i = curve.length - 1; i >= 0; i--) {
    if ((curve[i].precision ?? 1) < TARGET_PRECISION) break;
    chosen = curve[i].t;
  }
  return chosen;
}

const splits = ['dev', 'test'].map((name) => {
  const rows = scored.filter((row) => row.split === name);
  return {
    name,
    rows,
    guarded: THRESHOLDS.map((t) => metrics(rows, t, true)),
    unguarded: THRESHOLDS.map((t) => metrics(rows, t, false)),
  };
});
const dev = splits[0];
const chosen = chooseThreshold(dev.guarded) ?? 1;

/** What happens at threshold t in one split: metrics, false hits, guard rejections. */
function report(split, t) {
  const above = split.rows.filter((row) => row.similarity >= t);
  const brief = (row) => ({ id: row.id, kind: row.kind, similarity: round(row.similarity) });
  const falseHits = above.filter((row) => !row.same && row.conflict === null).map(brief);
  const unguardedFalseHits = above.filter((row) => !row.same).map(brief);
  const rejectedParaphrases = split.rows
    .filter((row) => row.same && row.conflict !== null)
    .map((row) => ({ ...brief(row), reason: row.conflict, aboveThreshold: row.similarity >= t }));
  const guardsCatch = Object.fromEntries(
    NEGATIVE_KINDS.map((kind) => {
      const ofKind = split.rows.filter((row) => row.kind === kind);
      return [kind, `${ofKind.filter((row) => row.conflict !== null).length}/${ofKind.length}`];
    }),
  );
  const guardMisses = split.rows
    .filter((row) => GUARDED_KINDS.includes(row.kind) && row.conflict === null)
    .map(brief);
  const paraphrases = split.rows.filter((row) => row.same);
  return {
    threshold: t,
    guarded: metrics(split.rows, t, true),
    unguarded: metrics(split.rows, t, false),
    falseHits,
    falseHitsByKind: countBy(falseHits),
    unguardedFalseHitsByKind: countBy(unguardedFalseHits),
    rejectedParaphrases,
    paraphrasesRejectedByGuards: `${paraphrases.filter((row) => row.conflict !== null).length}/${paraphrases.length}`,
    guardsCatch,
    guardMisses,
  };
}

function countBy(rows) {
  const counts = {};
  for (const row of rows) counts[row.kind] = (counts[row.kind] ?? 0) + 1;
  return counts;
}

function round(value, digits = 3) {
  return value === null ? null : Number(value.toFixed(digits));
}

/** µs per call of `fn` over `texts`, after a warm-up pass. */
function microseconds(fn, texts, iterations) {
  for (let i = 0; i < Math.min(iterations, 2_000); i++) fn(texts[i % texts.length]);
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(texts[i % texts.length]);
  return Number(process.hrtime.bigint() - started) / 1_000 / iterations;
}

const prompts = pairs.flatMap((pair) => [pair.a, pair.b]);
// 200-character prompts: consecutive prompts of the set joined, cut at the last word before 200.
const long = prompts.map((_, i) => {
  let text = '';
  for (let j = i; text.length < 200; j++) text += `${prompts[j % prompts.length]} `;
  return text.slice(0, 200).replace(/\s+\S*$/, '');
});
const timing = {
  meanPromptChars: round(prompts.reduce((sum, text) => sum + text.length, 0) / prompts.length, 1),
  embedMicrosPerPrompt: round(
    microseconds((text) => embedder.embedSync(text), prompts, ITERATIONS),
    2,
  ),
  embedMicrosPer200Chars: round(
    microseconds((text) => embedder.embedSync(text), long, ITERATIONS),
    2,
  ),
  featuresMicrosPerPrompt: round(microseconds(promptFeatures, prompts, ITERATIONS), 2),
  featuresMicrosPer200Chars: round(microseconds(promptFeatures, long, ITERATIONS), 2),
};
const featureBytes = prompts.map((text) => JSON.stringify(promptFeatures(text)).length);
const memory = {
  vectorBytes: DIMENSIONS * 4,
  meanFeatureJsonBytes: round(featureBytes.reduce((a, b) => a + b, 0) / featureBytes.length, 1),
  maxFeatureJsonBytes: Math.max(...featureBytes),
  vectorsMBPer100k: round((DIMENSIONS * 4 * 100_000) / 1e6, 1),
};

const results = {
  embedder: embedder.id,
  pairs: pairs.length,
  counts: Object.fromEntries(splits.map((s) => [s.name, countBy(s.rows)])),
  targetPrecision: TARGET_PRECISION,
  chosenThreshold: chosen,
  exportedDefaultThreshold: LOCAL_EMBEDDER_DEFAULT_THRESHOLD,
  splits: Object.fromEntries(
    splits.map((split) => [
      split.name,
      {
        atChosen: report(split, chosen),
        atExportedDefault: report(split, LOCAL_EMBEDDER_DEFAULT_THRESHOLD),
        curve: split.guarded.map((g, i) => ({
          t: g.t,
          guarded: roundMetrics(g),
          unguarded: roundMetrics(split.unguarded[i]),
        })),
      },
    ]),
  ),
  timing,
  memory,
};

function roundMetrics(m) {
  return { ...m, precision: round(m.precision), recall: round(m.recall), f1: round(m.f1) };
}

if (JSON_OUTPUT) {
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
} else {
  printText();
}

function printText() {
  const pct = (value) => (value === null ? '   —  ' : value.toFixed(3).padStart(6));
  console.log(`Semantic cache hit decision — ${embedder.id}, ${pairs.length} labelled pairs`);
  for (const split of splits) {
    console.log(
      `\n${split.name} (${split.rows.length} pairs: ${JSON.stringify(countBy(split.rows))})`,
    );
    console.log(
      '    t  | with guards: P      R      F1   FP | without guards: P      R      F1   FP',
    );
    split.guarded.forEach((g, i) => {
      if (i % 2 !== 0 && g.t !== chosen) return;
      const u = split.unguarded[i];
      const mark = g.t === chosen ? ' ◀ chosen on dev' : '';
      console.log(
        `  ${g.t.toFixed(2)} |       ${pct(g.precision)} ${pct(g.recall)} ${pct(g.f1)} ${String(g.fp).padStart(3)} |` +
          `          ${pct(u.precision)} ${pct(u.recall)} ${pct(u.f1)} ${String(u.fp).padStart(3)}${mark}`,
      );
    });
  }
  console.log(
    `\nChosen threshold (dev, precision ≥ ${TARGET_PRECISION} at t and above): ${chosen}`,
  );
  console.log(`Exported LOCAL_EMBEDDER_DEFAULT_THRESHOLD: ${LOCAL_EMBEDDER_DEFAULT_THRESHOLD}`);
  for (const split of splits) {
    const r = results.splits[split.name].atChosen;
    const g = r.guarded;
    console.log(
      `\n${split.name} at t = ${chosen}: precision ${pct(g.precision).trim()}, recall ${pct(g.recall).trim()}, ` +
        `F1 ${pct(g.f1).trim()} (TP ${g.tp}, FP ${g.fp}, FN ${g.fn}); without guards: precision ` +
        `${pct(r.unguarded.precision).trim()}, recall ${pct(r.unguarded.recall).trim()} (FP ${r.unguarded.fp})`,
    );
    console.log(`  false hits by kind: ${JSON.stringify(r.falseHitsByKind)}`);
    for (const hit of r.falseHits) {
      console.log(`    line ${hit.id} (${hit.kind}, similarity ${hit.similarity})`);
    }
    console.log(
      `  false hits without guards by kind: ${JSON.stringify(r.unguardedFalseHitsByKind)}`,
    );
    console.log(`  guards catch (any threshold): ${JSON.stringify(r.guardsCatch)}`);
    for (const miss of r.guardMisses) {
      console.log(
        `    line ${miss.id} (${miss.kind}) passes the guards (similarity ${miss.similarity})`,
      );
    }
    console.log(
      `  paraphrases the guards reject (any threshold): ${r.paraphrasesRejectedByGuards}`,
    );
    for (const row of r.rejectedParaphrases) {
      const where = row.aboveThreshold ? 'above' : 'below';
      console.log(
        `    line ${row.id} rejected as ${row.reason} (similarity ${row.similarity}, ${where} t)`,
      );
    }
  }
  console.log(
    `\nTiming (${ITERATIONS} calls each, mean prompt ${timing.meanPromptChars} chars): embed ` +
      `${timing.embedMicrosPerPrompt} µs/prompt, ${timing.embedMicrosPer200Chars} µs per 200-char prompt; ` +
      `promptFeatures ${timing.featuresMicrosPerPrompt} µs/prompt, ${timing.featuresMicrosPer200Chars} µs per 200 chars`,
  );
  console.log(
    `Memory: ${memory.vectorBytes} B per vector (${memory.vectorsMBPer100k} MB per 100,000 entries), ` +
      `features JSON mean ${memory.meanFeatureJsonBytes} B, max ${memory.maxFeatureJsonBytes} B`,
  );
}
