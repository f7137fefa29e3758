/**
 * Labelled development snippets for tuning the PII detector.
 *
 * Written independently for tuning; NOT the frozen held-out set (bench/guardrails/heldout/).
 * Conventions:
 * - every `value` is an exact substring of `text`, listed once per occurrence, in order;
 * - phone values exclude extensions ("ext. 12", "x204", "poste 3") and URI prefixes ("tel:");
 * - IP values exclude ports and CIDR suffixes; IPv6 values exclude surrounding brackets;
 * - card numbers are Luhn-valid and IBANs pass mod-97; masked / last-4 card mentions are not PII;
 * - ids, dates, versions, OIDs, order / tracking numbers are deliberately unlabelled look-alikes.
 */

/** A labelled development snippet for the PII detector (written for tuning, not the held-out set). */
export interface PiiDevSnippet {
  /** Where the text comes from, e.g. 'sms', 'csv', 'server log', 'resume', 'invoice'. */
  context: string;
  text: string;
  pii: Array<{
    type: 'email' | 'phone' | 'card' | 'iban' | 'ssn' | 'ip' | 'secret';
    value: string;
  }>;
}

export type PiiLabel = PiiDevSnippet['pii'][number];

// Small label builders keep the table compact; the exported data is plain objects.
export const email = (value: string): PiiLabel => ({ type: 'email', value });
export const phone = (value: string): PiiLabel => ({ type: 'phone', value });
export const card = (value: string): PiiLabel => ({ type: 'card', value });
export const iban = (value: string): PiiLabel => ({ type: 'iban', value });
export const ssn = (value: string): PiiLabel => ({ type: 'ssn', value });
export const ip = (value: string): PiiLabel => ({ type: 'ip', value });
export const secret = (value: string): PiiLabel => ({ type: 'secret', value });
