import { NUMBER_SCALES, NUMBER_WORDS } from './prompt-lexicon';

/** A word with the decimals or digit groups attached to it ("3.14", "1,500", "v1.2"). */
const NUMBER_TOKEN = /[\p{L}\p{N}]+(?:[.,]\p{N}+)*/gu;

/**
 * The numbers of normalised (lower-case) text, in order: digits with their grouping commas
 * dropped, spelled-out numbers, "85k", "5 million", ordinals from "2nd" on, "1920x1080".
 */
export function numbersOf(lower: string): string[] {
  const numbers: string[] = [];
  const tokens = lower.match(NUMBER_TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const spelled = numberWordsAt(tokens, i);
    if (spelled !== undefined) {
      numbers.push(String(spelled.value));
      i += spelled.used - 1;
      continue;
    }
    const scale = NUMBER_SCALES.get(tokens[i + 1] ?? '');
    if (scale !== undefined && /^\d+(\.\d+)?$/.test(token)) {
      numbers.push(String(Number(token) * scale));
      i++;
      continue;
    }
    // One by one: a spread of "1,2,3,…" split into 100,000 numbers overflows the stack.
    for (const digits of digitsOf(token)) numbers.push(digits);
  }
  return numbers;
}

/** Number words from `i` on ("twenty five" → 25, "two hundred" → 200, "a dozen" → 12). */
function numberWordsAt(tokens: string[], i: number): { value: number; used: number } | undefined {
  const token = tokens[i] ?? '';
  let value = NUMBER_WORDS.get(token);
  let used = 1;
  if (value === undefined && token === 'a' && NUMBER_SCALES.has(tokens[i + 1] ?? '')) value = 1;
  if (value === undefined) return undefined;
  const unit = NUMBER_WORDS.get(tokens[i + used] ?? '');
  if (value >= 20 && value % 10 === 0 && unit !== undefined && unit < 10) {
    value += unit;
    used++;
  }
  const scale = NUMBER_SCALES.get(tokens[i + used] ?? '');
  if (scale !== undefined) {
    value *= scale;
    used++;
  }
  return { value, used };
}

/** The numbers in one token: "1,500" → 1500, "85k" → 85000, "800x600" → 800 and 600. */
function digitsOf(token: string): string[] {
  if (!/^\d/.test(token)) return [];
  const plain = /^(\d{1,3}(?:,\d{3})+|\d+)((?:\.\d+)*)$/.exec(token);
  if (plain !== null) return [canonical((plain[1] ?? '').replace(/,/g, '')) + (plain[2] ?? '')];
  if (/^\d+(,\d+)+$/.test(token)) return token.split(',').map(canonical);
  const thousands = /^(\d+(?:\.\d+)?)k$/.exec(token);
  if (thousands !== null) return [String(Number(thousands[1]) * 1000)];
  const ordinal = /^(\d+)(?:st|nd|rd|th)$/.exec(token);
  if (ordinal !== null) return ordinal[1] === '1' ? [] : [canonical(ordinal[1] ?? '')];
  const size = /^(\d+)x(\d+)$/.exec(token);
  if (size !== null) return [canonical(size[1] ?? ''), canonical(size[2] ?? '')];
  const withUnit = /^(\d+(?:\.\d+)?)/.exec(token);
  return withUnit === null ? [] : [canonical(withUnit[1] ?? '')];
}

/** Leading zeros dropped ("007" → "7", "01" → "1"); decimals kept as written. */
function canonical(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}
