import type { StreamTextTransform } from '../gateway-middleware';
import type { PiiType } from './pii-detectors';
import { detectPii } from './pii-detectors';
import { PiiVault, scrub } from './pii-placeholders';

/**
 * Text kept back at the end of a streamed answer while it may still be part of a finding:
 * longer than any email, phone, card, IBAN or key shape the detectors know. A private key
 * block is held from its `-----BEGIN` to its end.
 */
const LOOK_AHEAD = 160;
const KEY_BLOCK = '-----BEGIN';
/** A key block longer than this is no key: held no further. */
const LONGEST_KEY_BLOCK = 16_384;

/**
 * `text` with every finding of `types` masked (`[EMAIL]`), except the caller's own data (the
 * originals in `vault`, restored into the answer on purpose).
 */
export function maskForeign(text: string, types: readonly PiiType[], vault?: PiiVault): string {
  const matches = detectPii(text, types).filter((m) => !vault?.holds(text.slice(m.start, m.end)));
  if (matches.length === 0) return text;
  // Masking issues no placeholder: the vault stays empty.
  return scrub(text, matches, () => 'mask', new PiiVault()).text;
}

/**
 * Masks personal data in a streamed answer that the request did not hold: text is sent
 * once nothing after it can still turn it into a finding (a look-ahead of {@link LOOK_AHEAD}
 * characters, cut at whitespace, never inside a finding).
 */
export class OutputScanner implements StreamTextTransform {
  private pending = '';

  constructor(
    private readonly types: readonly PiiType[],
    private readonly vault?: PiiVault,
  ) {}

  push(text: string): string {
    this.pending += text;
    let cut = this.pending.length - LOOK_AHEAD;
    const block = this.pending.lastIndexOf(KEY_BLOCK);
    if (
      block !== -1 &&
      this.pending.length - block < LONGEST_KEY_BLOCK &&
      !this.pending.includes('-----END', block)
    ) {
      cut = Math.min(cut, block);
    }
    if (cut <= 0) return '';
    // Cut at whitespace, and never inside a finding (detected on everything held).
    while (cut > 0 && !/\s/.test(this.pending[cut - 1])) cut--;
    for (const m of detectPii(this.pending, this.types)) {
      if (m.start < cut && cut < m.end) cut = m.start;
    }
    if (cut <= 0) return '';
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return maskForeign(ready, this.types, this.vault);
  }

  end(): string {
    const rest = this.pending;
    this.pending = '';
    return maskForeign(rest, this.types, this.vault);
  }
}
