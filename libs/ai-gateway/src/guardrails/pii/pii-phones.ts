import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import type { PiiMatch } from './pii-match';

/** Words that say a national number nearby is a phone number. */
const PHONE_CONTEXT =
  /(?:phone|tel|mobile|mob|cell|call|fax|whatsapp|\bwa\b|sms|text me|text on|ring|contact|desk|direct line|\bph\.?|\bhp\b|\bgsm\b|t:|m:|☎|📞|telefon|téléphone|teléfono|telefono|handy|portable|celular|móvil|numer(?:o|em)?\b|nummer|número|\bbel\b|тел|звоните|电话|電話)/i;
/** Countries whose national formats are tried where the text says "phone". */
const NATIONAL_COUNTRIES: readonly CountryCode[] = [
  'US',
  'GB',
  'DE',
  'FR',
  'IN',
  'ES',
  'IT',
  'NL',
  'AU',
  'BR',
  'JP',
  'MX',
  'CH',
  'PL',
  'SE',
  'AT',
  'BE',
  'IE',
  'PT',
  'DK',
  'NO',
  'FI',
  'CN',
  'KR',
  'SG',
  'ZA',
  'NG',
  'KE',
  'AR',
  'EG',
  'TR',
  'ID',
  'RU',
  'PK',
  'NZ',
  'AE',
  'CZ',
];
/**
 * Countries whose numbers, written nationally with the trunk `0` and grouped
 * (`020 7946 0958`, `06 12 34 56 78`), are phones even without a phone word: their plans
 * are strict enough that an id rarely passes.
 */
const TRUNK_ZERO_COUNTRIES: readonly CountryCode[] = [
  'GB',
  'FR',
  'ES',
  'IT',
  'NL',
  'AU',
  'BE',
  'IE',
  'SE',
  'JP',
];
/** A national number with its trunk `0`, in at least two groups. */
const TRUNK_ZERO_WRITTEN = /^\(?0\d{1,4}\)?[\s.-]\d{2,4}(?:[\s.-]\d{2,4}){0,3}$/;
/** Words before a number that make it an id, not a phone (unless it starts with `+`). */
const ID_BEFORE =
  /(?:order|invoice|inv|ref|reference|tracking|ticket|case|account|acct|id|no\.|nr\.?|#|sku|part|serial|isbn|po|batch|lot|model|ičo|vat|rev|rechnungsnummer|kundennummer|bestellnummer|cep|zip)\s*[:#=]?\s*$/i;
/** Words right after a number that say it is a phone. */
const PHONE_AFTER = /^\s*\(?(?:mobile|cell|work|home|office|fax|tel|phone|landline|whatsapp)\b/i;

/**
 * Stretches that could hold one phone number: an optional `+`, `00` or `(`, then digits
 * and the separators numbers are written with, bounded so a long run is cut into windows
 * (libphonenumber-js's own scan is slow on long runs of digits and dots: it only sees these).
 */
const PHONE_CANDIDATE =
  /(?:(?<![\w+])\+|(?<!\d)00(?=[1-9])|\((?=\+?\d)|(?<![\d+]))\d[\d \t().\/-]{4,22}\d(?:\s*(?:ext\.?|x|#)\s*\d{1,5})?/gi;
/** A North American number as people write it: `(415) 555-2671`, `415.555.2671`, `1-415-555-2671`. */
const NANP_WRITTEN = /^(?:1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}$/;

/** Shapes that are dates, dotted quads or postal codes, never phones. */
const NOT_A_PHONE = [
  /^\d{4}-\d{2}-\d{2}$/,
  /^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$/,
  /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/,
  /^\d{1,3}(?:\.\d{1,3}){3}$/,
];

export function findPhones(text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (const found of text.matchAll(PHONE_CANDIDATE)) {
    // Two numbers side by side (`+90 212 123 45 67 / 0532 123 45 67`) are two candidates.
    for (const candidate of piecesOf(found[0], found.index)) {
      const match = phoneAt(text, candidate.text, candidate.at);
      if (match) out.push(match);
    }
  }
  return out;
}

/** A candidate cut at ` / ` and `;`, with each piece's offset. */
function piecesOf(text: string, at: number): Array<{ text: string; at: number }> {
  const out: Array<{ text: string; at: number }> = [];
  let from = 0;
  for (const cut of text.matchAll(/\s\/\s|;/g)) {
    out.push({ text: text.slice(from, cut.index), at: at + from });
    from = cut.index + cut[0].length;
  }
  out.push({ text: text.slice(from), at: at + from });
  return out;
}

/** The phone a candidate at `at` is, if it is one. */
function phoneAt(text: string, candidate: string, at: number): PiiMatch | undefined {
  // The extension is dialled after the number: not part of it.
  const body = candidate.replace(/\s*(?:ext\.?|x|#)\s*\d{1,5}$/i, '');
  const digits = body.replace(/\D/g, '').length;
  if (digits < 7 || digits > 17) return undefined;
  // More than one separator per two digits (`1.2.3.4.5.6.7`) is no way to write a number.
  if (body.replace(/[\d+]/g, '').length > digits / 2 + 1) return undefined;
  // `00` before a country code is `+` (the same length, so offsets hold).
  const raw = body.replace(/^00(?=[1-9])/, ' +').trim();
  const international = raw.startsWith('+');
  const before = text.slice(Math.max(0, at - 16), at);
  if (!international) {
    // An id, a time's tail (`10:12:01.332`), a code's part (`SPRING-2024-4411`), a date.
    if (ID_BEFORE.test(before) || /(?:\d:|[A-Za-z]-)$/.test(before)) return undefined;
    if (NOT_A_PHONE.some((shape) => shape.test(raw))) return undefined;
  }
  return phoneMatch(text, at, body, raw, international);
}

/** The phone at `at`, if the number is one: an international number of a possible length, or
 * a valid national one written as phones are or said to be one. */
function phoneMatch(
  text: string,
  at: number,
  body: string,
  raw: string,
  international: boolean,
): PiiMatch | undefined {
  const context =
    phoneContextBefore(text, at) ||
    PHONE_AFTER.test(text.slice(at + body.length, at + body.length + 14));
  const countries: readonly CountryCode[] = international
    ? ['US']
    : context
      ? NATIONAL_COUNTRIES
      : TRUNK_ZERO_WRITTEN.test(raw)
        ? ['US', ...TRUNK_ZERO_COUNTRIES]
        : ['US'];
  // `+1` and ten digits: a North American number (the library would spend ~40 µs finding
  // which of the plan's 25 countries it belongs to, which does not matter here).
  if (international && /^\+1\D*(?:\d\D*){10}$/.test(raw)) return phoneSpan(text, at, body);
  // Without a phone word near it, a national number must be written the way people write
  // phones (North American grouping, or a trunk `0` and groups): a run of digits or
  // `2024-000123` is an id more often. Checked first: parsing costs far more.
  if (!international && !context && !NANP_WRITTEN.test(raw) && !TRUNK_ZERO_WRITTEN.test(raw)) {
    return undefined;
  }
  for (const country of countries) {
    const number = parsePhoneNumberFromString(raw, country);
    // A `+` and a country code at a possible length is a phone (fictional and new ranges
    // included); a national number must be a valid one.
    if (!number || !(international ? number.isPossible() : number.isValid())) continue;
    return phoneSpan(text, at, body);
  }
  return undefined;
}

/** The phone's span: the candidate without the punctuation and spaces around it. */
function phoneSpan(text: string, at: number, body: string): PiiMatch {
  let start = at;
  let end = at + body.length;
  while (end > start && /[\s,;.-]/.test(text[end - 1])) end--;
  while (start < end && /\s/.test(text[start])) start++;
  return { type: 'phone', start, end };
}

function phoneContextBefore(text: string, at: number): boolean {
  return PHONE_CONTEXT.test(text.slice(Math.max(0, at - 30), at));
}
