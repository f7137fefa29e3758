// Scores the prompt-injection detector on the frozen held-out set
// (bench/guardrails/heldout/injection.jsonl: {"id","label":"attack|benign","family",
// "channel":"user|tool_result","text"} per line). Prints counts and figures only — no text,
// no ids — so whoever tunes the detector learns nothing about the set from a run: the
// precision/recall curve over thresholds, recall per attack family and false positives per
// benign family at DEFAULT_INJECTION_THRESHOLD. Run it rarely and record every run (date,
// commit, figures) in docs/GUARDRAILS.md.
//
//   node tools/build.mjs && node bench/guardrails/score-injection.mjs
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { detectInjection, DEFAULT_INJECTION_THRESHOLD } = require(
  join(root, 'dist/libs/ai-gateway/src/guardrails/injection/injection-detector.js'),
);

const file = join(root, 'bench/guardrails/heldout/injection.jsonl');
/** One scored snippet: its labels and the detector's score and families (no text kept). */
const scored = [];
let slowest = 0;
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const { label, family, channel, text } = JSON.parse(line);
  const started = process.hrtime.bigint();
  const verdict = detectInjection(text, { channel });
  slowest = Math.max(slowest, Number(process.hrtime.bigint() - started) / 1e6);
  scored.push({
    attack: label === 'attack',
    family: family ?? '(none)',
    channel,
    score: verdict.score,
    named: verdict.families.includes(family),
  });
}

const pct = (n, d) => (d === 0 ? '–' : (n / d).toFixed(3));
const pad = (value, width) => String(value).padStart(width);
const attacks = scored.filter((s) => s.attack);
const benign = scored.filter((s) => !s.attack);

/** TP, FP, FN, precision, recall and F1 of `items` at `threshold`. */
function tally(items, threshold) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of items) {
    const flagged = s.score >= threshold;
    if (s.attack && flagged) tp++;
    else if (s.attack) fn++;
    else if (flagged) fp++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

const byChannel = (items, channel) => items.filter((s) => s.channel === channel).length;
console.log(
  `${scored.length} snippets: ${attacks.length} attacks (${byChannel(attacks, 'user')} user, ` +
    `${byChannel(attacks, 'tool_result')} tool_result), ${benign.length} benign ` +
    `(${byChannel(benign, 'user')} user, ${byChannel(benign, 'tool_result')} tool_result); ` +
    `slowest ${slowest.toFixed(1)} ms`,
);

console.log('\nthreshold    TP    FP    FN  precision  recall     F1');
for (let step = 1; step <= 19; step++) {
  const threshold = step / 20;
  const { tp, fp, fn, precision, recall, f1 } = tally(scored, threshold);
  const mark = Math.abs(threshold - DEFAULT_INJECTION_THRESHOLD) < 1e-9 ? ' <- default' : '';
  console.log(
    `${threshold.toFixed(2).padStart(9)} ${pad(tp, 5)} ${pad(fp, 5)} ${pad(fn, 5)}  ` +
      `${precision.toFixed(3).padStart(9)}  ${recall.toFixed(3).padStart(6)}  ${f1.toFixed(3)}${mark}`,
  );
}

const at = DEFAULT_INJECTION_THRESHOLD;
for (const channel of ['user', 'tool_result']) {
  const { tp, fp, fn, precision, recall } = tally(
    scored.filter((s) => s.channel === channel),
    at,
  );
  console.log(
    `${channel.padEnd(11)} at ${at}: TP ${tp}, FP ${fp}, FN ${fn}, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
  );
}

/** Counts per family of `items`: how many, how many flagged, how many named the family. */
function perFamily(items) {
  const rows = new Map();
  for (const s of items) {
    const row = rows.get(s.family) ?? { count: 0, flagged: 0, named: 0 };
    row.count++;
    if (s.score >= at) row.flagged++;
    if (s.score >= at && s.named) row.named++;
    rows.set(s.family, row);
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b));
}

console.log(`\nattack family              count  found  recall  family named (at ${at})`);
for (const [family, { count, flagged, named }] of perFamily(attacks)) {
  console.log(
    `${family.padEnd(26)} ${pad(count, 5)} ${pad(flagged, 6)}  ${pct(flagged, count).padStart(6)}  ${pad(named, 5)}`,
  );
}

console.log(`\nbenign family              count  flagged (at ${at})`);
for (const [family, { count, flagged }] of perFamily(benign)) {
  console.log(`${family.padEnd(26)} ${pad(count, 5)} ${pad(flagged, 8)}`);
}
