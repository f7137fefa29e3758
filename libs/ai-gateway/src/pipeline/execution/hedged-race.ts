import { Injectable } from '@nestjs/common';
import type { HedgeConfig } from '../../config/gateway-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { GatewayMetrics } from '../../observability/gateway-metrics.service';
import { traceEvent } from '../../observability/tracing/request-tracing';
import { fallbackReasonOf } from '../../resilience/retry-policy';
import { LatencyTracker } from '../../routing/latency-tracker.service';
import type { RouteTarget } from '../../routing/model-resolver.service';
import { AttemptRunner } from './attempt-runner';
import type { Execution, TryResult } from './execution.types';

/**
 * The hedged pair: starts `primary`; if it has not answered after the hedge delay, starts
 * `secondary` too and takes whichever answers first. The loser is aborted (its attempt
 * settles as cancelled) and both stay in the trace.
 */
@Injectable()
export class HedgedRace {
  constructor(
    private readonly attempts: AttemptRunner,
    private readonly latency: LatencyTracker,
    private readonly metrics: GatewayMetrics,
  ) {}

  async run<T>(
    run: Execution<T>,
    primary: RouteTarget,
    secondary: RouteTarget,
    hedge: HedgeConfig,
  ): Promise<TryResult<T>> {
    const delay =
      hedge.delayMs ??
      Math.max(
        hedge.minDelayMs,
        this.latency.p95Ttft(primary.provider, primary.model) ?? Number.POSITIVE_INFINITY,
      );
    const cancels: Array<((reason: GatewayError) => void) | undefined> = [];
    // A race decided before an attempt got going (keys and breakers are awaited first)
    // cancels that attempt as soon as it registers.
    const lost: Array<GatewayError | undefined> = [];
    const register =
      (i: number) =>
      (cancel: (reason: GatewayError) => void): void => {
        cancels[i] = cancel;
        const reason = lost[i];
        if (reason) cancel(reason);
      };
    const first = this.attempts.run(run, primary, 0, false, register(0));
    let timer: NodeJS.Timeout | undefined;
    const fired = new Promise<'hedge'>((resolve) => {
      if (Number.isFinite(delay)) timer = setTimeout(() => resolve('hedge'), delay);
    });
    const early = await Promise.race([first, fired]);
    if (timer) clearTimeout(timer);
    if (early !== 'hedge') {
      if (early.ok || early.skipped === undefined)
        return early.ok ? early : this.afterFailure(run, early, secondary);
      return this.attempts.run(run, secondary, 0);
    }
    this.metrics.hedges.inc({ provider: primary.provider });
    traceEvent('gateway.hedge', () => ({
      'gateway.hedge.primary': `${primary.provider}/${primary.model}`,
      'gateway.hedge.secondary': `${secondary.provider}/${secondary.model}`,
      'gateway.hedge.delay_ms': delay,
    }));
    const second = this.attempts.run(run, secondary, 0, true, register(1));
    const winner = await firstSuccess([first, second]);
    if (winner.ok) {
      const loser = winner.index === 0 ? second : first;
      const loserIndex = winner.index === 0 ? 1 : 0;
      lost[loserIndex] = new GatewayError(GatewayErrorCode.CANCELLED, 'Lost the hedge race');
      cancels[loserIndex]?.(lost[loserIndex]);
      // The trace must not say "pending" for the loser once the answer is out.
      for (const attempt of run.meta.attempts) {
        if (attempt.outcome === 'pending') attempt.outcome = GatewayErrorCode.CANCELLED;
      }
      void loser.then((result) => {
        if (result.ok) {
          run.discard?.(result.won.value);
          run.release?.(result.won.hold);
          result.won.settle(new GatewayError(GatewayErrorCode.CANCELLED, 'Lost the hedge race'));
        }
      });
      return winner.result;
    }
    return winner.result;
  }

  /** The primary failed before the hedge delay: the secondary, when the failure allows fallback. */
  private async afterFailure<T>(
    run: Execution<T>,
    failed: TryResult<T> & { ok: false },
    secondary: RouteTarget,
  ): Promise<TryResult<T>> {
    const reason = fallbackReasonOf(failed.error.code);
    if (reason === undefined || !run.plan.fallbackOn.includes(reason)) return failed;
    this.metrics.fallbacks.inc({
      provider: failed.error.provider ?? 'unknown',
      reason: failed.error.code,
    });
    return this.attempts.run(run, secondary, 0);
  }
}

/** The first successful result of several, or the last failure when all fail. */
async function firstSuccess<T>(
  tries: Array<Promise<TryResult<T>>>,
): Promise<{ ok: boolean; index: number; result: TryResult<T> }> {
  return new Promise((resolve) => {
    let pending = tries.length;
    let last: { ok: boolean; index: number; result: TryResult<T> } | undefined;
    tries.forEach((promise, index) => {
      void promise.then((result) => {
        if (result.ok) resolve({ ok: true, index, result });
        else {
          last = { ok: false, index, result };
          if (--pending === 0) resolve(last);
        }
      });
    });
  });
}
