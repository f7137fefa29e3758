import { DEV_PHONES_A } from './pii-dev-phones-a.fixtures';
import { DEV_PHONES_B } from './pii-dev-phones-b.fixtures';
import { DEV_LOOKALIKES } from './pii-dev-lookalikes.fixtures';
import { DEV_CARDS } from './pii-dev-cards.fixtures';
import { DEV_IPS } from './pii-dev-ips.fixtures';
import { DEV_OTHERS } from './pii-dev-others.fixtures';
import type { PiiDevSnippet } from './pii-dev-labels';

export type { PiiDevSnippet } from './pii-dev-labels';

/**
 * The PII detector's development snippets, written for tuning by a helper who saw neither the
 * detector nor the held-out sets (bench/guardrails/heldout/); conventions in pii-dev-labels.ts.
 */
export const PII_DEV_SNIPPETS: readonly PiiDevSnippet[] = [
  ...DEV_PHONES_A,
  ...DEV_PHONES_B,
  ...DEV_LOOKALIKES,
  ...DEV_CARDS,
  ...DEV_IPS,
  ...DEV_OTHERS,
];
