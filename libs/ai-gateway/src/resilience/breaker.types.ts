import type { BreakerConfig } from '../config/gateway-config.schema';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What a circuit looks like now; ids are `provider` or `provider#keyId` (never a key). */
export interface BreakerSnapshot {
  id: string;
  state: BreakerState;
  /** Epoch ms until which the circuit stays open. */
  openUntil?: number;
  consecutiveFailures: number;
  /** Requests and failures in the current error-rate window. */
  windowRequests: number;
  windowFailures: number;
  /** Code of the last failure and when it happened (epoch ms). */
  lastError?: string;
  lastErrorAt?: number;
}

/** The answer to "may I call this circuit now?". */
export interface BreakerPermit {
  allowed: boolean;
  state: BreakerState;
  /** True for the single call let through a half-open circuit. */
  probe: boolean;
  openUntil?: number;
}

export interface BreakerOutcome {
  ok: boolean;
  /** Whether this outcome should count against the circuit (provider faults only). */
  counts: boolean;
  probe: boolean;
  /** Gateway error code of a failure. */
  error?: string;
}

/**
 * Where breaker state lives: in memory (one instance) or in Redis (shared by every
 * gateway instance, each change one Lua script). `now` is injected for tests.
 */
export interface BreakerStore {
  acquire(id: string, policy: BreakerConfig, now: number): Promise<BreakerPermit>;
  record(
    id: string,
    outcome: BreakerOutcome,
    policy: BreakerConfig,
    now: number,
  ): Promise<BreakerSnapshot>;
  /** Forces a circuit open until `until` (a key cooling off after 429, quarantined after 401). */
  trip(id: string, until: number, reason: string, now: number): Promise<void>;
  snapshot(ids: string[], now: number): Promise<BreakerSnapshot[]>;
}

export const BREAKER_STORE = Symbol('BREAKER_STORE');
