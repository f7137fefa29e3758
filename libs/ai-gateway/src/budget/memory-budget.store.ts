import {
  levelKeyParts,
  periodWindow,
  reservationConflict,
  validateLevels,
  validateMicroUsd,
  validateRequestId,
  validateReservation,
} from './budget-period';
import type {
  BudgetLevel,
  BudgetStore,
  BudgetUsage,
  FinishOutcome,
  ReserveResult,
} from './budget.types';

/** One level in one period. */
interface LevelState {
  spent: number;
  /** Sum of `holds` amounts: kept, not recomputed, as the Lua side does. */
  reserved: number;
  holds: Map<string, { amount: number; expiresAt: number }>;
  /** Earliest `expiresAt` among `holds`: nothing to purge before it. */
  nextExpiry: number;
  /** When the entry may be forgotten (the period's end plus the late-settle grace). */
  dropAt: number;
}

/** A request's reservation, as `settle` and `release` find it by id. */
interface RequestRecord {
  state: 'reserved' | 'settled' | 'released';
  expiresAt: number;
  dropAt: number;
  ttlMs: number;
  levelKeys: string[];
}

/** How often (in `now` time) forgotten periods are looked for. */
const LEVEL_SWEEP_MS = 60_000;

/**
 * Budgets of one gateway instance, in Maps: the embedded default when no Redis is
 * configured. Every operation runs to completion before the next (one event loop), which
 * is what makes it exact under concurrency; `RedisBudgetStore` gets the same from Lua
 * and mirrors these rules line by line. Both run `budget-store.scenarios.ts`.
 *
 * Expired holds are purged when their level is next touched; records and past periods
 * are forgotten lazily as `now` moves on, so memory follows the traffic.
 */
export class MemoryBudgetStore implements BudgetStore {
  private readonly levels = new Map<string, LevelState>();
  private readonly records = new Map<string, RequestRecord>();
  private nextLevelSweep = 0;

  reserve(
    requestId: string,
    levels: readonly BudgetLevel[],
    amountMicroUsd: number,
    ttlMs: number,
    now: number,
  ): Promise<ReserveResult> {
    return new Promise((resolve) =>
      resolve(this.reserveNow(requestId, levels, amountMicroUsd, ttlMs, now)),
    );
  }

  settle(requestId: string, actualMicroUsd: number, now: number): Promise<FinishOutcome> {
    return new Promise((resolve) => {
      validateRequestId(requestId);
      validateMicroUsd('actualMicroUsd', actualMicroUsd);
      resolve(this.finish(requestId, 'settled', actualMicroUsd, now));
    });
  }

  release(requestId: string, now: number): Promise<FinishOutcome> {
    return new Promise((resolve) => {
      validateRequestId(requestId);
      resolve(this.finish(requestId, 'released', 0, now));
    });
  }

  usage(levels: readonly BudgetLevel[], now: number): Promise<BudgetUsage[]> {
    return new Promise((resolve) => {
      validateLevels(levels);
      resolve(
        levels.map((level) => {
          const window = periodWindow(level.period, now);
          const state = this.levels.get(levelKeyParts(level, window).join(':'));
          if (state) purge(state, now);
          const spent = state?.spent ?? 0;
          const reserved = state?.reserved ?? 0;
          return {
            level,
            periodStart: window.start,
            resetsAt: window.end,
            spentMicroUsd: spent,
            reservedMicroUsd: reserved,
            limitMicroUsd: level.limitMicroUsd,
            remainingMicroUsd: Math.max(0, level.limitMicroUsd - spent - reserved),
          };
        }),
      );
    });
  }

  private reserveNow(
    requestId: string,
    levels: readonly BudgetLevel[],
    amount: number,
    ttlMs: number,
    now: number,
  ): ReserveResult {
    validateReservation(requestId, levels, amount, ttlMs);
    this.sweep(now);
    const existing = this.liveRecord(requestId, now);
    if (existing) {
      if (existing.state === 'reserved' && existing.expiresAt > now) return { ok: true };
      throw reservationConflict();
    }

    const windows = levels.map((level) => periodWindow(level.period, now));
    const keys = levels.map((level, i) => levelKeyParts(level, windows[i]).join(':'));
    const states = keys.map((key) => this.levels.get(key));
    for (const [i, level] of levels.entries()) {
      const state = states[i];
      if (state) purge(state, now);
      const spent = state?.spent ?? 0;
      const reserved = state?.reserved ?? 0;
      if (spent + reserved + amount > level.limitMicroUsd) {
        return {
          ok: false,
          level,
          spentMicroUsd: spent,
          reservedMicroUsd: reserved,
          limitMicroUsd: level.limitMicroUsd,
          resetsAt: windows[i].end,
        };
      }
    }

    const expiresAt = now + ttlMs;
    for (const [i, key] of keys.entries()) {
      const state = states[i] ?? this.createLevel(key);
      state.reserved += amount;
      state.holds.set(requestId, { amount, expiresAt });
      state.nextExpiry = Math.min(state.nextExpiry, expiresAt);
      state.dropAt = Math.max(state.dropAt, windows[i].end + 2 * ttlMs);
    }
    this.records.set(requestId, {
      state: 'reserved',
      expiresAt,
      dropAt: now + 2 * ttlMs,
      ttlMs,
      levelKeys: keys,
    });
    return { ok: true };
  }

  private finish(
    requestId: string,
    to: 'settled' | 'released',
    actual: number,
    now: number,
  ): FinishOutcome {
    this.sweep(now);
    const record = this.liveRecord(requestId, now);
    if (!record) return 'unknown';
    if (record.state !== 'reserved') return 'already-finished';
    for (const key of record.levelKeys) {
      // A level forgotten by the sweep comes back for a late settle, as in Redis.
      const state = this.levels.get(key) ?? this.createLevel(key, now + record.ttlMs);
      const hold = state.holds.get(requestId);
      if (hold) {
        state.reserved -= hold.amount;
        state.holds.delete(requestId);
      }
      state.spent += actual;
    }
    record.state = to;
    record.dropAt = now + record.ttlMs;
    // Re-inserted so the Map stays (roughly) in drop order for the sweep.
    this.records.delete(requestId);
    this.records.set(requestId, record);
    return 'applied';
  }

  /** A record that still exists at `now` (its drop time is logical, as in Redis). */
  private liveRecord(requestId: string, now: number): RequestRecord | undefined {
    const record = this.records.get(requestId);
    return record && record.dropAt > now ? record : undefined;
  }

  private createLevel(key: string, dropAt = 0): LevelState {
    const state: LevelState = {
      spent: 0,
      reserved: 0,
      holds: new Map(),
      nextExpiry: Infinity,
      dropAt,
    };
    this.levels.set(key, state);
    return state;
  }

  /**
   * Forgets dropped records from the front of the Map (insertion order is close to drop
   * order; one long-lived record can delay the ones behind it, which `liveRecord` still
   * treats as gone) and, once a minute, periods past their drop time.
   */
  private sweep(now: number): void {
    for (const [id, record] of this.records) {
      if (record.dropAt > now) break;
      this.records.delete(id);
    }
    if (now < this.nextLevelSweep) return;
    this.nextLevelSweep = now + LEVEL_SWEEP_MS;
    for (const [key, state] of this.levels) {
      if (state.dropAt <= now) this.levels.delete(key);
    }
  }
}

/** Frees the holds that expired by `now` (a reservation counts while `now < expiresAt`). */
function purge(state: LevelState, now: number): void {
  if (now < state.nextExpiry) return;
  let next = Infinity;
  for (const [id, hold] of state.holds) {
    if (hold.expiresAt <= now) {
      state.reserved -= hold.amount;
      state.holds.delete(id);
    } else {
      next = Math.min(next, hold.expiresAt);
    }
  }
  state.nextExpiry = next;
}
