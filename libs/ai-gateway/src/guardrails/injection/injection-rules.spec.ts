import { ATTACKS_A } from './injection-dev-attacks-a.fixtures';
import { ATTACKS_B } from './injection-dev-attacks-b.fixtures';
import { ATTACKS_C } from './injection-dev-attacks-c.fixtures';
import { ATTACKS_D } from './injection-dev-attacks-d.fixtures';
import { BENIGN_A } from './injection-dev-benign-a.fixtures';
import { BENIGN_B } from './injection-dev-benign-b.fixtures';
import { BENIGN_C } from './injection-dev-benign-c.fixtures';
import { BENIGN_D } from './injection-dev-benign-d.fixtures';
import { examples } from './injection-dev-examples.fixtures';
import { ViewIndex, mayMatch, wordKeys } from './injection-gate';
import { normalizeForDetection } from './injection-normalize';
import { INJECTION_FAMILIES, INJECTION_RULES, RULES_BY_FAMILY } from './injection-rules';

const DEV_TEXTS = examples(
  ATTACKS_A,
  ATTACKS_B,
  ATTACKS_C,
  ATTACKS_D,
  BENIGN_A,
  BENIGN_B,
  BENIGN_C,
  BENIGN_D,
).map((e) => e.text);

describe('the injection rules', () => {
  it('have unique ids, known families, weights in (0, 1] and global patterns', () => {
    const ids = INJECTION_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of INJECTION_RULES) {
      expect(INJECTION_FAMILIES).toContain(r.family);
      expect(r.weight).toBeGreaterThan(0);
      expect(r.weight).toBeLessThanOrEqual(1);
      expect(r.toolWeight).toBeGreaterThan(0);
      expect(r.toolWeight).toBeLessThanOrEqual(1);
      expect(r.pattern.flags).toBe('g');
    }
  });

  it('group every rule under its family, each family having rules of its own', () => {
    for (const family of INJECTION_FAMILIES) {
      expect(RULES_BY_FAMILY[family].length).toBeGreaterThan(0);
      expect(RULES_BY_FAMILY[family].every((r) => r.family === family)).toBe(true);
    }
    expect(INJECTION_FAMILIES.flatMap((f) => RULES_BY_FAMILY[f])).toEqual(INJECTION_RULES);
  });

  it('never skip a rule that would match: its anchors are in every text it matches', () => {
    // The anchors are written by hand next to each pattern; a pattern widened without them
    // would silently stop matching. Every reading of every development example checks them.
    const skipped: string[] = [];
    let matched = 0;
    for (const text of DEV_TEXTS) {
      const n = normalizeForDetection(text);
      const views = [n.base, n.folded, n.despaced, ...n.decoded.map((d) => d.text)];
      for (const view of views) {
        if (view === null) continue;
        const keys = wordKeys(view);
        for (const rule of INJECTION_RULES) {
          rule.pattern.lastIndex = 0;
          if (!rule.pattern.test(view)) continue;
          matched++;
          if (!mayMatch(rule, keys, view)) skipped.push(`${rule.id}: ${view.slice(0, 60)}`);
        }
      }
    }
    expect(matched).toBeGreaterThan(500);
    expect(skipped).toEqual([]);
  });

  it('find in the paragraphs holding their anchors every match they find in the whole text', () => {
    // The detector runs a rule confined to a paragraph only on the paragraphs (windows of long
    // ones) holding its anchors; a match must lie whole inside one of them.
    const lost: string[] = [];
    for (const text of DEV_TEXTS) {
      const view = normalizeForDetection(text).base;
      const index = new ViewIndex(view);
      for (const rule of INJECTION_RULES) {
        if (rule.multiline) continue;
        const segments = index.candidates(rule).map((id) => index.segments[id]);
        rule.pattern.lastIndex = 0;
        for (const m of view.matchAll(rule.pattern)) {
          // A match may begin with the line break or punctuation before it: at a paragraph's
          // start, the pattern's `^` stands for them.
          const lead = /^[\s.!?;:=>\])*#-]*/.exec(m[0])?.[0].length ?? 0;
          const [start, end] = [m.index + lead, m.index + m[0].length];
          if (!segments.some((s) => s.start <= start && end <= s.end)) {
            lost.push(`${rule.id}: ${m[0].slice(0, 60)}`);
          }
        }
      }
    }
    expect(lost).toEqual([]);
  });

  it('cut a long paragraph into overlapping windows', () => {
    const view = 'word '.repeat(2000);
    const { segments } = new ViewIndex(view);
    expect(segments.length).toBeGreaterThan(5);
    for (let i = 1; i < segments.length; i++) {
      expect(segments[i].start).toBeLessThan(segments[i - 1].end - 300);
    }
    expect(segments[segments.length - 1].end).toBe(view.length);
  });

  it('skip rules whose anchors are absent, so an ordinary text runs few patterns', () => {
    const view = 'the planning meeting covered hiring and the billing migration.';
    const keys = wordKeys(view);
    const run = INJECTION_RULES.filter((r) => mayMatch(r, keys, view));
    expect(run.length).toBeLessThan(INJECTION_RULES.length / 4);
  });
});
