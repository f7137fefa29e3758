import { MentionContext } from './injection-context';
import { ViewIndex } from './injection-gate';
import { normalizeForDetection } from './injection-normalize';
import type { NormalizedText, PayloadKind } from './injection-normalize';
import { INJECTION_FAMILIES, INJECTION_RULES, OBFUSCATION_WEIGHTS } from './injection-rules';
import type { InjectionChannel, InjectionFamily, InjectionRule } from './injection-rules';

export { INJECTION_FAMILIES };
export type { InjectionChannel, InjectionFamily };

/**
 * The score at or above which a text is treated as an injection attempt. Chosen on the
 * development examples in the specs (see injection-detector.spec.ts for what it gives).
 */
export const DEFAULT_INJECTION_THRESHOLD = 0.5;

/** One piece of evidence: a rule that matched, and its weight after context and channel. */
export interface InjectionSignal {
  family: InjectionFamily;
  rule: string;
  weight: number;
}

export interface InjectionVerdict {
  /** 0..1: how sure the rules are that the text attacks the assistant. */
  score: number;
  /** The families that fired, strongest first. */
  families: InjectionFamily[];
  /** The rules that fired, strongest first. */
  signals: InjectionSignal[];
}

export interface DetectInjectionOptions {
  /** `tool_result` for documents, web pages and tool outputs; `user` (default) otherwise. */
  channel?: InjectionChannel;
}

/** Matches of one rule looked at per view (the rest of a hostile megabyte adds nothing). */
const MAX_MATCHES = 8;
/** A disguised match counts as hidden only if it is this much stronger than the plain one. */
const HIDDEN_MARGIN = 0.05;
/** Weakest disguised match that earns the obfuscation bonus. */
const HIDDEN_MIN = 0.3;

/** The id standing for the whole reading (rules whose matches span paragraphs). */
const WHOLE = -1;

/** Which reading of the text a match came from. */
type View = 'base' | 'homoglyph' | 'spaced' | PayloadKind;

interface Hit {
  rule: InjectionRule;
  weight: number;
  /** Weighed down as a mention (quoted or framed); mentions do not add up. */
  mention: boolean;
  view: View;
  /** The dampening factor of the best match (carried over to the obfuscation bonus). */
  factor: number;
  start: number;
  end: number;
}

/** A signal as combined: where it matched (in its view), if it did. */
interface Scored extends InjectionSignal {
  mention: boolean;
  group?: string;
  view?: View;
  start?: number;
  end?: number;
}

/**
 * Scores `text` for prompt injection with rules over several readings of it: as written
 * (NFKC, lowercase), with look-alike letters read as Latin, with spaced letters and
 * leetspeak collapsed, and each encoded run decoded. A rule that matches only in a disguised
 * reading also earns an `encoding_obfuscation` bonus.
 */
export function detectInjection(
  text: string,
  options: DetectInjectionOptions = {},
): InjectionVerdict {
  const channel = options.channel ?? 'user';
  const normalized = normalizeForDetection(text);
  const hits = collectHits(normalized, channel);
  const signals: Scored[] = [...hits.values()].map((hit) => ({
    family: hit.rule.family,
    rule: hit.rule.id,
    group: hit.rule.group,
    weight: hit.weight,
    mention: hit.mention,
    view: hit.view,
    start: hit.start,
    end: hit.end,
  }));
  const hidden = new Map<View, number>();
  for (const hit of hits.values()) {
    if (hit.view === 'base' || hit.weight < HIDDEN_MIN) continue;
    hidden.set(hit.view, Math.max(hidden.get(hit.view) ?? 0, hit.factor));
  }
  const extra = obfuscationSignals(normalized, hidden);
  return verdict([...signals, ...extra]);
}

/** The best match of every rule over every reading, and where it came from. */
function collectHits(normalized: NormalizedText, channel: InjectionChannel): Map<string, Hit> {
  const hits = new Map<string, Hit>();
  const base = new MentionContext(normalized.base);
  const atBase = (s: number, e: number, quoteProof: boolean) => base.factor(s, e, quoteProof);
  const plain = scanView(normalized.base, 'base', channel, atBase);
  for (const hit of plain) hits.set(hit.rule.id, hit);
  const disguised: Hit[] = [];
  // Homoglyphs are folded one character for one: offsets, and so the context, are the base's.
  if (normalized.folded !== null) {
    disguised.push(...scanView(normalized.folded, 'homoglyph', channel, atBase));
  }
  if (normalized.despaced !== null) {
    const context = new MentionContext(normalized.despaced);
    disguised.push(
      ...scanView(normalized.despaced, 'spaced', channel, (s, e, q) => context.factor(s, e, q)),
    );
  }
  for (const payload of normalized.decoded) {
    const factor = base.framingAt(payload.at);
    disguised.push(...scanView(payload.text, payload.kind, channel, () => factor));
  }
  for (const hit of disguised) {
    const known = hits.get(hit.rule.id);
    if (!known || hit.weight > known.weight + HIDDEN_MARGIN) hits.set(hit.rule.id, hit);
  }
  return hits;
}

/** Runs every rule over one reading; the best match of each rule that matched. */
function scanView(
  view: string,
  name: View,
  channel: InjectionChannel,
  factorAt: (start: number, end: number, quoteProof: boolean) => number,
): Hit[] {
  const out: Hit[] = [];
  const index = new ViewIndex(view);
  for (const rule of INJECTION_RULES) {
    if (!index.mayMatch(rule)) continue;
    const weight = channel === 'tool_result' ? rule.toolWeight : rule.weight;
    // Most rules match within a paragraph: they run only on the paragraphs holding their
    // anchors. The few whose matches span paragraphs run on the whole reading.
    const ids = rule.multiline ? [WHOLE] : index.candidates(rule);
    // Anchors nearly everywhere (a hostile megabyte of them): one scan of the whole reading.
    if (ids.length > 1 && index.coverage(ids) > view.length / 2) ids.splice(0, ids.length, WHOLE);
    let best: Hit | null = null;
    let seen = 0;
    for (const id of ids) {
      const segment = id === WHOLE ? { start: 0, end: view.length } : index.segments[id];
      const text = id === WHOLE ? view : index.texts[id];
      // The compiled pattern is shared: exec from lastIndex 0 (the scan is synchronous).
      const pattern = rule.pattern;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
        const start = segment.start + m.index;
        const end = start + m[0].length;
        const factor = rule.direct ? 1 : factorAt(start, end, rule.quoteProof);
        if (!best || weight * factor > best.weight) {
          best = {
            rule,
            weight: weight * factor,
            mention: factor < 1,
            view: name,
            factor,
            start,
            end,
          };
        }
        if (factor === 1 || ++seen >= MAX_MATCHES) break;
        if (m[0].length === 0) pattern.lastIndex++;
      }
      if (best?.factor === 1 || seen >= MAX_MATCHES) break;
    }
    if (best) out.push(best);
  }
  return out;
}

/** Signals from the disguise itself: hidden matches, invisible characters, mixed scripts. */
function obfuscationSignals(
  normalized: NormalizedText,
  hidden: ReadonlyMap<View, number>,
): Scored[] {
  const out: Scored[] = [];
  const add = (rule: string, weight: number, factor = 1) =>
    out.push({
      family: 'encoding_obfuscation',
      rule,
      weight: weight * factor,
      mention: factor < 1,
    });
  for (const [view, factor] of hidden) add(`hidden_${view}`, OBFUSCATION_WEIGHTS.hidden, factor);
  const { invisibleInWords, mixedScriptWords, compatLetters } = normalized.flags;
  const [inWord1, inWord3, inWord10] = OBFUSCATION_WEIGHTS.invisibleInWords;
  if (invisibleInWords > 0) {
    add(
      'invisible_in_words',
      invisibleInWords >= 10 ? inWord10 : invisibleInWords >= 3 ? inWord3 : inWord1,
    );
  }
  if (normalized.decoded.some((p) => p.kind === 'tags')) {
    add('tag_characters', OBFUSCATION_WEIGHTS.tagPayload);
  }
  const [mixed1, mixed3] = OBFUSCATION_WEIGHTS.mixedScript;
  if (mixedScriptWords > 0) add('mixed_script', mixedScriptWords >= 3 ? mixed3 : mixed1);
  if (compatLetters) add('compat_letters', OBFUSCATION_WEIGHTS.compatLetters);
  return out;
}

/**
 * Combines the signals: direct evidence as independent (1 − Π(1 − w)); mentions, which
 * repeat one quoted or discussed text, count once, by the strongest; and rules of one family
 * that matched the same stretch of text are one piece of evidence, counted by the strongest.
 */
function verdict(signals: Scored[]): InjectionVerdict {
  let miss = 1;
  let mention = 0;
  const counted: Scored[] = [];
  for (const s of [...signals].sort((a, b) => b.weight - a.weight)) {
    if (counted.some((c) => sameEvidence(c, s))) continue;
    counted.push(s);
    if (s.mention) mention = Math.max(mention, s.weight);
    else miss *= 1 - s.weight;
  }
  const score = round(1 - miss * (1 - mention));
  const sorted = signals
    .map(({ family, rule, weight }) => ({ family, rule, weight: round(weight) }))
    .sort((a, b) => b.weight - a.weight);
  const families: InjectionFamily[] = [];
  for (const s of sorted) if (!families.includes(s.family)) families.push(s.family);
  return { score, families, signals: sorted };
}

function sameEvidence(a: Scored, b: Scored): boolean {
  if (a.group === undefined || a.group !== b.group || a.view !== b.view) return false;
  return (a.start ?? 0) < (b.end ?? 0) && (b.start ?? 0) < (a.end ?? 0);
}

function round(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 1000) / 1000;
}
