import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfigService } from '../../config/gateway-config.service';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { rateLimitSettingsOf, scopesFor } from '../../rate-limit/rate-limit-scopes';
import { RateLimiter } from '../../rate-limit/rate-limiter.service';
import type { Clock } from '../../shared/clock';
import { CLOCK } from '../../shared/clock';
import type { RateLimitDecision, RateLimitTicket } from '../../rate-limit/rate-limiter.types';
import type { RoutePlan } from '../../routing/route-planner.service';
import { TokenCounter } from '../../tokens/token-counter.service';
import type { ChatRequest, EmbeddingRequest } from '../../types/unified';
import type { RequestTokens } from './request-tokens';
import type { CallOptions } from '../../shared/call-result';
import { RefusedScopes } from './refused-scopes';
import type { Attributes } from '@opentelemetry/api';
import { traceEvent } from '../../observability/tracing/request-tracing';

/** What the gate says: go (with the hold and the headers), or try this model instead. */
export type RateLimitAdmission =
  | { kind: 'go'; ticket?: RateLimitTicket; headers?: Readonly<Record<string, string>> }
  | { kind: 'fallback'; model: string };

/**
 * Rate limits on the request path, after the route is planned and before any provider
 * is called: every scope that applies (key, user, team, model, IP, global) is taken in
 * one atomic step — one request, and the tokens estimated (prompt tokens counted +
 * max_tokens) when a tokens-per-minute limit applies. Over a limit: wait briefly when
 * the route allows and the limit refills in time, or move to the route's fallback
 * model, else 429 `rate_limit_exceeded` with Retry-After. With no limit configured for
 * a call nothing is counted (no Redis call).
 */
@Injectable()
export class RateLimitGate {
  /** Scopes known to be out of requests: their prompts are not counted again until refilled. */
  private readonly refused = new RefusedScopes();

  constructor(
    private readonly config: GatewayConfigService,
    private readonly limiter: RateLimiter,
    private readonly tokens: TokenCounter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    config.onChange(() => this.refused.clear());
  }

  async admit(
    body: ChatRequest | EmbeddingRequest,
    options: CallOptions,
    plan: RoutePlan,
    requestId: string,
    fallbackAllowed: boolean,
    /** The chat request's token worst case (absent for embeddings). */
    chatTokens?: RequestTokens,
  ): Promise<RateLimitAdmission> {
    // A middleware's own call (moderation, the judge) is part of a request already admitted:
    // counted again it would wait on its own request's concurrency slot.
    if (options.middleware === false) return { kind: 'go' };
    const caller = options.caller;
    const scopes = scopesFor(rateLimitSettingsOf(this.config.current), {
      keyId: caller?.keyId,
      keyLimits: caller?.keyLimits,
      userId: caller?.userId,
      teamId: caller?.teamId,
      model: body.model,
      ip: caller?.ip,
    });
    if (scopes.length === 0) return { kind: 'go' };
    const route = plan.route ? this.config.current.routes[plan.route] : undefined;
    // A caller flooding past its requests per minute is not counted again: its prompt's tokens
    // (the costly part of a refusal) are skipped while its request bucket is known to be empty.
    // The limiter still decides — with Redis down its fail-open share may admit the request,
    // whose tokens the settle then charges (routes that wait or spill over count as before).
    const shortcut = !route?.rateLimitWaitMs && !(fallbackAllowed && route?.rateLimitFallback);
    const knownEmpty = shortcut && this.refused.refusing(scopes, this.clock.now()) !== undefined;
    const tokens =
      !knownEmpty && scopes.some((s) => s.tokensPerMinute !== undefined)
        ? await this.estimate(body, plan, chatTokens)
        : 0;
    let decision = await this.limiter.acquire(requestId, scopes, tokens);
    // Waiting (when the route allows it): until the limit has refilled, within the budget.
    let waitLeftMs = route?.rateLimitWaitMs ?? 0;
    for (
      let pause = briefWaitOf(decision, waitLeftMs);
      pause !== undefined;
      pause = briefWaitOf(decision, waitLeftMs)
    ) {
      await sleep(pause);
      waitLeftMs -= pause;
      decision = await this.limiter.acquire(requestId, scopes, tokens);
    }
    traceEvent('gateway.rate_limit', decisionAttributes(decision, scopes.length, tokens));
    if (decision.admitted) {
      return { kind: 'go', ticket: decision.ticket, headers: { ...decision.headers } };
    }
    if (decision.unavailable) {
      throw new GatewayError(GatewayErrorCode.RATE_LIMIT_UNAVAILABLE, decision.message, {
        retryable: true,
        retryAfterMs: decision.retryAfterMs,
      });
    }
    if (shortcut) this.refused.remember(decision, this.clock.now());
    if (fallbackAllowed && route?.rateLimitFallback && route.rateLimitFallback !== body.model) {
      return { kind: 'fallback', model: route.rateLimitFallback };
    }
    throw new GatewayError(GatewayErrorCode.RATE_LIMIT_EXCEEDED, decision.message, {
      retryable: !decision.tooLarge,
      // A request larger than the limit itself cannot succeed by waiting.
      retryAfterMs: decision.tooLarge ? undefined : decision.retryAfterMs,
      headers: { ...decision.headers },
    });
  }

  /** Gives back what the request did not use (or charges what it used beyond the estimate). */
  settle(ticket: RateLimitTicket | undefined, actualTokens: number): void {
    if (!ticket) return;
    void this.limiter.settle(ticket, actualTokens);
    void this.limiter.release(ticket);
  }

  /** Worst case of the request in tokens on its first candidate: prompt + output (chat) or input. */
  private async estimate(
    body: ChatRequest | EmbeddingRequest,
    plan: RoutePlan,
    chatTokens: RequestTokens | undefined,
  ): Promise<number> {
    const first = plan.candidates[0];
    // Counted in slices that yield: a megabyte of prompt never stops the event loop.
    if (chatTokens) return (await chatTokens.promptAsync(first)) + chatTokens.maxOutput(first);
    const providers = this.config.current.providers;
    const kind = Object.hasOwn(providers, first.provider)
      ? providers[first.provider].kind
      : 'openai';
    return this.tokens.countEmbeddingInputAsync(body as EmbeddingRequest, kind, first.model);
  }
}

/** How long to pause before asking again, or undefined when waiting cannot help in time. */
function briefWaitOf(decision: RateLimitDecision, waitLeftMs: number): number | undefined {
  if (decision.admitted || decision.unavailable || decision.tooLarge) return undefined;
  return decision.retryAfterMs < waitLeftMs ? decision.retryAfterMs + 1 : undefined;
}

/** The decision as an event of the request's span (built only while it is traced). */
function decisionAttributes(
  decision: RateLimitDecision,
  scopes: number,
  tokens: number,
): () => Attributes {
  return () => {
    const attributes: Attributes = {
      'gateway.rate_limit.decision': decision.admitted
        ? 'admitted'
        : decision.unavailable
          ? 'unavailable'
          : 'limited',
      'gateway.rate_limit.scopes': scopes,
      'gateway.rate_limit.tokens': tokens,
    };
    if (!decision.admitted) attributes['gateway.rate_limit.retry_after_ms'] = decision.retryAfterMs;
    if (!decision.admitted && !decision.unavailable) {
      attributes['gateway.rate_limit.scope'] = decision.scope.kind;
      attributes['gateway.rate_limit.dimension'] = decision.dimension;
    }
    return attributes;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
