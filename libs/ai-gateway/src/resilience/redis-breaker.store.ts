import type { BreakerConfig } from '../config/gateway-config.schema';
import type { RedisConnection } from '../redis/redis-connection.service';
import { BREAKER_ACQUIRE, BREAKER_RECORD, BREAKER_SNAPSHOT, BREAKER_TRIP } from './breaker.lua';
import type {
  BreakerOutcome,
  BreakerPermit,
  BreakerSnapshot,
  BreakerState,
  BreakerStore,
} from './breaker.types';
import type { BreakerStoreOptions, CircuitFields } from './circuit-state';
import { toSnapshot } from './circuit-state';

export interface RedisBreakerStoreOptions extends BreakerStoreOptions {
  /** How long a tripped circuit's hash outlives its open time when nothing touches it. */
  tripGraceMs?: number;
}

const DEFAULT_TRIP_GRACE_MS = 3_600_000;
const STATES: ReadonlySet<string> = new Set<BreakerState>(['closed', 'open', 'half-open']);

/**
 * Breaker state shared by every gateway instance on one Redis: a hash per circuit
 * (`<prefix>breaker:<id>`), each operation one Lua script (see `breaker.lua.ts`), with
 * the same state machine as `MemoryBreakerStore`. Hashes carry a PEXPIRE (two windows,
 * plus the open time) so circuits nobody calls any more vanish on their own.
 * Errors (Redis down or slow) reject; `CircuitBreakerService` decides to fail open.
 */
export class RedisBreakerStore implements BreakerStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly options: RedisBreakerStoreOptions = {},
  ) {}

  async acquire(id: string, policy: BreakerConfig, now: number): Promise<BreakerPermit> {
    const reply = await this.redis.run(
      BREAKER_ACQUIRE,
      [this.keyOf(id)],
      [now, policy.openMs, policy.windowMs],
    );
    const [allowed, state, probe, openUntil, transition] = rowOf(reply, 5);
    this.moved(id, transition);
    return {
      allowed: num(allowed) === 1,
      state: stateOf(state),
      probe: num(probe) === 1,
      openUntil: text(openUntil) === '' ? undefined : num(openUntil),
    };
  }

  async record(
    id: string,
    outcome: BreakerOutcome,
    policy: BreakerConfig,
    now: number,
  ): Promise<BreakerSnapshot> {
    const reply = await this.redis.run(
      BREAKER_RECORD,
      [this.keyOf(id)],
      [
        now,
        flag(outcome.ok),
        flag(outcome.counts),
        flag(outcome.probe),
        outcome.error ?? 'error',
        policy.failureThreshold,
        policy.errorRateThreshold,
        policy.minRequests,
        policy.windowMs,
        policy.openMs,
      ],
    );
    const row = rowOf(reply, 10);
    this.moved(id, row[9]);
    return toSnapshot(id, fieldsOf(row), now);
  }

  async trip(id: string, until: number, reason: string, now: number): Promise<void> {
    const transition = await this.redis.run(
      BREAKER_TRIP,
      [this.keyOf(id)],
      [now, until, reason, this.options.tripGraceMs ?? DEFAULT_TRIP_GRACE_MS],
    );
    this.moved(id, transition);
  }

  async snapshot(ids: string[], now: number): Promise<BreakerSnapshot[]> {
    if (ids.length === 0) return [];
    const reply = await this.redis.run(
      BREAKER_SNAPSHOT,
      ids.map((id) => this.keyOf(id)),
      [],
    );
    const rows = rowOf(reply, ids.length);
    return ids.map((id, i) => toSnapshot(id, fieldsOf(rowOf(rows[i], 9)), now));
  }

  private keyOf(id: string): string {
    return this.redis.key('breaker', id);
  }

  private moved(id: string, transition: unknown): void {
    const to = text(transition);
    if (to !== '') this.options.onTransition?.(id, stateOf(to));
  }
}

/** Reads a hash row in `CircuitFields` order; nil fields are a closed, empty circuit. */
function fieldsOf(row: unknown[]): CircuitFields {
  const [state, openUntil, probeUntil, consecutive, windowEnd, requests, failures] = row;
  const lastError = text(row[7]);
  const lastErrorAt = text(row[8]);
  return {
    state: text(state) === '' ? 'closed' : stateOf(state),
    openUntil: num(openUntil),
    probeUntil: num(probeUntil),
    consecutive: num(consecutive),
    windowEnd: num(windowEnd),
    requests: num(requests),
    failures: num(failures),
    lastError: lastError === '' ? undefined : lastError,
    lastErrorAt: lastErrorAt === '' ? undefined : num(lastErrorAt),
  };
}

function rowOf(reply: unknown, length: number): unknown[] {
  if (!Array.isArray(reply) || reply.length !== length) {
    throw new Error(`unexpected breaker script reply (expected ${length} values)`);
  }
  return reply as unknown[];
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new Error('unexpected breaker field type');
}

/** Reads a number field; Number() also accepts an exponent form, should Redis write one. */
function num(value: unknown): number {
  const raw = text(value);
  if (raw === '') return 0;
  const parsed = Number(raw);
  if (!Number.isFinite(parsed)) throw new Error('unexpected breaker number');
  return parsed;
}

function stateOf(value: unknown): BreakerState {
  const raw = text(value);
  if (!STATES.has(raw)) throw new Error(`unexpected breaker state "${raw}"`);
  return raw as BreakerState;
}

function flag(value: boolean): number {
  return value ? 1 : 0;
}
