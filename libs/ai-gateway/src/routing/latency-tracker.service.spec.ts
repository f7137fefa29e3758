import { Test } from '@nestjs/testing';
import { LATENCY_TRACKER_OPTIONS, LatencyTracker } from './latency-tracker.service';

describe(LatencyTracker.name, () => {
  it('starts a pair at its first sample, then moves 20% towards each new one', () => {
    const tracker = new LatencyTracker();
    tracker.record('openai', 'gpt-4o', { latencyMs: 100, ok: true });
    expect(tracker.ewma('openai', 'gpt-4o')).toEqual({ latencyMs: 100, samples: 1 });

    tracker.record('openai', 'gpt-4o', { latencyMs: 200, ok: true });
    tracker.record('openai', 'gpt-4o', { latencyMs: 50, ok: true });
    // 100 → 100 + 0.2 × 100 = 120 → 120 + 0.2 × (50 − 120) = 106
    expect(tracker.ewma('openai', 'gpt-4o').latencyMs).toBeCloseTo(106, 10);
    expect(tracker.ewma('openai', 'gpt-4o').samples).toBe(3);
  });

  it('averages time to first token separately, only over samples that have one', () => {
    const tracker = new LatencyTracker();
    tracker.record('a', 'm', { latencyMs: 900, ttftMs: 40, ok: true });
    tracker.record('a', 'm', { latencyMs: 300, ok: false });
    tracker.record('a', 'm', { latencyMs: 600, ttftMs: 60, ok: true });
    const estimate = tracker.ewma('a', 'm');
    expect(estimate.ttftMs).toBeCloseTo(44, 10); // 40 + 0.2 × 20
    // 900 → 780 → 744
    expect(estimate.latencyMs).toBeCloseTo(744, 10);
    expect(estimate.samples).toBe(3);
  });

  it('counts a slow failure in the latency with its elapsed time', () => {
    const tracker = new LatencyTracker();
    tracker.record('a', 'm', { latencyMs: 100, ok: true });
    tracker.record('a', 'm', { latencyMs: 1_000, ok: false });
    expect(tracker.ewma('a', 'm').latencyMs).toBeCloseTo(280, 10);
  });

  it('uses the alpha it was built with', () => {
    const tracker = new LatencyTracker({ alpha: 0.5 });
    tracker.record('a', 'm', { latencyMs: 100, ok: true });
    tracker.record('a', 'm', { latencyMs: 300, ok: true });
    expect(tracker.ewma('a', 'm').latencyMs).toBe(200);
  });

  it.each([0, -0.1, 1.5, Number.NaN])('refuses alpha %p', (alpha) => {
    expect(() => new LatencyTracker({ alpha })).toThrow(RangeError);
  });

  it('ignores negative and non-finite durations instead of poisoning the average', () => {
    const tracker = new LatencyTracker();
    tracker.record('a', 'm', { latencyMs: 100, ttftMs: 10, ok: true });
    tracker.record('a', 'm', { latencyMs: Number.NaN, ttftMs: -5, ok: true });
    tracker.record('a', 'm', { latencyMs: Number.POSITIVE_INFINITY, ok: false });
    expect(tracker.ewma('a', 'm')).toEqual({ latencyMs: 100, ttftMs: 10, samples: 3 });
    expect(tracker.p95Ttft('a', 'm')).toBe(10);
  });

  it('knows nothing about a pair never recorded', () => {
    const tracker = new LatencyTracker();
    expect(tracker.ewma('a', 'm')).toEqual({ samples: 0 });
    expect(tracker.p95Ttft('a', 'm')).toBeUndefined();
    tracker.record('a', 'm', { latencyMs: 5, ok: false });
    expect(tracker.p95Ttft('a', 'm')).toBeUndefined();
  });

  it('keeps pairs apart even when names contain slashes', () => {
    const tracker = new LatencyTracker();
    tracker.record('a', 'b/c', { latencyMs: 10, ok: true });
    tracker.record('a/b', 'c', { latencyMs: 90, ok: true });
    expect(tracker.ewma('a', 'b/c').latencyMs).toBe(10);
    expect(tracker.ewma('a/b', 'c').latencyMs).toBe(90);
  });

  it('gives the nearest-rank p95 of the TTFT samples, in any recording order', () => {
    const tracker = new LatencyTracker();
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    for (let i = 0; i < values.length; i += 1) {
      // 1..100 shuffled deterministically (37 is coprime with 100)
      tracker.record('a', 'm', { latencyMs: 1, ttftMs: values[(i * 37) % 100], ok: true });
    }
    expect(tracker.p95Ttft('a', 'm')).toBe(95);

    const small = new LatencyTracker();
    for (const ttftMs of [300, 100, 200, 400])
      small.record('a', 'm', { latencyMs: 1, ttftMs, ok: true });
    expect(small.p95Ttft('a', 'm')).toBe(400); // rank ⌈0.95 × 4⌉ = 4
  });

  it('keeps only the last windowSize TTFT samples for the p95', () => {
    const tracker = new LatencyTracker({ windowSize: 10 });
    for (let i = 0; i < 10; i += 1)
      tracker.record('a', 'm', { latencyMs: 1, ttftMs: 5_000, ok: true });
    for (let i = 1; i <= 10; i += 1)
      tracker.record('a', 'm', { latencyMs: 1, ttftMs: i * 10, ok: true });
    expect(tracker.p95Ttft('a', 'm')).toBe(100); // the 5,000s have left the ring
  });

  it('recomputes the p95 after a new sample, not before', () => {
    const tracker = new LatencyTracker();
    tracker.record('a', 'm', { latencyMs: 1, ttftMs: 10, ok: true });
    expect(tracker.p95Ttft('a', 'm')).toBe(10);
    expect(tracker.p95Ttft('a', 'm')).toBe(10);
    tracker.record('a', 'm', { latencyMs: 1, ttftMs: 30, ok: true });
    expect(tracker.p95Ttft('a', 'm')).toBe(30);
  });

  it('forgets the least recently recorded pair beyond maxPairs', () => {
    const tracker = new LatencyTracker({ maxPairs: 2 });
    tracker.record('a', 'm', { latencyMs: 1, ok: true });
    tracker.record('b', 'm', { latencyMs: 2, ok: true });
    tracker.record('a', 'm', { latencyMs: 1, ok: true });
    tracker.record('c', 'm', { latencyMs: 3, ok: true });
    expect(tracker.ewma('a', 'm').samples).toBe(2);
    expect(tracker.ewma('b', 'm')).toEqual({ samples: 0 });
    expect(tracker.ewma('c', 'm').latencyMs).toBe(3);
  });

  it('is injectable with and without options', async () => {
    const plain = await Test.createTestingModule({ providers: [LatencyTracker] }).compile();
    const tuned = await Test.createTestingModule({
      providers: [LatencyTracker, { provide: LATENCY_TRACKER_OPTIONS, useValue: { alpha: 0.5 } }],
    }).compile();
    for (const [module, expected] of [
      [plain, 120],
      [tuned, 150],
    ] as const) {
      const tracker = module.get(LatencyTracker);
      tracker.record('a', 'm', { latencyMs: 100, ok: true });
      tracker.record('a', 'm', { latencyMs: 200, ok: true });
      expect(tracker.ewma('a', 'm').latencyMs).toBeCloseTo(expected, 10);
    }
  });
});
