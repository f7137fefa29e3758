/**
 * Whether a match is an attack being performed or one being talked about: quoted, framed by
 * words like "what is", "example of", "my users type", "detect", or in a text about prompt
 * injection. Each cue multiplies the match's weight by a factor below 1; a match outside
 * quotes and framing is not dampened, so a quoted attack followed by a direct one still
 * scores.
 */

/** Dampening of a match inside quotes, backticks, a code block or a `>` quote. */
const QUOTED = 0.7;
/** Dampening of a match framed as talk about an attack. */
const FRAMED = 0.5;
/** Dampening of any match in a text about prompt injection or jailbreaks. */
const TOPICAL = 0.85;
/** How far back (characters) the framing of a match is looked for, within its sentence. */
const WINDOW_BEFORE = 160;
/** How far after a match (or its closing quote) a framing like "is an attack" is looked for. */
const WINDOW_AFTER = 100;
/** Quote spans kept per text (a megabyte of `"a"` is not indexed further). */
const MAX_SPANS = 4000;

const QUOTE_PATTERNS: readonly RegExp[] = [
  /```[\s\S]{0,20000}?```/g,
  /`[^`\n]{1,300}`/g,
  /"[^"]{1,600}"/g,
  /(?<![\w'])'[^'\n]{2,300}'(?!\w)/g,
  /(?:^|\n)[ \t]*>[^\n]{0,2000}/g,
];

/** Words that frame what follows as discussed, reported or defended against. */
const FRAMING = new RegExp(
  String.raw`\be\.g\.|\bi\.e\.|(?<![.@\/-])\b(?:what\s+(?:is|are|was|were)\s+(?:an?|the\s+(?:difference|meaning|purpose|risk|danger|best\s+way|point|deal))\b|what\s+(?:does|do|did|would)\b|what\s+if|what\s+happens|what's\s+(?:an?|the\s+(?:difference|meaning|purpose|risk|danger|best\s+way|point|deal))\b|how\s+(?:do|does|can|could|should|would|did|to|is|are)|why\s+(?:do|does|did|is|are|would|can)|explain|describe|define|definition|meaning|means?|examples?|for\s+instance|such\s+as|(?:phrases?|prompts?|inputs?|messages?|strings?|things|something|stuff|texts?|attacks?|payloads?|queries|requests?|sentences?|commands?|tricks?|patterns?|instructions)\s+(?:like|such\s+as)|defen[cs]es?|defend\w*|protect\w*|prevent\w*|mitigat\w*|detect\w*|block\w*|filter(?:s|ing|ed)?|flag\w*|catch(?:es|ing)?|classif\w*|sanitiz\w*|guard\w*|screen(?:s|ing|ed)?|(?:users?|customers?|people|someone|somebody|attackers?|hackers?)\s+(?:might\s+|could\s+|will\s+|often\s+|sometimes\s+|keep\s+)?(?:type|typed|types|typing|write|wrote|writes|send|sent|sends|enter|entered|enters|submit|submitted|try|tried|tries|trying|say|said|says|paste|pasted|post|posted|use|used|uses|inject\w*)|attackers?|hackers?|adversar\w*|malicious|research\w*|paper|study|studies|article|blog|talk|lecture|course|thesis|survey|test\s+(?:case|suite|string|input)|unit\s+test|regex|keywords?|blocklist|denylist|heuristics?|(?:e-?mail|message|text|note|letter|page|post|sms|dm|comment)\s+(?:saying|that\s+(?:says|said)|which\s+(?:says|said)|reading)|is\s+it\s+safe|should\s+i\s+(?:worry|be\s+worried)|vulnerab\w*|injections?|jailbreak\w*)\b`,
);
/**
 * Words that report a text rather than discuss it (a bug report, a log, a template): they
 * frame a quoted attack, not one addressed to the assistant inside a document (a ticket or
 * email with "AI agent, …" in it is the attack itself).
 */
const REPORTING = new RegExp(
  String.raw`(?<![.@\/-])\b(?:dataset|benchmark|bug|issue|ticket|incident|reported|logs?|logged|the\s+(?:phrase|string|text|sentence|payload|pattern|word|term)|looks?\s+like|templates?|format(?:s|ted)?|syntax|special\s+tokens?|quoted?|wrote|says|said|typed|entered|pasted|submitted|contain(?:s|ed|ing)?)\b`,
);
/** Before a quoted match: the user wants the quote itself worked on (translated, corrected). */
const QUOTE_TASK =
  /\b(?:translat\w*|spell|pronounce|say\s+in|proofread|correct\s+the\s+grammar|grammar|paraphrase|rephrase|reword|classify|categori[sz]e|label|tokeni[sz]e|count\s+the)\b/;
/** After a match: "… is a classic injection", "… mean?". */
const FRAMING_AFTER = new RegExp(
  String.raw`^[^.!?\n]{0,80}?(?:\b(?:is|are|was|were|as|counts?\s+as|looks?\s+like)\s+(?:an?\s+|the\s+)?(?:[a-z]+\s+){0,2}?(?:example|attack|injection|jailbreak|exploit|payload|technique|trick|pattern|phrase|type|kind|form|variant)s?\b|\b(?:mean|means|do|does|work|works|dangerous|harmful|malicious)(?:\s+(?:in|on|with|for|to)\s+[^.!?\n]{0,40})?\s*\?|\b(?:effective|work(?:s|ing)?\s+(?:on|against)|succeed|fool|trick)\b|\b(?:a\s+)?(?:scam|legit(?:imate)?|suspicious|real|fake|phishing)\s*\?|\b(?:obey|follow|comply\s+with|fall\s+for|listen\s+to|respect|execute|believe)\s+(?:it|that|this|them)\s*\?|\bshould\s+(?:i|we)\s+(?:be\s+)?(?:worried|worry|concerned|block|flag)|\battacks?\b|\b(?:prompt\s+)?injections?\b|\bjailbreaks?\b)`,
);
/** A text about prompt injection or jailbreaks, rather than one doing it. */
const TOPIC =
  /\b(?:prompt[\s-]+injections?|injection\s+attacks?|jailbreak(?:s|ing)?\b|adversarial\s+prompts?|red[\s-]?team\w*|guardrails?|prompt\s+hacking|llm\s+security|ai\s+safety|owasp|security\s+research\w*)/;
/** Where a sentence ends (not after "e.g." or "i.e."). */
const SENTENCE_END = /(?<!\be\.g|\bi\.e|\betc|\bvs|\bex)[.!?;](?=\s)|\n/g;

interface Span {
  start: number;
  end: number;
}

/** The mention context of one text: quote spans (indexed on first use) and its topic. */
export class MentionContext {
  private spans: Span[] | null = null;
  /** For each span (sorted by start), the furthest end of it and the spans before it. */
  private reach: number[] = [];
  private readonly topical: boolean;

  constructor(private readonly text: string) {
    this.topical = TOPIC.test(text);
  }

  /**
   * The factor (0..1] a match at [start, end) is weighted by. `quoteProof` matches (text
   * addressed to the assistant) are not dampened by quotes, only by framing.
   */
  factor(start: number, end: number, quoteProof = false): number {
    const quote = quoteProof ? null : this.quoteAround(start);
    const anchor = quote ? quote.start : start;
    const after = quote ? quote.end : end;
    let factor = this.topical ? TOPICAL : 1;
    if (quote) factor *= QUOTED;
    const framed =
      this.framedBefore(anchor, !quoteProof) ||
      this.framedAfter(after) ||
      (quote !== null && QUOTE_TASK.test(this.sentenceBefore(anchor)));
    if (framed) factor *= FRAMED;
    return factor;
  }

  /** The factor for text decoded from a run at `at`: framing and topic only. */
  framingAt(at: number): number {
    return (this.topical ? TOPICAL : 1) * (this.framedBefore(at) ? FRAMED : 1);
  }

  private framedBefore(at: number, reporting = true): boolean {
    const sentence = this.sentenceBefore(at);
    return FRAMING.test(sentence) || (reporting && REPORTING.test(sentence));
  }

  /** The part of the sentence before `at` (at most WINDOW_BEFORE characters). */
  private sentenceBefore(at: number): string {
    const window = this.text.slice(Math.max(0, at - WINDOW_BEFORE), at);
    let from = 0;
    for (const m of window.matchAll(SENTENCE_END)) from = m.index + 1;
    return window.slice(from);
  }

  private framedAfter(at: number): boolean {
    return FRAMING_AFTER.test(this.text.slice(at, at + WINDOW_AFTER));
  }

  /** The quote span `at` is inside, if any. */
  private quoteAround(at: number): Span | null {
    const spans = this.indexSpans();
    // The last span starting before `at`, by binary search.
    let lo = 0;
    let hi = spans.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid].start < at) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (last < 0 || this.reach[last] <= at) return null;
    for (let i = last; i >= 0; i--) if (spans[i].end > at) return spans[i];
    return null;
  }

  private indexSpans(): Span[] {
    if (this.spans) return this.spans;
    const spans: Span[] = [];
    for (const pattern of QUOTE_PATTERNS) {
      for (const m of this.text.matchAll(pattern)) {
        if (spans.length >= MAX_SPANS) break;
        spans.push({ start: m.index, end: m.index + m[0].length });
      }
    }
    spans.sort((a, b) => a.start - b.start);
    let reach = 0;
    this.reach = spans.map((s) => (reach = Math.max(reach, s.end)));
    this.spans = spans;
    return spans;
  }
}
