import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { GatewayConfigService } from '../config/gateway-config.service';
import { MAX_RATE_LIMIT } from '../config/rate-limit-config.schema';
import { isGatewayError } from '../errors/gateway.error';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { rateLimitHeaders } from './rate-limit-headers';
import { limitedMessage } from './rate-limit-messages';
import type { RateLimitSubject } from './rate-limit-scopes';
import { rateLimitSettingsOf, scopesFor } from './rate-limit-scopes';
import { RateLimitMetrics } from './rate-limit.metrics';
import type {
  RateLimitCost,
  RateLimitScope,
  RateLimitStore,
  RateLimitStoreResult,
} from './rate-limit.types';
import { InjectRateLimitStore } from './rate-limit.types';
import type { RateLimitDecision, RateLimiterSource, RateLimitTicket } from './rate-limiter.types';

/**
 * After a failed store call, acquires skip the store this long (fallback or 503) before
 * trying it again: an outage costs one slow call per second, not one per request.
 */
export const STORE_BACKOFF_MS = 1_000;

/**
 * Rate limiting for the request path: `acquire` before the provider call (every scope
 * that applies, all or nothing), `settle` with the actual tokens once known, `release`
 * when the request ends (always: it frees concurrency slots).
 *
 * The store (`RATE_LIMIT_STORE`: Redis when configured) makes the limits exact across
 * instances. When it fails (Redis down or slow), each scope's `failMode` decides: all
 * `open` → a local in-memory limiter at limit ÷ `rateLimits.expectedInstances` decides;
 * any `closed` → `unavailable` (503). The store is skipped for `STORE_BACKOFF_MS` after a
 * failure and tried again by the next acquire after that: recovery needs nothing.
 *
 * Never throws: store failures follow the policy above, a settle or release that fails
 * is logged (the slots' lease and the buckets' refill clean up), and arguments the
 * stores refuse (a bug) admit the request unlimited, or refuse it if a scope fails closed.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  /** The fallback limiter while the store is unreachable. */
  private readonly local = new MemoryRateLimitStore();
  private readonly instanceTag = randomBytes(6).toString('base64url');
  private sequence = 0;
  private skipStoreUntil = 0;
  private storeFailing = false;
  private readonly settled = new WeakSet<RateLimitTicket>();
  private readonly released = new WeakSet<RateLimitTicket>();

  constructor(
    private readonly config: GatewayConfigService,
    @InjectClock() private readonly clock: Clock,
    @InjectRateLimitStore() private readonly store: RateLimitStore,
    private readonly metrics: RateLimitMetrics,
  ) {}

  /** The scopes of a request under the current configuration (a reload applies at once). */
  scopesFor(subject: RateLimitSubject): RateLimitScope[] {
    return scopesFor(rateLimitSettingsOf(this.config.current), subject);
  }

  /**
   * Takes one request and `tokens` (the estimate: prompt plus `max_tokens`) from every
   * scope, or nothing. No scopes: admitted without any store call.
   */
  async acquire(
    requestId: string,
    scopes: readonly RateLimitScope[],
    tokens: number,
  ): Promise<RateLimitDecision> {
    const cost: RateLimitCost = { requests: 1, tokens: tokenCount(tokens) };
    if (scopes.length === 0) return this.unlimited(requestId, cost.tokens);
    const id = `${this.instanceTag}.${(++this.sequence).toString(36)}`;
    try {
      if (this.clock.now() >= this.skipStoreUntil) {
        const result = await this.tryStore(id, scopes, cost);
        if (result) return this.decide(result, 'store', id, requestId, scopes, cost);
      }
      return await this.fallback(id, requestId, scopes, cost);
    } catch (error) {
      this.logger.error({
        msg: 'rate limiter refused its arguments; request not limited',
        requestId,
        error: error instanceof Error ? error.message : String(error),
      });
      return scopes.some((scope) => scope.failMode === 'closed')
        ? unavailable()
        : this.unlimited(requestId, cost.tokens);
    }
  }

  /**
   * Corrects the token buckets to the actual usage: gives back what the estimate held
   * beyond it, or charges what it missed. Once per ticket; nothing to do when no scope
   * limits tokens or the estimate was exact.
   */
  async settle(ticket: RateLimitTicket, actualTokens: number): Promise<void> {
    if (ticket.source === 'none' || this.settled.has(ticket)) return;
    this.settled.add(ticket);
    const delta = tokenCount(actualTokens) - ticket.reservedTokens;
    if (delta === 0 || !ticket.scopes.some((scope) => scope.tokensPerMinute !== undefined)) return;
    await this.finish('settle', ticket, (store, now) =>
      store.adjust(ticket.id, ticket.scopes, delta, now),
    );
  }

  /** Frees the ticket's concurrency slots. Once per ticket; call it when the request ends. */
  async release(ticket: RateLimitTicket): Promise<void> {
    if (ticket.source === 'none' || this.released.has(ticket)) return;
    this.released.add(ticket);
    if (!ticket.scopes.some((scope) => scope.concurrentRequests !== undefined)) return;
    await this.finish('release', ticket, (store) => store.release(ticket.id, ticket.scopes));
  }

  /** The store's answer, or undefined when it failed (then the policy decides). */
  private async tryStore(
    id: string,
    scopes: readonly RateLimitScope[],
    cost: RateLimitCost,
  ): Promise<RateLimitStoreResult | undefined> {
    try {
      const result = await this.store.acquire(id, scopes, cost, this.clock.now());
      this.reachable();
      return result;
    } catch (error) {
      if (isGatewayError(error)) throw error;
      this.unreachable('acquire', error);
      // The script may have run although its reply was lost (a command timeout): free
      // the slots it may hold now rather than after the lease. Best effort, and quiet.
      if (scopes.some((scope) => scope.concurrentRequests !== undefined)) {
        this.store.release(id, scopes).catch(() => undefined);
      }
      return undefined;
    }
  }

  private async fallback(
    id: string,
    requestId: string,
    scopes: readonly RateLimitScope[],
    cost: RateLimitCost,
  ): Promise<RateLimitDecision> {
    if (scopes.some((scope) => scope.failMode === 'closed')) return unavailable();
    const instances = rateLimitSettingsOf(this.config.current).expectedInstances;
    const shares = scopes.map((scope) => shareOf(scope, instances));
    const result = await this.local.acquire(id, shares, cost, this.clock.now());
    return this.decide(result, 'fallback', id, requestId, shares, cost);
  }

  private decide(
    result: RateLimitStoreResult,
    source: RateLimiterSource,
    id: string,
    requestId: string,
    scopes: readonly RateLimitScope[],
    cost: RateLimitCost,
  ): RateLimitDecision {
    const headers = rateLimitHeaders(result.states);
    if (result.admitted) {
      this.metrics.recordAdmitted(scopes);
      const ticket = { id, requestId, scopes, reservedTokens: cost.tokens, source };
      return { admitted: true, unavailable: false, headers, ticket };
    }
    this.metrics.recordLimited(result.scope.kind);
    return {
      admitted: false,
      unavailable: false,
      scope: result.scope,
      dimension: result.dimension,
      retryAfterMs: result.retryAfterMs,
      tooLarge: result.tooLarge,
      message: limitedMessage(result, cost.tokens),
      headers,
      source,
    };
  }

  private unlimited(requestId: string, tokens: number): RateLimitDecision {
    const ticket = {
      id: '',
      requestId,
      scopes: [],
      reservedTokens: tokens,
      source: 'none' as const,
    };
    return { admitted: true, unavailable: false, headers: {}, ticket };
  }

  private async finish(
    operation: 'settle' | 'release',
    ticket: RateLimitTicket,
    call: (store: RateLimitStore, now: number) => Promise<unknown>,
  ): Promise<void> {
    const store = ticket.source === 'fallback' ? this.local : this.store;
    try {
      await call(store, this.clock.now());
      if (store === this.store) this.reachable();
    } catch (error) {
      if (store === this.store && !isGatewayError(error)) {
        this.unreachable(operation, error);
        return;
      }
      this.logger.error({
        msg: `rate limiter ${operation} failed`,
        requestId: ticket.requestId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private reachable(): void {
    if (!this.storeFailing) return;
    this.storeFailing = false;
    this.logger.log({ msg: 'rate-limit store reachable again' });
  }

  /** Counts every failure, backs off, and logs once per outage. */
  private unreachable(operation: string, error: unknown): void {
    this.metrics.recordRedisError();
    this.skipStoreUntil = this.clock.now() + STORE_BACKOFF_MS;
    if (this.storeFailing) return;
    this.storeFailing = true;
    this.logger.warn({
      msg: 'rate-limit store unavailable: scopes follow their fail mode',
      operation,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

function unavailable(): RateLimitDecision {
  return {
    admitted: false,
    unavailable: true,
    retryAfterMs: STORE_BACKOFF_MS,
    message: 'Rate limits cannot be checked right now; retry shortly.',
  };
}

/** A scope's share on one of `instances` gateway instances (at least 1 of each limit). */
function shareOf(scope: RateLimitScope, instances: number): RateLimitScope {
  if (instances <= 1) return scope;
  const share = (limit: number | undefined): number | undefined =>
    limit === undefined ? undefined : Math.max(1, Math.floor(limit / instances));
  const divided: RateLimitScope = { kind: scope.kind, id: scope.id, failMode: scope.failMode };
  const requests = share(scope.requestsPerMinute);
  const tokens = share(scope.tokensPerMinute);
  const concurrent = share(scope.concurrentRequests);
  if (requests !== undefined) divided.requestsPerMinute = requests;
  if (tokens !== undefined) divided.tokensPerMinute = tokens;
  if (concurrent !== undefined) divided.concurrentRequests = concurrent;
  return divided;
}

/** A token figure the stores accept: whole, at least 0, at most the largest limit. */
function tokenCount(tokens: number): number {
  if (!Number.isFinite(tokens) || tokens <= 0) return 0;
  return Math.min(Math.ceil(tokens), MAX_RATE_LIMIT);
}
