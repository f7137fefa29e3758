import { candidate, draws, providersOf, seeded, strategyContext } from './strategy.fixtures';
import { weightedStrategy } from './weighted.strategy';

describe(weightedStrategy.name, () => {
  // weights a 1, b 3, c 0 (fallback only), d absent (= 1): total 5
  const list = [
    candidate('d', 3),
    candidate('c', 2, { weight: 0 }),
    candidate('b', 1, { weight: 3 }),
    candidate('a', 0, { weight: 1 }),
  ];

  it('draws the first by weight, then the rest by weight again, weight 0 last', () => {
    // 0.1 × 5 = 0.5 < 1 → a; then b 3, d 1: 0.9 × 4 = 3.6 ≥ 3 → d; then b
    let ctx = strategyContext({ random: draws(0.1, 0.9) });
    expect(providersOf(weightedStrategy(list, ctx))).toEqual(['a', 'd', 'b', 'c']);
    // 0.5 × 5 = 2.5 → b (1 ≤ 2.5 < 4); then a 1, d 1: 0.5 × 2 = 1 → d; then a
    ctx = strategyContext({ random: draws(0.5, 0.5) });
    expect(providersOf(weightedStrategy(list, ctx))).toEqual(['b', 'd', 'a', 'c']);
    expect(providersOf(list)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('gives a draw at the very top to the last weighted candidate', () => {
    const ctx = strategyContext({ random: draws(0.999_999_999, 0.999_999_999) });
    expect(providersOf(weightedStrategy(list, ctx))).toEqual(['d', 'b', 'a', 'c']);
  });

  it('falls back to resolved order when no candidate has a positive weight', () => {
    const idle = [candidate('y', 1, { weight: 0 }), candidate('x', 0, { weight: 0 })];
    expect(providersOf(weightedStrategy(idle, strategyContext({ random: draws() })))).toEqual([
      'x',
      'y',
    ]);
  });

  it('puts each candidate first in proportion to its weight', () => {
    const random = seeded(42);
    const firsts = new Map<string, number>();
    const runs = 20_000;
    for (let i = 0; i < runs; i += 1) {
      const [first] = weightedStrategy(list, strategyContext({ random }));
      firsts.set(first.target.provider, (firsts.get(first.target.provider) ?? 0) + 1);
    }
    const share = (provider: string): number => (firsts.get(provider) ?? 0) / runs;
    expect(Math.abs(share('a') - 0.2)).toBeLessThan(0.015);
    expect(Math.abs(share('b') - 0.6)).toBeLessThan(0.015);
    expect(Math.abs(share('d') - 0.2)).toBeLessThan(0.015);
    expect(firsts.get('c')).toBeUndefined();
  });
});
