import type { StreamTextTransform } from '../gateway-middleware';
import type { PiiMatch, PiiType } from './pii-detectors';

/** What the scrubber does with a finding of a type. */
export type PiiAction = 'mask' | 'placeholder' | 'block';

const LABELS: Readonly<Record<PiiType, string>> = {
  email: 'EMAIL',
  phone: 'PHONE',
  card: 'CARD',
  iban: 'IBAN',
  ssn: 'SSN',
  ip: 'IP',
  secret: 'SECRET',
};

/** A placeholder as sent to the provider: `<EMAIL_1>`. */
const PLACEHOLDER = /<(EMAIL|PHONE|CARD|IBAN|SSN|IP|SECRET)_(\d{1,4})>/g;
/** The longest placeholder, for the look-ahead of a stream. */
const LONGEST = '<SECRET_9999>'.length;

/**
 * The originals behind one request's placeholders: the same value gets the same placeholder
 * (`<EMAIL_1>` twice for one address), and only placeholders it issued are restored — text
 * that merely looks like one is left alone.
 */
export class PiiVault {
  private readonly placeholders = new Map<string, string>();
  private readonly originals = new Map<string, string>();
  private readonly counts = new Map<PiiType, number>();

  placeholderFor(type: PiiType, value: string): string {
    const key = `${type}\u0000${value}`;
    let placeholder = this.placeholders.get(key);
    if (!placeholder) {
      const n = (this.counts.get(type) ?? 0) + 1;
      this.counts.set(type, n);
      placeholder = `<${LABELS[type]}_${n}>`;
      this.placeholders.set(key, placeholder);
      this.originals.set(placeholder, value);
    }
    return placeholder;
  }

  get size(): number {
    return this.originals.size;
  }

  /** Whether `value` is one of the originals this vault holds (the caller's own data). */
  holds(value: string): boolean {
    for (const original of this.originals.values()) if (original === value) return true;
    return false;
  }

  /**
   * The text with every placeholder this vault issued put back, each original passed
   * through `encode` (JSON-escaped inside tool arguments and JSON answers).
   */
  restore(text: string, encode?: (original: string) => string): string {
    if (this.originals.size === 0 || !text.includes('<')) return text;
    return text.replace(PLACEHOLDER, (placeholder) => {
      const original = this.originals.get(placeholder);
      if (original === undefined) return placeholder;
      return encode ? encode(original) : original;
    });
  }
}

/** The outcome of scrubbing one text. */
export interface Scrubbed {
  text: string;
  /** Findings per type, whatever was done with them. */
  found: Partial<Record<PiiType, number>>;
  /** The first type whose action is `block`, when one was found. */
  blocked?: PiiType;
}

/** `text` with each finding masked (`[EMAIL]`) or replaced by its placeholder, per `actionOf`. */
export function scrub(
  text: string,
  matches: readonly PiiMatch[],
  actionOf: (type: PiiType) => PiiAction,
  vault: PiiVault,
): Scrubbed {
  const found: Partial<Record<PiiType, number>> = {};
  let blocked: PiiType | undefined;
  let out = '';
  let at = 0;
  for (const match of matches) {
    found[match.type] = (found[match.type] ?? 0) + 1;
    const action = actionOf(match.type);
    if (action === 'block') blocked ??= match.type;
    const value = text.slice(match.start, match.end);
    out += text.slice(at, match.start);
    out +=
      action === 'placeholder'
        ? vault.placeholderFor(match.type, value)
        : `[${LABELS[match.type]}]`;
    at = match.end;
  }
  return { text: out + text.slice(at), found, ...(blocked ? { blocked } : {}) };
}

/**
 * Restores placeholders in a streamed answer, chunk by chunk: a chunk that ends inside
 * what may be a placeholder (`…write to <EMA`) keeps that tail back until the next chunk
 * shows whether it is one. Nothing else is held: text reaches the caller as it arrives.
 */
export class StreamRestorer implements StreamTextTransform {
  private pending = '';

  constructor(
    private readonly vault: PiiVault,
    private readonly encode?: (original: string) => string,
  ) {}

  /** The text of `chunk` that can be sent now. */
  push(chunk: string): string {
    const text = this.pending + chunk;
    const open = text.lastIndexOf('<');
    // A `<` near the end with no `>` after it may be the start of a placeholder.
    if (
      open !== -1 &&
      text.length - open < LONGEST &&
      !text.includes('>', open) &&
      mayBePlaceholder(text.slice(open))
    ) {
      this.pending = text.slice(open);
      return this.vault.restore(text.slice(0, open), this.encode);
    }
    this.pending = '';
    return this.vault.restore(text, this.encode);
  }

  /** What is left when the stream ends. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    return this.vault.restore(rest, this.encode);
  }
}

/** Whether `tail` (starting with `<`) is the beginning of some placeholder. */
function mayBePlaceholder(tail: string): boolean {
  return /^<(?:[A-Z]{0,6}|(?:EMAIL|PHONE|CARD|IBAN|SSN|IP|SECRET)_\d{0,4})$/.test(tail);
}
