import { Injectable, Logger } from '@nestjs/common';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { GatewayMetrics } from '../../observability/gateway-metrics.service';
import { GenAi } from '../../observability/tracing/gen-ai.attributes';
import { traceEvent } from '../../observability/tracing/request-tracing';
import type { RouteTarget } from '../../routing/model-resolver.service';
import { ProviderRegistry } from '../../providers/provider-registry.service';
import { isKeyFailure } from '../../resilience/request-fault';
import { RetryBudget } from '../../resilience/retry-budget';
import { decideAfterFailure, fallbackReasonOf } from '../../resilience/retry-policy';
import { AttemptRunner } from './attempt-runner';
import type { Execution, Won } from './execution.types';
import { HedgedRace } from './hedged-race';

const DEFAULT_RETRY = { baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

/**
 * Walks a route's candidates: retries with backoff where the policy says so, falls
 * back on the failure kinds the route allows, skips open circuits and resting keys,
 * hedges when asked, and stops at the request's deadline. Every try lands in
 * `meta.attempts`, which is the decision trace callers see.
 */
@Injectable()
export class FallbackExecutor {
  private readonly logger = new Logger(FallbackExecutor.name);

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly attempts: AttemptRunner,
    private readonly hedged: HedgedRace,
    private readonly budget: RetryBudget,
    private readonly metrics: GatewayMetrics,
  ) {}

  async execute<T>(run: Execution<T>): Promise<Won<T>> {
    const { candidates } = run.plan;
    let lastError: GatewayError | undefined;
    for (let index = 0; index < candidates.length; index++) {
      const target = candidates[index];
      const next = candidates[index + 1];
      if (run.plan.hedge.enabled && next && !lastError) {
        const hedged = await this.hedged.run(run, target, next, run.plan.hedge);
        if (hedged.ok) return hedged.won;
        lastError = hedged.error;
        index++; // both candidates were used
        if (!this.mayContinue(hedged.error, run)) throw hedged.error;
        continue;
      }
      let rotations = 0;
      for (let retries = 0; ; retries++) {
        if (run.deadline.expired) throw lastError ?? run.deadline.reason;
        const result = await this.attempts.run(run, target, retries);
        if (result.ok) return result.won;
        lastError = result.error;
        if (result.skipped) break;
        const provider = this.registry.get(target.provider)?.config;
        // A key the provider refused (401/403) or throttled (429) now rests; the next key
        // takes over at once, so the caller never sees a single key's failure.
        if (provider && isKeyFailure(result.error) && rotations < provider.apiKeys.length - 1) {
          rotations++;
          retries--;
          this.metrics.keyRotations.inc({ provider: target.provider, reason: result.error.code });
          continue;
        }
        const decision = decideAfterFailure(result.error, {
          attempt: retries,
          maxRetries: provider?.maxRetries ?? 0,
          hasNextCandidate: index + 1 < candidates.length,
          fallbackOn: run.plan.fallbackOn,
          retryBeforeFallback: run.plan.retryBeforeFallback,
          // A retry after the request's own timer fired would fail the same way and spend
          // the provider's shared retry budget: the request moves on or fails instead.
          retryAllowedByBudget: () =>
            !result.requestsOwn && this.budget.tryAcquireRetry(target.provider),
          remainingDeadlineMs: run.deadline.remainingMs,
          retry: provider?.retry ?? DEFAULT_RETRY,
          random: Math.random,
        });
        if (decision.action === 'retry') {
          this.metrics.retries.inc({ provider: target.provider, reason: result.error.code });
          await run.deadline.sleep(decision.delayMs);
          continue;
        }
        if (decision.action === 'fail') throw result.error;
        this.metrics.fallbacks.inc({ provider: target.provider, reason: result.error.code });
        this.noteFallback(target, candidates[index + 1], result.error);
        break;
      }
    }
    throw (
      lastError ??
      new GatewayError(GatewayErrorCode.NO_PROVIDER_AVAILABLE, 'No provider could take the request')
    );
  }

  /** A fallback in the log (the request's id comes from its scope) and on its span. */
  private noteFallback(from: RouteTarget, to: RouteTarget | undefined, error: GatewayError): void {
    this.logger.log({
      msg: 'falling back',
      from: `${from.provider}/${from.model}`,
      to: to && `${to.provider}/${to.model}`,
      reason: error.code,
    });
    traceEvent('gateway.fallback', () => ({
      'gateway.fallback.from': `${from.provider}/${from.model}`,
      'gateway.fallback.to': to ? `${to.provider}/${to.model}` : '',
      [GenAi.ERROR_TYPE]: error.code,
    }));
  }

  /** After a hedged pair failed, later candidates are tried only for fallback-able failures. */
  private mayContinue(error: GatewayError, run: Execution<unknown>): boolean {
    const reason = fallbackReasonOf(error.code);
    return (
      error.code === GatewayErrorCode.NO_PROVIDER_AVAILABLE ||
      (reason !== undefined && run.plan.fallbackOn.includes(reason))
    );
  }
}
