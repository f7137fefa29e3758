import { Inject, Injectable, Optional } from '@nestjs/common';

/** One finished attempt, as the executor saw it. */
export interface LatencySample {
  /** Elapsed time of the attempt, failures included (a provider that fails slowly is slow). */
  latencyMs: number;
  /** Time to the first token (streams) when one arrived. */
  ttftMs?: number;
  ok: boolean;
}

/** What the tracker believes about one provider+model; absent fields were never measured. */
export interface LatencyEstimate {
  latencyMs?: number;
  ttftMs?: number;
  /** Samples recorded (successes and failures). */
  samples: number;
}

export interface LatencyTrackerOptions {
  /** Weight of the newest sample in the moving average, in (0, 1]. Default 0.2. */
  alpha?: number;
  /** Recent TTFT samples kept per provider+model for the p95. Default 200. */
  windowSize?: number;
  /** Provider+model pairs kept; the least recently recorded goes first. Default 1,000. */
  maxPairs?: number;
}

/** Optional provider token for `LatencyTrackerOptions`. */
export const LATENCY_TRACKER_OPTIONS = Symbol('LATENCY_TRACKER_OPTIONS');

interface PairStats {
  latencyMs?: number;
  ttftMs?: number;
  samples: number;
  /** Ring buffer of the last `windowSize` TTFT samples. */
  ring: Float64Array;
  ringCount: number;
  ringNext: number;
  /** p95 of the ring, computed on read and kept until the next TTFT sample. */
  p95?: number;
}

/**
 * Measured latency per provider+model: an exponentially weighted moving average of the
 * total latency and of the time to first token, plus the p95 TTFT over a bounded window
 * (the hedging delay). The average is per sample, not per unit of time, so an idle
 * provider keeps its last estimate instead of decaying towards nothing.
 *
 * In-process only: each gateway instance measures what it saw itself, which is what its
 * own routing decisions need. Memory is bounded by `maxPairs` × (`windowSize` × 8 bytes),
 * since callers may name arbitrary models of providers without a `models` list.
 */
@Injectable()
export class LatencyTracker {
  private readonly alpha: number;
  private readonly windowSize: number;
  private readonly maxPairs: number;
  /** Insertion order is recency order: `record` moves a pair to the end. */
  private readonly pairs = new Map<string, PairStats>();

  constructor(@Optional() @Inject(LATENCY_TRACKER_OPTIONS) options: LatencyTrackerOptions = {}) {
    this.alpha = options.alpha ?? 0.2;
    this.windowSize = Math.max(1, Math.floor(options.windowSize ?? 200));
    this.maxPairs = Math.max(1, Math.floor(options.maxPairs ?? 1_000));
    if (!(this.alpha > 0 && this.alpha <= 1)) {
      throw new RangeError(`LatencyTracker alpha must be in (0, 1], got ${this.alpha}`);
    }
  }

  /** Adds one attempt's timings. Non-finite or negative values are ignored, never averaged. */
  record(provider: string, model: string, sample: LatencySample): void {
    const key = pairKey(provider, model);
    let stats = this.pairs.get(key);
    if (stats) {
      this.pairs.delete(key);
    } else {
      stats = { samples: 0, ring: new Float64Array(this.windowSize), ringCount: 0, ringNext: 0 };
      if (this.pairs.size >= this.maxPairs) {
        const oldest = this.pairs.keys().next();
        if (!oldest.done) this.pairs.delete(oldest.value);
      }
    }
    this.pairs.set(key, stats);

    stats.samples += 1;
    if (isDuration(sample.latencyMs)) {
      stats.latencyMs = this.blend(stats.latencyMs, sample.latencyMs);
    }
    if (sample.ttftMs !== undefined && isDuration(sample.ttftMs)) {
      stats.ttftMs = this.blend(stats.ttftMs, sample.ttftMs);
      stats.ring[stats.ringNext] = sample.ttftMs;
      stats.ringNext = (stats.ringNext + 1) % this.windowSize;
      stats.ringCount = Math.min(stats.ringCount + 1, this.windowSize);
      stats.p95 = undefined;
    }
  }

  /** Every measured model of a provider, for the status report. */
  forProvider(provider: string): Array<LatencyEstimate & { model: string }> {
    const prefix = pairKey(provider, '');
    const out: Array<LatencyEstimate & { model: string }> = [];
    for (const [key, stats] of this.pairs) {
      if (!key.startsWith(prefix)) continue;
      out.push({
        model: key.slice(prefix.length),
        latencyMs: stats.latencyMs,
        ttftMs: stats.ttftMs,
        samples: stats.samples,
      });
    }
    return out;
  }

  /** Current moving averages; `samples: 0` and no values for a pair never recorded. */
  ewma(provider: string, model: string): LatencyEstimate {
    const stats = this.pairs.get(pairKey(provider, model));
    if (!stats) return { samples: 0 };
    return { latencyMs: stats.latencyMs, ttftMs: stats.ttftMs, samples: stats.samples };
  }

  /**
   * 95th percentile (nearest rank) of the recent TTFT samples, or undefined with none.
   * Sorted on read and cached until the next sample, so recording stays O(1).
   */
  p95Ttft(provider: string, model: string): number | undefined {
    const stats = this.pairs.get(pairKey(provider, model));
    if (!stats || stats.ringCount === 0) return undefined;
    if (stats.p95 === undefined) {
      const sorted = stats.ring.slice(0, stats.ringCount).sort();
      stats.p95 = sorted[Math.ceil(0.95 * stats.ringCount) - 1];
    }
    return stats.p95;
  }

  private blend(previous: number | undefined, value: number): number {
    return previous === undefined ? value : previous + this.alpha * (value - previous);
  }
}

/** NUL cannot appear in a config name or a model id, so the key is unambiguous. */
function pairKey(provider: string, model: string): string {
  return `${provider}\u0000${model}`;
}

function isDuration(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}
