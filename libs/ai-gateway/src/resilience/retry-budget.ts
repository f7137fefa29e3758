import type { RetryConfig } from '../config/gateway-config.schema';

/** The part of `ProviderConfig.retry` the budget reads. */
export type RetryBudgetPolicy = Pick<RetryConfig, 'budgetRatio' | 'minRetriesPerSecond'>;

export interface RetryBudgetOptions {
  /** The provider's current policy; read on every decision so a config reload applies. */
  policyOf?: (provider: string) => RetryBudgetPolicy | undefined;
  /** Epoch milliseconds; injected so tests move time by hand. */
  now?: () => number;
  /** Width of the sliding window, in whole seconds (default 10). */
  windowSeconds?: number;
}

/** Requests and retries counted in the current window. */
export interface RetryBudgetUsage {
  requests: number;
  retries: number;
}

const DEFAULT_POLICY: RetryBudgetPolicy = { budgetRatio: 0.2, minRetriesPerSecond: 5 };

/**
 * Caps retries per provider so that a failing provider is not hammered by a retry storm
 * (the way Finagle's `RetryBudget` and Envoy's retry budgets do). Over a sliding window
 * (10 s) a retry is allowed while
 *
 *     retries + 1 ≤ budgetRatio × requests + minRetriesPerSecond × windowSeconds
 *
 * where `requests` are first attempts (`onRequest`) and `retries` the retries granted.
 * The second term is Finagle's reserve: low-traffic callers can still retry a little.
 * State is a ring of one-second buckets per provider, so memory does not grow with
 * traffic. In-process only: each gateway instance spends its own budget.
 */
export class RetryBudget {
  private readonly windows = new Map<string, BucketRing>();
  private readonly now: () => number;
  private readonly windowSeconds: number;
  private readonly policyOf: (provider: string) => RetryBudgetPolicy | undefined;

  constructor(options: RetryBudgetOptions = {}) {
    this.now = options.now ?? Date.now;
    this.windowSeconds = Math.max(1, Math.floor(options.windowSeconds ?? 10));
    this.policyOf = options.policyOf ?? (() => undefined);
  }

  /** Counts a first attempt on `provider` (not a retry: those are counted when granted). */
  onRequest(provider: string): void {
    this.ring(provider).add(this.second(), 1, 0);
  }

  /**
   * Takes one retry from `provider`'s budget, or answers false when it is spent.
   * `policy` overrides the configured one (tests, per-request settings).
   */
  tryAcquireRetry(provider: string, policy?: RetryBudgetPolicy): boolean {
    const { budgetRatio, minRetriesPerSecond } =
      policy ?? this.policyOf(provider) ?? DEFAULT_POLICY;
    const second = this.second();
    const ring = this.ring(provider);
    const { requests, retries } = ring.sum(second);
    const allowance = budgetRatio * requests + minRetriesPerSecond * this.windowSeconds;
    if (retries + 1 > allowance) return false;
    ring.add(second, 0, 1);
    return true;
  }

  /** What the window holds now, for the status endpoint and metrics. */
  usage(provider: string): RetryBudgetUsage {
    return this.windows.get(provider)?.sum(this.second()) ?? { requests: 0, retries: 0 };
  }

  private second(): number {
    return Math.floor(this.now() / 1000);
  }

  private ring(provider: string): BucketRing {
    let ring = this.windows.get(provider);
    if (!ring) {
      ring = new BucketRing(this.windowSeconds);
      this.windows.set(provider, ring);
    }
    return ring;
  }
}

/** One counter pair per second of the window; a slot is reused once its second is past. */
class BucketRing {
  private readonly stamps: number[];
  private readonly requests: number[];
  private readonly retries: number[];

  constructor(private readonly size: number) {
    this.stamps = new Array<number>(size).fill(Number.NEGATIVE_INFINITY);
    this.requests = new Array<number>(size).fill(0);
    this.retries = new Array<number>(size).fill(0);
  }

  add(second: number, requests: number, retries: number): void {
    const slot = ((second % this.size) + this.size) % this.size;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.requests[slot] = 0;
      this.retries[slot] = 0;
    }
    this.requests[slot] += requests;
    this.retries[slot] += retries;
  }

  sum(second: number): RetryBudgetUsage {
    let requests = 0;
    let retries = 0;
    for (let slot = 0; slot < this.size; slot++) {
      const stamp = this.stamps[slot];
      // A clock that stepped back leaves "future" buckets: they still count, never negative.
      if (stamp > second - this.size) {
        requests += this.requests[slot];
        retries += this.retries[slot];
      }
    }
    return { requests, retries };
  }
}
