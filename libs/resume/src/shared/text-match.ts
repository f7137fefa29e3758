/**
 * "Does this appear in the resume?" for the fact checks of model answers: quotes,
 * employers, titles, degrees, dates, phone numbers. Matching is on normalised words —
 * case, accents, punctuation and spacing are ignored, word boundaries are not — so a
 * model's faithful quote passes whatever the resume's typography, while an invented
 * name does not.
 */

const MONTHS = [
  ['jan', 'january'],
  ['feb', 'february'],
  ['mar', 'march'],
  ['apr', 'april'],
  ['may'],
  ['jun', 'june'],
  ['jul', 'july'],
  ['aug', 'august'],
  ['sep', 'sept', 'september'],
  ['oct', 'october'],
  ['nov', 'november'],
  ['dec', 'december'],
] as const;

const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** Digit runs that look like a phone number (7+ digits with the usual separators). */
const PHONE_RUN = /\+?\d[\d\s().\-/]{5,}\d/g;

/** A phone number needs this many digits to be compared at all. */
const MIN_PHONE_DIGITS = 7;

/**
 * Lower case, accents stripped, every run of characters other than letters, digits, `+`
 * and `#` (C++, C#) turned into one space.
 */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#]+/gu, ' ')
    .trim();
}

/** Splits a quote where the model elided text (`…` or `...`): each part must appear. */
function quoteParts(quote: string): string[] {
  return quote
    .split(/\u2026|\.{3,}/)
    .map(normalizeForMatch)
    .filter((part) => part !== '');
}

function digitsOf(text: string): string {
  return text.replace(/\D+/g, '');
}

/** A resume's text, normalised once, asked many times. */
export class ResumeTextIndex {
  private readonly words: string;
  private readonly phones: string[];

  constructor(text: string) {
    this.words = ` ${normalizeForMatch(text)} `;
    this.phones = (text.match(PHONE_RUN) ?? [])
      .map(digitsOf)
      .filter((digits) => digits.length >= MIN_PHONE_DIGITS);
  }

  /** True when the phrase's words appear in this order, on word boundaries. */
  containsPhrase(phrase: string): boolean {
    const normalized = normalizeForMatch(phrase);
    return normalized !== '' && this.words.includes(` ${normalized} `);
  }

  /**
   * True when a quote appears word for word (up to normalisation); a quote with an
   * ellipsis needs each of its parts. A quote with no words is not evidence.
   */
  containsQuote(quote: string): boolean {
    const parts = quoteParts(quote);
    return parts.length > 0 && parts.every((part) => this.words.includes(` ${part} `));
  }

  /**
   * True when the phone number's digits appear as one phone-like run of the text: either
   * contains the other, so an added or dropped country code (`+1`) still matches.
   */
  containsPhone(phone: string): boolean {
    const digits = digitsOf(phone);
    if (digits.length < MIN_PHONE_DIGITS) return this.containsPhrase(phone);
    return this.phones.some((run) => run.includes(digits) || digits.includes(run));
  }

  /**
   * True when an ISO date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) appears in a common written
   * form. A year needs the year; a month needs the month and year (`2019-03`, `03/2019`,
   * `3/2019`, `Mar 2019`, `March 2019`, `Sept 2019`…); the day is not required, since
   * resumes rarely state one. A value that is not an ISO date is looked up as written.
   */
  containsDate(date: string): boolean {
    const parts = ISO_DATE.exec(date.trim());
    if (!parts) return this.containsPhrase(date);
    const [, year, month] = parts;
    if (month === undefined) return this.words.includes(` ${year} `);
    const index = Number(month) - 1;
    if (index < 0 || index > 11) return false;
    const forms = [
      `${year} ${month}`,
      `${month} ${year}`,
      `${index + 1} ${year}`,
      ...MONTHS[index].map((name) => `${name} ${year}`),
    ];
    return forms.some((form) => this.words.includes(` ${form} `));
  }
}

/** `YYYY-MM` of an ISO date, or `YYYY` when it has no month; undefined when not ISO. */
export function datePrecisionKey(date: string): string | undefined {
  const parts = ISO_DATE.exec(date.trim());
  if (!parts) return undefined;
  return parts[2] === undefined ? parts[1] : `${parts[1]}-${parts[2]}`;
}
