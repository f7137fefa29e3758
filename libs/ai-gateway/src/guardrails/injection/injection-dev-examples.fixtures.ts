/**
 * Shape and helpers of the development examples: written by hand for tuning the detector.
 * The held-out set in bench/guardrails/heldout/ is never read here, nor by whoever tunes it.
 */
import type { InjectionChannel } from './injection-detector';

/** Texts of one kind, as sent by the user and as returned by a tool (documents, pages). */
export interface ChannelTexts {
  user: readonly string[];
  tool: readonly string[];
}

/** What kind of innocent text a benign example is. */
export type BenignKind =
  | 'security_question'
  | 'quoted_attack'
  | 'roleplay'
  | 'correction'
  | 'encoded_data'
  | 'non_english'
  | 'sysadmin'
  | 'prompt_docs'
  | 'web_page'
  | 'everyday';

export type AttackTexts = Partial<Record<string, ChannelTexts>>;
export type BenignTexts = Partial<Record<BenignKind, ChannelTexts>>;

export interface DevExample {
  /** The attack family, or the kind of benign text. */
  kind: string;
  channel: InjectionChannel;
  text: string;
}

/** Flattens texts grouped by kind into examples. */
export function examples(...groups: Partial<Record<string, ChannelTexts>>[]): DevExample[] {
  const out: DevExample[] = [];
  for (const group of groups) {
    for (const [kind, texts] of Object.entries(group)) {
      if (!texts) continue;
      for (const text of texts.user) out.push({ kind, channel: 'user', text });
      for (const text of texts.tool) out.push({ kind, channel: 'tool_result', text });
    }
  }
  return out;
}

/** `text` written in Unicode tag characters: invisible, each mirroring an ASCII character. */
export function tags(text: string): string {
  return [...text].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
}

/** `text` with a zero-width space after every `every` letters (inside words, mostly). */
export function zeroWidth(text: string, every = 3): string {
  let n = 0;
  return text.replace(/[a-z]/gi, (c) => (++n % every === 0 ? `${c}\u200b` : c));
}
