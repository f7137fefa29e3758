import { Inject } from '@nestjs/common';
import type { UsageRow } from './usage-row';

/** Rows taken out of a {@link UsageBuffer} to be written; ack or release them. */
export interface UsageBufferClaim {
  /** Identifies the claim to the buffer that issued it. */
  readonly token: string;
  readonly rows: readonly UsageRow[];
  /** Entries that could not be read back (torn or corrupt) and were removed. */
  readonly unreadable?: number;
}

/**
 * Where usage rows wait while the database is unreachable: bounded, durable (Redis list
 * or an append-only file; memory only for tests) and drained at least once — a row is
 * removed only after the database took it, so a crash mid-drain replays it (the
 * idempotent insert makes a replay harmless).
 */
export interface UsageBuffer {
  /** `redis`, `file` or `memory`: for logs and metrics. */
  readonly kind: string;
  /**
   * Appends rows up to the bound; returns how many were accepted (the rest are the
   * caller's to count as dropped). Rejects when the buffer itself is unavailable.
   */
  push(rows: readonly UsageRow[]): Promise<number>;
  /** Takes up to `max` of the oldest rows for writing; undefined when there are none. */
  claim(max: number): Promise<UsageBufferClaim | undefined>;
  /** The claimed rows are in the database: remove them for good. */
  ack(claim: UsageBufferClaim): Promise<void>;
  /** The write failed: the claimed rows go back to the front of the buffer. */
  release(claim: UsageBufferClaim): Promise<void>;
  /** Rows waiting (claimed rows excluded). */
  size(): Promise<number>;
}

/** Injection token of the {@link UsageBuffer}. */
export const USAGE_BUFFER = Symbol('USAGE_BUFFER');

/** Injects the {@link UsageBuffer}. */
export const InjectUsageBuffer = (): ParameterDecorator => Inject(USAGE_BUFFER);

/** A buffered row, or undefined when the entry is not one (never throws). */
export function parseBufferedRow(entry: string): UsageRow | undefined {
  try {
    const row = JSON.parse(entry) as UsageRow | null;
    return row && typeof row === 'object' && typeof row.requestId === 'string' ? row : undefined;
  } catch {
    return undefined;
  }
}
