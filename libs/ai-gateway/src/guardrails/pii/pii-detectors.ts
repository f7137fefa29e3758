import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { isIPv4, isIPv6 } from 'node:net';
import { cardNumberValid, ibanValid, luhnValid } from './pii-checksums';

/** The kinds of personal data and secrets the scrubber finds. */
export const PII_TYPES = ['email', 'phone', 'card', 'iban', 'ssn', 'ip', 'secret'] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** One finding: where it is in the text (`end` exclusive) and what it is. */
export interface PiiMatch {
  type: PiiType;
  start: number;
  end: number;
}

/** Which finding wins where two overlap: the more specific shape first. */
const PRECEDENCE: readonly PiiType[] = ['secret', 'iban', 'card', 'email', 'ssn', 'phone', 'ip'];

/**
 * Every personal datum and known-shape secret in `text`, in order, none overlapping:
 * emails, phone numbers (libphonenumber-js: international numbers anywhere, national ones of
 * a few countries where the text says it is a phone), payment cards (brand prefix and
 * length, Luhn), IBANs (country length, mod 97), US SSNs, IP addresses (not version
 * numbers) and credentials of known shapes (vendor key prefixes, JWTs, private key blocks).
 */
export function detectPii(text: string, types: readonly PiiType[] = PII_TYPES): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const type of PRECEDENCE) {
    if (!types.includes(type)) continue;
    for (const match of DETECTORS[type](text)) {
      if (!found.some((f) => f.start < match.end && match.start < f.end)) found.push(match);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

const DETECTORS: Readonly<Record<PiiType, (text: string) => PiiMatch[]>> = {
  email: findEmails,
  phone: findPhones,
  card: findCards,
  iban: findIbans,
  ssn: findSsns,
  ip: findIps,
  secret: findSecrets,
};

function all(text: string, pattern: RegExp, type: PiiType, keep = (_m: RegExpExecArray) => true) {
  const out: PiiMatch[] = [];
  for (const m of text.matchAll(pattern)) {
    if (keep(m)) out.push({ type, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** File names with a scale suffix (`icon@2x.png`) are not addresses. */
const NOT_A_TLD = /^(?:png|jpe?g|gif|svg|webp|ico|bmp|tiff?|pdf|js|ts|css|html?|json|ya?ml|txt)$/i;

function findEmails(text: string): PiiMatch[] {
  return all(
    text,
    /(?<![\w.%+-])[A-Za-z0-9](?:[\w.%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g,
    'email',
    (m) => !NOT_A_TLD.test(m[0].slice(m[0].lastIndexOf('.') + 1)),
  );
}

/** 13–19 digits, alone or in groups separated by one space or dash each. */
/** Grouped (spaces, dashes or dots) or not; not the tail of a longer or decimal number. */
const CARD_CANDIDATE = /(?<![\d.-]|\d,)\d(?:[ .-]?\d){11,18}(?!\d|\.\d)/g;
/**
 * An ungrouped run of 12–19 digits may sit between commas or dashes (a CSV or log field): a
 * thousands group has three digits, so such a run is no part of a formatted number.
 */
const CARD_RUN = /(?<![\d.])\d{12,19}(?!\d|\.\d)/g;
/** Words just before a number that say it is a card (any Luhn-valid number then counts). */
const CARD_WORD =
  /\b(?:card|credit|debit|visa|master ?card|amex|cc|pan|payment|kart[ea]?|tarjeta|carte|karte)\b[^\n\d]{0,24}$/i;

function findCards(text: string): PiiMatch[] {
  const keep = (m: RegExpExecArray) => {
    const separators = m[0].match(/[ .-]/g) ?? [];
    // Mixed separators are two numbers side by side, not one card.
    if (new Set(separators).size > 1) return false;
    const digits = m[0].replace(/[ .-]/g, '');
    if (cardNumberValid(digits)) return true;
    // A number a card word introduces: Luhn alone (issuers and test ranges beyond the brands).
    return luhnValid(digits) && CARD_WORD.test(text.slice(Math.max(0, m.index - 40), m.index));
  };
  return all(text, CARD_CANDIDATE, 'card', keep).concat(all(text, CARD_RUN, 'card', keep));
}

function findIbans(text: string): PiiMatch[] {
  return all(
    text,
    /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g,
    'iban',
    (m) => ibanValid(m[0].replace(/ /g, '')),
  ).concat(
    // Grouped in fours, the last group may run into a following word: trim to a valid length.
    trimmedIbans(text),
  );
}

function trimmedIbans(text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (const m of text.matchAll(/(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: [A-Z0-9]{1,4}){3,8}/g)) {
    let value = m[0];
    while (value.length > 15) {
      if (ibanValid(value.replace(/ /g, ''))) {
        out.push({ type: 'iban', start: m.index, end: m.index + value.length });
        break;
      }
      value = value.slice(0, -1).trimEnd();
    }
  }
  return out;
}

/** An SSN's valid area, group and serial, dashed; or spaced or unbroken right after an SSN word. */
const SSN_DASHED = /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g;
const SSN_LOOSE = /(?<![\d-])(?!000|666|9\d\d)\d{3}( ?)(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])/g;
const SSN_WORD = /\b(?:ssn|social security(?: number| no\.?)?|ss#)\s*(?:is|:|=|#|no\.?)?\s*$/i;

function findSsns(text: string): PiiMatch[] {
  return all(text, SSN_DASHED, 'ssn').concat(
    all(text, SSN_LOOSE, 'ssn', (m) =>
      SSN_WORD.test(text.slice(Math.max(0, m.index - 28), m.index)),
    ),
  );
}

/** Words before a dotted quad that make it a version, not an address. */
const VERSION_BEFORE =
  /(?:\bv|version|ver\.?|release|build|firmware|fw|rev|sdk|python|java|chrome|edge|firefox|safari|electron|ios|android|kernel|section|sec\.|clause|chapter|§|(?:update|upgrade)[ds]?(?: (?:to|from))?|@)\s*[:=]?\s*$/i;

function findIps(text: string): PiiMatch[] {
  const v4 = all(
    text,
    // Not followed by a code's suffix (`4.4.4.4-B`).
    /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d|-[A-Za-z])/g,
    'ip',
    (m) => isIPv4(m[0]) && !VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index)),
  );
  const v6 = all(
    text,
    /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%\w+)?(?![\w:])/g,
    'ip',
    (m) => {
      const address = m[0].split('%')[0];
      // Times and ratios (12:30:45) are not addresses; an address has hex groups or `::`.
      return (
        isIPv6(address) &&
        (address.includes('::') || /[a-f]/i.test(address) || address.split(':').length === 8)
      );
    },
  );
  return [...v4, ...v6];
}

/** Credentials whose shape names them (random parts are long, so ordinary words never match). */
const SECRET_SHAPES: readonly RegExp[] = [
  /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z]+ )*PRIVATE KEY-----/g,
  /(?<![\w-])sk-(?:proj-|ant-(?:api\d\d-)?|svcacct-)?[A-Za-z0-9_-]{20,}(?![\w-])/g,
  /(?<![\w-])(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}(?![\w-])/g,
  /(?<![\w-])A(?:KI|SI)A[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  /(?<![\w-])(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}(?![\w-])/g,
  /(?<![\w-])github_pat_[A-Za-z0-9_]{40,}(?![\w-])/g,
  /(?<![\w-])glpat-[A-Za-z0-9_-]{20,}(?![\w-])/g,
  /(?<![\w-])xox[abprs]-[A-Za-z0-9-]{10,}(?![\w-])/g,
  /(?<![\w-])AIza[A-Za-z0-9_-]{35}(?![\w-])/g,
  /(?<![\w-])(?:hf|gsk|xai|pplx|nvapi|r8)_[A-Za-z0-9]{20,}(?![\w-])/g,
  /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?![\w-])/g,
];
/** An AWS secret access key: 40 characters, named by the line it is on (the key is group 1). */
const AWS_SECRET =
  /aws_secret_access_key["']?\s{0,4}[=:]\s{0,4}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi;

function findSecrets(text: string): PiiMatch[] {
  const found = SECRET_SHAPES.flatMap((shape) => all(text, shape, 'secret'));
  for (const m of text.matchAll(AWS_SECRET)) {
    const end = m.index + m[0].length;
    found.push({ type: 'secret', start: end - m[1].length, end });
  }
  return found;
}

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

function findPhones(text: string): PiiMatch[] {
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
