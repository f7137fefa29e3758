import { join } from 'node:path';

/**
 * The `invoice_check` example (config/tasks/invoice_check.yaml) and the answers a model
 * gives for three invoices, shared by the custom-tasks e2e specs.
 */

/** The shipped example: the task exists only as this YAML file. */
export const INVOICE_CHECK_YAML = join(
  __dirname,
  '..',
  '..',
  '..',
  'config',
  'tasks',
  'invoice_check.yaml',
);

/** An invoice whose lines add up: the model's verdict is PASS. */
export const SOUND_INVOICE = [
  'INVOICE  No. INV-2024-117',
  'Date: 2024-03-14',
  'Supplier: Initech GmbH, Berlin',
  'Bill to: Pied Piper Inc.',
  '2 x Server rack, 1,000.00 EUR each     2,000.00 EUR',
  '1 x Installation                         500.00 EUR',
  'Total due:                             2,500.00 EUR',
].join('\n');
/** Lines that do not add up to the stated total: FAIL. */
export const WRONG_TOTAL = SOUND_INVOICE.replace('2,500.00 EUR', '2,900.00 EUR');
/** No invoice number and no date: NEEDS_INFO. */
export const NO_NUMBER = SOUND_INVOICE.split('\n').slice(2).join('\n');

export type Verdict = { decision: string; reasons: string[]; evidence: string[] };

export const PASS_ANSWER: Verdict = {
  decision: 'PASS',
  reasons: ['The line items add up to the total.', 'Supplier, number and date are present.'],
  evidence: ['Total due: 2,500.00 EUR', 'INVOICE No. INV-2024-117'],
};
export const FAIL_ANSWER: Verdict = {
  decision: 'FAIL',
  reasons: ['The line items add up to 2,500.00 EUR, not the stated total.'],
  evidence: ['Total due: 2,900.00 EUR', '1 x Installation 500.00 EUR'],
};
export const NEEDS_INFO_ANSWER: Verdict = {
  decision: 'NEEDS_INFO',
  reasons: ['The invoice has no invoice number and no date.'],
  evidence: ['Supplier: Initech GmbH, Berlin'],
};
/** A verdict resting on a passage the invoice does not contain. */
export const INVENTED_EVIDENCE: Verdict = {
  decision: 'PASS',
  reasons: ['The total was approved.'],
  evidence: ['Approved by: J. Bach', 'Total due: 2,500.00 EUR'],
};
