import { Inject } from '@nestjs/common';

/** Who a budget belongs to. */
export type BudgetScope = 'provider' | 'key' | 'user' | 'team';

/**
 * When a budget starts over. Boundaries are UTC: `daily` at midnight, `monthly` on the
 * 1st at midnight; `{ windowMs }` is a fixed window aligned to the epoch (a window of
 * 3,600,000 restarts on every full UTC hour).
 */
export type BudgetPeriod = 'daily' | 'monthly' | { windowMs: number };

/** One cap that applies to a request: at most `limitMicroUsd` per period. */
export interface BudgetLevel {
  scope: BudgetScope;
  id: string;
  /** The cap, in integer micro-dollars (1 USD = 1,000,000). */
  limitMicroUsd: number;
  period: BudgetPeriod;
}

/** A refused reservation: the first level (in the order given) that had no room. */
export interface BudgetDenial {
  ok: false;
  level: BudgetLevel;
  /** Settled spending of the level's current period. */
  spentMicroUsd: number;
  /** Held by live reservations of other requests. */
  reservedMicroUsd: number;
  limitMicroUsd: number;
  /** Epoch ms when the level's period ends (its spending starts again from 0). */
  resetsAt: number;
}

export type ReserveResult = { ok: true } | BudgetDenial;

/**
 * What `settle` or `release` did: `applied` the first time; `already-finished` for a
 * request settled or released before (nothing changes); `unknown` for an id never
 * reserved here, or whose record is gone (see `BudgetStore`).
 */
export type FinishOutcome = 'applied' | 'already-finished' | 'unknown';

/** One level's figures in its current period. */
export interface BudgetUsage {
  level: BudgetLevel;
  /** Epoch ms of the period's start and end. */
  periodStart: number;
  resetsAt: number;
  spentMicroUsd: number;
  /** Live (unexpired) reservations. */
  reservedMicroUsd: number;
  limitMicroUsd: number;
  /** `limit - spent - reserved`, never below 0. */
  remainingMicroUsd: number;
}

/**
 * Where budget state lives: in memory (one instance) or in Redis (shared by every
 * gateway instance, each operation one Lua script). `now` is passed in, never read from
 * the store's own clock, so every instance and every test decides on the same time.
 *
 * A reservation holds the worst-case cost on every level of the request at once, or on
 * none. It stops counting `ttlMs` after it was made, so a crashed holder cannot lock a
 * budget; the request's record is kept for another `ttlMs`, during which a late
 * `settle` still charges the actual cost (then `unknown`: the spending is not counted).
 * A request's cost goes to the periods current when it was reserved.
 *
 * Stores throw `GatewayError(INTERNAL)` for invalid arguments and for reusing the id of
 * a finished request; any other rejection means the store itself failed (Redis down or
 * slow) and the caller applies its failure policy.
 */
export interface BudgetStore {
  /**
   * Holds `amountMicroUsd` on every level, if each has room (`spent + reserved +
   * amount <= limit`); otherwise changes nothing. Reserving a live id again is an
   * idempotent replay (`{ ok: true }`, nothing added).
   */
  reserve(
    requestId: string,
    levels: readonly BudgetLevel[],
    amountMicroUsd: number,
    ttlMs: number,
    now: number,
  ): Promise<ReserveResult>;

  /** Charges the actual cost to every level of the reservation and frees the hold. */
  settle(requestId: string, actualMicroUsd: number, now: number): Promise<FinishOutcome>;

  /** Frees the hold without charging anything (the call failed or never happened). */
  release(requestId: string, now: number): Promise<FinishOutcome>;

  /** Spent and reserved per level, in the order given. */
  usage(levels: readonly BudgetLevel[], now: number): Promise<BudgetUsage[]>;
}

/** Injection token of the {@link BudgetStore}. */
export const BUDGET_STORE = Symbol('BUDGET_STORE');

/** Injects the {@link BudgetStore}: `constructor(@InjectBudgetStore() store: BudgetStore)`. */
export const InjectBudgetStore = (): ParameterDecorator => Inject(BUDGET_STORE);
