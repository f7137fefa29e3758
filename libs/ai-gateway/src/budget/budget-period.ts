import { GatewayError } from '../errors/gateway.error';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { BudgetLevel, BudgetPeriod } from './budget.types';

const DAY_MS = 86_400_000;

/** The period a moment falls in, with a short tag that tells period kinds apart in keys. */
export interface PeriodWindow {
  /** `d`, `m` or `w<windowMs>`. */
  tag: string;
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive: when the budget resets. */
  end: number;
}

/** The UTC day, UTC month or epoch-aligned window that contains `now`. */
export function periodWindow(period: BudgetPeriod, now: number): PeriodWindow {
  if (period === 'daily') {
    // Epoch time has no leap seconds: every UTC day is exactly DAY_MS long.
    const start = Math.floor(now / DAY_MS) * DAY_MS;
    return { tag: 'd', start, end: start + DAY_MS };
  }
  if (period === 'monthly') {
    const date = new Date(now);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    return { tag: 'm', start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
  }
  const start = Math.floor(now / period.windowMs) * period.windowMs;
  return { tag: `w${period.windowMs}`, start, end: start + period.windowMs };
}

/**
 * Key parts of a level's state in one period: `budget:<scope>:<id>:<tag>:<start>`. The
 * tag keeps a daily and a monthly budget of the same owner apart (both start at
 * midnight on the 1st). Ids may contain `:`: the scope comes first and the tag and the
 * start last, so two levels never share a key.
 */
export function levelKeyParts(level: BudgetLevel, window: PeriodWindow): string[] {
  return ['budget', level.scope, level.id, window.tag, String(window.start)];
}

/** Key parts of a request's record (its state and the level keys it holds). */
export function recordKeyParts(requestId: string): string[] {
  return ['budget', 'req', requestId];
}

const SCOPES: ReadonlySet<string> = new Set(['provider', 'key', 'user', 'team']);

/** Rejects what the stores cannot account exactly; a caller's bug, not a budget verdict. */
export function validateReservation(
  requestId: string,
  levels: readonly BudgetLevel[],
  amountMicroUsd: number,
  ttlMs: number,
): void {
  validateRequestId(requestId);
  validateMicroUsd('amountMicroUsd', amountMicroUsd);
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) invalid('ttlMs must be a positive integer');
  validateLevels(levels);
}

/** Checks levels and rejects the same level twice (it would be held twice). */
export function validateLevels(levels: readonly BudgetLevel[]): void {
  const seen = new Set<string>();
  for (const level of levels) {
    if (!SCOPES.has(level.scope)) invalid(`unknown budget scope "${String(level.scope)}"`);
    if (typeof level.id !== 'string' || level.id === '') invalid('budget level id is empty');
    validateMicroUsd('limitMicroUsd', level.limitMicroUsd);
    if (typeof level.period === 'object') {
      const { windowMs } = level.period;
      if (!Number.isSafeInteger(windowMs) || windowMs <= 0) {
        invalid('a budget window must be a positive integer of milliseconds');
      }
    } else if (level.period !== 'daily' && level.period !== 'monthly') {
      invalid(`unknown budget period "${String(level.period)}"`);
    }
    const identity = levelKeyParts(level, periodWindow(level.period, 0)).join(':');
    if (seen.has(identity)) invalid(`budget level ${level.scope} "${level.id}" given twice`);
    seen.add(identity);
  }
}

export function validateRequestId(requestId: string): void {
  if (typeof requestId !== 'string' || requestId === '') invalid('requestId is empty');
}

/** Money is integer micro-dollars within the exact range of a double (and of Lua's). */
export function validateMicroUsd(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    invalid(`${name} must be a non-negative integer of micro-dollars`);
  }
}

/** The error for reusing the id of a request that was settled or released. */
export function reservationConflict(): GatewayError {
  return new GatewayError(
    GatewayErrorCode.INTERNAL,
    'budget reservation id already used by a finished request',
  );
}

function invalid(message: string): never {
  throw new GatewayError(GatewayErrorCode.INTERNAL, `invalid budget reservation: ${message}`);
}
