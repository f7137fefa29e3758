import type { RedisConnection } from '../redis/redis-connection.service';
import {
  levelKeyParts,
  periodWindow,
  recordKeyParts,
  reservationConflict,
  validateLevels,
  validateMicroUsd,
  validateRequestId,
  validateReservation,
} from './budget-period';
import { BUDGET_RELEASE, BUDGET_RESERVE, BUDGET_SETTLE, BUDGET_USAGE } from './budget.lua';
import type {
  BudgetLevel,
  BudgetStore,
  BudgetUsage,
  FinishOutcome,
  ReserveResult,
} from './budget.types';

const FINISH_OUTCOMES: Record<number, FinishOutcome> = {
  0: 'unknown',
  1: 'applied',
  2: 'already-finished',
};

/**
 * Budgets shared by every gateway instance on one Redis: each operation is one Lua
 * script (see `budget.lua.ts` for the keys), with the rules of `MemoryBudgetStore`.
 * Level keys expire a little after their period ends (the end plus two reservation
 * TTLs, room for a late settle); request records after two TTLs.
 *
 * Redis down or slow: every method rejects fast (`RedisConnection` has no offline queue
 * and a short command timeout); `BudgetService` decides whether to fail closed or open.
 */
export class RedisBudgetStore implements BudgetStore {
  constructor(private readonly redis: RedisConnection) {}

  async reserve(
    requestId: string,
    levels: readonly BudgetLevel[],
    amountMicroUsd: number,
    ttlMs: number,
    now: number,
  ): Promise<ReserveResult> {
    validateReservation(requestId, levels, amountMicroUsd, ttlMs);
    const windows = levels.map((level) => periodWindow(level.period, now));
    const keys = [this.redis.key(...recordKeyParts(requestId))];
    const args: Array<string | number> = [
      requestId,
      now,
      String(amountMicroUsd),
      now + ttlMs,
      now + 2 * ttlMs,
      ttlMs,
      2 * ttlMs,
    ];
    for (const [i, level] of levels.entries()) {
      const key = this.redis.key(...levelKeyParts(level, windows[i]));
      keys.push(key, `${key}:res`);
      args.push(String(level.limitMicroUsd), windows[i].end - now + 2 * ttlMs);
    }
    const reply = rowOf(await this.redis.run(BUDGET_RESERVE, keys, args));
    const status = num(reply[0]);
    if (status === 1) return { ok: true };
    if (status === -1) throw reservationConflict();
    const index = num(reply[1]) - 1;
    const level = levels[index];
    if (status !== 0 || level === undefined) throw new Error('unexpected budget reserve reply');
    return {
      ok: false,
      level,
      spentMicroUsd: num(reply[2]),
      reservedMicroUsd: num(reply[3]),
      limitMicroUsd: level.limitMicroUsd,
      resetsAt: windows[index].end,
    };
  }

  async settle(requestId: string, actualMicroUsd: number, now: number): Promise<FinishOutcome> {
    validateRequestId(requestId);
    validateMicroUsd('actualMicroUsd', actualMicroUsd);
    return outcomeOf(
      await this.redis.run(
        BUDGET_SETTLE,
        [this.redis.key(...recordKeyParts(requestId))],
        [requestId, now, String(actualMicroUsd)],
      ),
    );
  }

  async release(requestId: string, now: number): Promise<FinishOutcome> {
    validateRequestId(requestId);
    return outcomeOf(
      await this.redis.run(
        BUDGET_RELEASE,
        [this.redis.key(...recordKeyParts(requestId))],
        [requestId, now],
      ),
    );
  }

  async usage(levels: readonly BudgetLevel[], now: number): Promise<BudgetUsage[]> {
    validateLevels(levels);
    if (levels.length === 0) return [];
    const windows = levels.map((level) => periodWindow(level.period, now));
    const keys = levels.flatMap((level, i) => {
      const key = this.redis.key(...levelKeyParts(level, windows[i]));
      return [key, `${key}:res`];
    });
    const rows = rowOf(await this.redis.run(BUDGET_USAGE, keys, [now]));
    return levels.map((level, i) => {
      const [spent, reserved] = rowOf(rows[i]).map(num);
      return {
        level,
        periodStart: windows[i].start,
        resetsAt: windows[i].end,
        spentMicroUsd: spent,
        reservedMicroUsd: reserved,
        limitMicroUsd: level.limitMicroUsd,
        remainingMicroUsd: Math.max(0, level.limitMicroUsd - spent - reserved),
      };
    });
  }
}

function outcomeOf(reply: unknown): FinishOutcome {
  const outcome = FINISH_OUTCOMES[num(reply)];
  if (!outcome) throw new Error('unexpected budget finish reply');
  return outcome;
}

function rowOf(reply: unknown): unknown[] {
  if (!Array.isArray(reply)) throw new Error('unexpected budget script reply');
  return reply as unknown[];
}

/** Reads an integer reply or a decimal string field. */
function num(value: unknown): number {
  const parsed = typeof value === 'string' ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isFinite(parsed)) {
    throw new Error('unexpected budget number');
  }
  return parsed;
}
