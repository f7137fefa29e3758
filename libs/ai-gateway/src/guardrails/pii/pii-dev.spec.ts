import type { PiiType } from './pii-detectors';
import { PII_TYPES, detectPii } from './pii-detectors';
import { PII_DEV_SNIPPETS } from './pii-dev.fixtures';

/**
 * The detector on the development snippets (`pii-dev.fixtures.ts`, 286 snippets written for
 * tuning by a helper who never saw the detector or the held-out sets): precision and recall
 * per type must not fall below what the tuning reached. This guards the tuning; it is not the
 * detector's accuracy, which only the held-out sets measure (docs/GUARDRAILS.md).
 */
describe('detectPii on the development snippets', () => {
  const tally = new Map<PiiType, { tp: number; fp: number; fn: number }>(
    PII_TYPES.map((type) => [type, { tp: 0, fp: 0, fn: 0 }]),
  );
  for (const { text, pii } of PII_DEV_SNIPPETS) {
    const from = new Map<string, number>();
    const labels = pii.map(({ type, value }) => {
      const start = text.indexOf(value, from.get(value) ?? 0);
      from.set(value, start + 1);
      return { type, start, end: start + value.length, hit: false };
    });
    for (const match of detectPii(text)) {
      const label = labels.find(
        (l) => !l.hit && l.type === match.type && l.start < match.end && match.start < l.end,
      );
      if (label) label.hit = true;
      tally.get(match.type)!.tp += label ? 1 : 0;
      tally.get(match.type)!.fp += label ? 0 : 1;
    }
    for (const label of labels) if (!label.hit) tally.get(label.type)!.fn++;
  }

  it.each([
    ['email', 1, 1],
    ['phone', 0.98, 0.97],
    ['card', 1, 1],
    ['iban', 1, 1],
    ['ssn', 1, 1],
    ['ip', 0.97, 1],
    ['secret', 1, 1],
  ] as Array<[PiiType, number, number]>)('%s: precision ≥ %d, recall ≥ %d', (type, p, r) => {
    const { tp, fp, fn } = tally.get(type)!;
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(p);
    expect(tp / (tp + fn)).toBeGreaterThanOrEqual(r);
  });
});
