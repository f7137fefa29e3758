import type { BreakerConfig } from '../config/gateway-config.schema';
import type { BreakerSnapshot, BreakerState } from './breaker.types';

/**
 * The stored fields of one circuit: an object in `MemoryBreakerStore`, a Redis hash in
 * `RedisBreakerStore` (same names, same meaning, so both stores are read the same way).
 */
export interface CircuitFields {
  state: BreakerState;
  /** Epoch ms until which an open circuit refuses calls; 0 when never opened. */
  openUntil: number;
  /**
   * Lease of the half-open probe in flight; 0 when none. A probe whose caller never
   * reports (a crashed instance) expires after `openMs`, as if it had failed, so a
   * circuit cannot stay half-open forever.
   */
  probeUntil: number;
  consecutive: number;
  /** End of the current fixed error-rate window (epoch ms). */
  windowEnd: number;
  requests: number;
  failures: number;
  lastError?: string;
  lastErrorAt?: number;
}

/** Called when a store call moves a circuit to another state (for metrics). */
export type BreakerTransitionListener = (id: string, to: BreakerState) => void;

export interface BreakerStoreOptions {
  /** Told about the transitions this store instance causes (not those of other instances). */
  onTransition?: BreakerTransitionListener;
}

/** Gauge value of each state: `gateway_breaker_state`. */
export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = {
  closed: 0,
  'half-open': 1,
  open: 2,
};

/** The circuit id of one API key of a provider (the key itself never appears). */
export function keyCircuitId(provider: string, keyId: string): string {
  return `${provider}#${keyId}`;
}

export function closedCircuit(): CircuitFields {
  return {
    state: 'closed',
    openUntil: 0,
    probeUntil: 0,
    consecutive: 0,
    windowEnd: 0,
    requests: 0,
    failures: 0,
  };
}

/**
 * Whether a counted failure opens a closed circuit: `failureThreshold` consecutive
 * failures, or a failure share of at least `errorRateThreshold` over the current window
 * once `minRequests` were seen. (The Lua record script applies the same rule.)
 */
export function shouldOpen(fields: CircuitFields, policy: BreakerConfig): boolean {
  if (fields.consecutive >= policy.failureThreshold) return true;
  return (
    fields.requests >= policy.minRequests &&
    fields.failures / fields.requests >= policy.errorRateThreshold
  );
}

/**
 * How a circuit looks at `now`. An open circuit whose time is up reads as half-open
 * (the next call is the probe), and the counters of an elapsed window read as zero.
 */
export function toSnapshot(id: string, fields: CircuitFields, now: number): BreakerSnapshot {
  const inWindow = now < fields.windowEnd;
  return {
    id,
    state: fields.state === 'open' && now >= fields.openUntil ? 'half-open' : fields.state,
    openUntil: fields.state !== 'closed' && fields.openUntil > 0 ? fields.openUntil : undefined,
    consecutiveFailures: fields.consecutive,
    windowRequests: inWindow ? fields.requests : 0,
    windowFailures: inWindow ? fields.failures : 0,
    lastError: fields.lastError,
    lastErrorAt: fields.lastErrorAt,
  };
}
