// Scores the PII detector on the frozen held-out sets (bench/guardrails/heldout/pii-*.jsonl):
// precision and recall per type, printed as counts only — no snippet text, so whoever tunes
// the detector learns nothing about the set from a run. Run it rarely and record every run
// (date, commit, figures) in docs/GUARDRAILS.md.
//
//   node tools/build.mjs && node bench/guardrails/score-pii.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { detectPii, PII_TYPES } = require(
  join(root, 'dist/libs/ai-gateway/src/guardrails/pii/pii-detectors.js'),
);

const dir = join(root, 'bench/guardrails/heldout');
const files = readdirSync(dir).filter((f) => /^pii-.*\.jsonl$/.test(f));
const tally = Object.fromEntries(PII_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]));
let snippets = 0;
let clean = 0;
let cleanFlagged = 0;

for (const file of files) {
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { text, pii } = JSON.parse(line);
    snippets++;
    // Each label at its own occurrence of its value, in order.
    const labels = [];
    const from = new Map();
    for (const { type, value } of pii) {
      const start = text.indexOf(value, from.get(value) ?? 0);
      from.set(value, start + 1);
      labels.push({ type, start, end: start + value.length, hit: false });
    }
    const found = detectPii(text);
    if (pii.length === 0) {
      clean++;
      if (found.length > 0) cleanFlagged++;
    }
    for (const match of found) {
      // A finding counts for a label of its type it covers at least half of.
      const label = labels.find(
        (l) =>
          l.type === match.type &&
          Math.min(l.end, match.end) - Math.max(l.start, match.start) >= (l.end - l.start) / 2,
      );
      if (label && !label.hit) {
        label.hit = true;
        tally[match.type].tp++;
      } else if (!label) {
        tally[match.type].fp++;
      }
    }
    for (const label of labels) if (!label.hit) tally[label.type].fn++;
  }
}

const pct = (n, d) => (d === 0 ? '–' : (n / d).toFixed(3));
console.log(
  `${snippets} snippets in ${files.join(', ')}; ${clean} without PII, ${cleanFlagged} of them flagged`,
);
console.log('type    labels  found  precision  recall');
let all = { tp: 0, fp: 0, fn: 0 };
for (const [type, { tp, fp, fn }] of Object.entries(tally)) {
  all = { tp: all.tp + tp, fp: all.fp + fp, fn: all.fn + fn };
  console.log(
    `${type.padEnd(7)} ${String(tp + fn).padStart(6)} ${String(tp + fp).padStart(6)}  ${pct(tp, tp + fp).padStart(9)}  ${pct(tp, tp + fn).padStart(6)}`,
  );
}
console.log(
  `${'all'.padEnd(7)} ${String(all.tp + all.fn).padStart(6)} ${String(all.tp + all.fp).padStart(6)}  ${pct(all.tp, all.tp + all.fp).padStart(9)}  ${pct(all.tp, all.tp + all.fn).padStart(6)}`,
);
