/** The kinds of personal data and secrets the scrubber finds. */
export const PII_TYPES = ['email', 'phone', 'card', 'iban', 'ssn', 'ip', 'secret'] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** One finding: where it is in the text (`end` exclusive) and what it is. */
export interface PiiMatch {
  type: PiiType;
  start: number;
  end: number;
}
