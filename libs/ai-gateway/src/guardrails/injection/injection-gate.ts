import { wordKey } from './injection-rule-kit';
import type { AnchorGroup, InjectionRule } from './injection-rule-kit';

/** Letters and digits of any script: what a text's words are made of. */
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
/** A blank line: where a paragraph ends and a single-paragraph match cannot reach across. */
const PARAGRAPH_END = /\n[ \t]*\n/g;
/** Longer paragraphs are scanned in windows of this many characters… */
const MAX_SEGMENT = 2000;
/** …overlapping by more than the longest match a single-paragraph rule makes. */
const OVERLAP = 500;
/** Occurrences of a literal anchor looked up one by one; beyond, every segment is a candidate. */
const MAX_LITERAL_HITS = 2000;

/** A stretch of a reading that rules confined to a paragraph are run on separately. */
export interface Segment {
  readonly start: number;
  readonly end: number;
}

/**
 * Where each word of one reading of a text is: the reading cut into paragraphs (long ones
 * into overlapping windows) and, for each word (by its first four letters), the segments
 * holding it. A rule then runs only on the segments holding one word of each of its anchor
 * groups, instead of on the whole text: most rules run nowhere, the others on a few lines.
 */
export class ViewIndex {
  readonly segments: readonly Segment[];
  /** The text of each segment, cut once (every rule that runs on it reuses it). */
  readonly texts: readonly string[];
  private readonly postings = new Map<string, number[]>();

  constructor(readonly view: string) {
    this.segments = segment(view);
    this.texts = this.segments.map((seg) => view.slice(seg.start, seg.end));
    this.texts.forEach((text, id) => {
      for (const m of text.matchAll(WORD)) {
        const key = wordKey(m[0]);
        const list = this.postings.get(key);
        if (!list) this.postings.set(key, [id]);
        else if (list[list.length - 1] !== id) list.push(id);
      }
    });
  }

  /** Whether the whole reading holds one anchor of each group of `rule`. */
  mayMatch(rule: InjectionRule): boolean {
    const anchors = rule.anchors;
    if (anchors === null) return true;
    return anchors.every(
      (group) =>
        group.words.some((w) => this.postings.has(w)) ||
        group.literals.some((l) => this.view.includes(l)),
    );
  }

  /** The ids of the segments holding one anchor of each group of `rule`, in order. */
  candidates(rule: InjectionRule): number[] {
    const anchors = rule.anchors;
    const all = this.segments.map((_, i) => i);
    if (anchors === null) return all;
    let hits: Uint8Array | null = null;
    for (const group of anchors) {
      const mark = this.mark(group);
      if (hits === null) hits = mark;
      else for (let i = 0; i < hits.length; i++) hits[i] &= mark[i];
    }
    return all.filter((i) => hits === null || hits[i] === 1);
  }

  /** How many characters the segments `ids` hold. */
  coverage(ids: readonly number[]): number {
    let total = 0;
    for (const id of ids) total += this.segments[id].end - this.segments[id].start;
    return total;
  }

  /** 1 for each segment holding one of the group's words or literals. */
  private mark(group: AnchorGroup): Uint8Array {
    const mark = new Uint8Array(this.segments.length);
    for (const word of group.words) for (const id of this.postings.get(word) ?? []) mark[id] = 1;
    for (const literal of group.literals) {
      let hits = 0;
      let id = 0;
      // Occurrences come in order, and so do segments: one pointer walks both.
      for (let at = this.view.indexOf(literal); at >= 0; at = this.view.indexOf(literal, at + 1)) {
        if (++hits > MAX_LITERAL_HITS) return mark.fill(1);
        while (id < this.segments.length && this.segments[id].end <= at) id++;
        for (let j = id; j < this.segments.length && this.segments[j].start <= at; j++) mark[j] = 1;
      }
    }
    return mark;
  }
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of a reading as anchors look them up (first four letters). */
export function wordKeys(view: string): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const word of view.split(NOT_WORD)) if (word) keys.add(wordKey(word));
  return keys;
}

/** Whether `rule` can match `view`, whose words are `keys` (see InjectionRule.anchors). */
export function mayMatch(rule: InjectionRule, keys: ReadonlySet<string>, view: string): boolean {
  const anchors = rule.anchors;
  if (anchors === null) return true;
  return anchors.every(
    (group) => group.words.some((w) => keys.has(w)) || group.literals.some((l) => view.includes(l)),
  );
}

/** Paragraphs, long ones cut into overlapping windows that start at a line or word start. */
function segment(view: string): Segment[] {
  const out: Segment[] = [];
  let from = 0;
  const add = (start: number, end: number) => {
    for (let s = start; s < end;) {
      const e = Math.min(end, s + MAX_SEGMENT);
      out.push({ start: s, end: e });
      if (e === end) break;
      s = windowStart(view, e - OVERLAP, e);
    }
  };
  for (const m of view.matchAll(PARAGRAPH_END)) {
    add(from, m.index);
    from = m.index + m[0].length;
  }
  add(from, view.length);
  return out;
}

/** Where a window near `at` should start: after a line break, else after a space (bounded). */
function windowStart(view: string, at: number, limit: number): number {
  const near = view.slice(at - OVERLAP / 2, at + OVERLAP / 4);
  const line = near.lastIndexOf('\n', OVERLAP / 2);
  if (line >= 0) return at - OVERLAP / 2 + line + 1;
  const space = near.indexOf(' ', OVERLAP / 2);
  const start = space >= 0 ? at - OVERLAP / 2 + space + 1 : at;
  return start < limit ? start : at;
}
