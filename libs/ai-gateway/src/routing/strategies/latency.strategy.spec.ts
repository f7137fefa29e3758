import { LatencyTracker } from '../latency-tracker.service';
import { LATENCY_EXPLORE_RATE, latencyStrategy } from './latency.strategy';
import { candidate, draws, providersOf, strategyContext } from './strategy.fixtures';

describe(latencyStrategy.name, () => {
  const list = [candidate('a', 0), candidate('b', 1), candidate('c', 2), candidate('d', 3)];
  let tracker: LatencyTracker;

  beforeEach(() => {
    tracker = new LatencyTracker();
    tracker.record('a', 'm', { latencyMs: 300, ttftMs: 20, ok: true });
    tracker.record('b', 'm', { latencyMs: 100, ttftMs: 90, ok: true });
    tracker.record('d', 'm', { latencyMs: 200, ok: false }); // only failed: no TTFT
  });

  it('puts unmeasured candidates first, then the lowest latency EWMA', () => {
    const ctx = strategyContext({ latency: tracker, random: draws() });
    expect(providersOf(latencyStrategy(list, ctx))).toEqual(['c', 'b', 'd', 'a']);
  });

  it('ranks streams by time to first token, falling back to latency without one', () => {
    const ctx = strategyContext({ latency: tracker, stream: true, random: draws() });
    // a: ttft 20, b: ttft 90, d: latency 200
    expect(providersOf(latencyStrategy(list, ctx))).toEqual(['c', 'a', 'b', 'd']);
  });

  it('exploits the fastest when the draw is at or above the explore rate', () => {
    const measured = [list[0], list[1], list[3]];
    const ctx = strategyContext({ latency: tracker, random: draws(LATENCY_EXPLORE_RATE) });
    expect(providersOf(latencyStrategy(measured, ctx))).toEqual(['b', 'd', 'a']);
    expect(LATENCY_EXPLORE_RATE).toBe(0.05);
  });

  it('explores a uniformly chosen slower candidate first below the explore rate', () => {
    const measured = [list[0], list[1], list[3]];
    // ranked b, d, a; second draw 0.6 → 1 + ⌊0.6 × 2⌋ = position 2 → a
    let ctx = strategyContext({ latency: tracker, random: draws(0.01, 0.6) });
    expect(providersOf(latencyStrategy(measured, ctx))).toEqual(['a', 'b', 'd']);
    // second draw 0.2 → position 1 → d
    ctx = strategyContext({ latency: tracker, random: draws(0.01, 0.2) });
    expect(providersOf(latencyStrategy(measured, ctx))).toEqual(['d', 'b', 'a']);
  });

  it('keeps resolved order on equal estimates and never mutates its input', () => {
    const even = new LatencyTracker();
    even.record('x', 'm', { latencyMs: 50, ok: true });
    even.record('y', 'm', { latencyMs: 50, ok: true });
    const input = [candidate('y', 1), candidate('x', 0)];
    const ctx = strategyContext({ latency: even, random: draws(0.5) });
    expect(providersOf(latencyStrategy(input, ctx))).toEqual(['x', 'y']);
    expect(providersOf(input)).toEqual(['y', 'x']);
  });
});
