import { isIPv4, isIPv6 } from 'node:net';
import { cardNumberValid, ibanValid, luhnValid } from './pii-checksums';
import type { PiiMatch, PiiType } from './pii-match';
import { PII_TYPES } from './pii-match';
import { findPhones } from './pii-phones';

export { PII_TYPES } from './pii-match';
export type { PiiMatch, PiiType } from './pii-match';

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
  // Characters already taken by a finding: an overlap check linear in the text, whatever the
  // number of findings (a pairwise one is quadratic in them: 1 MB of addresses took minutes).
  const taken = new Uint8Array(text.length);
  for (const type of PRECEDENCE) {
    if (!types.includes(type)) continue;
    for (const match of DETECTORS[type](text)) {
      if (taken.subarray(match.start, match.end).includes(1)) continue;
      taken.fill(1, match.start, match.end);
      found.push(match);
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
