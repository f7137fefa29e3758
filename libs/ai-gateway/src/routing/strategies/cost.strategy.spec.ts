import { costStrategy, expectedCostUsd } from './cost.strategy';
import { candidate, providersOf, strategyContext } from './strategy.fixtures';

const priced = (provider: string, index: number, input?: number, output?: number) =>
  candidate(provider, index, { info: { inputCostPerMTok: input, outputCostPerMTok: output } });

describe(costStrategy.name, () => {
  // 1,000 prompt tokens and 500 output tokens (the fixture's requirements)
  const list = [
    priced('a', 0, 2.5, 10), // (1,000 × 2.5 + 500 × 10) / 1e6 = 0.0075
    priced('b', 1, 0.15, 0.6), // (150 + 300) / 1e6 = 0.00045
    candidate('c', 2), // unpriced
    priced('d', 3, 3, 15), // (3,000 + 7,500) / 1e6 = 0.0105
    priced('e', 4, 0.5, 1.5), // (500 + 750) / 1e6 = 0.00125
    priced('f', 5, 1, undefined), // half a price is no price
  ];

  it('computes the expected cost of this request in USD', () => {
    const ctx = strategyContext();
    expect(list.map((c) => expectedCostUsd(c, ctx.requirements))).toEqual([
      0.0075,
      0.00045,
      undefined,
      0.0105,
      0.00125,
      undefined,
    ]);
  });

  it('puts the cheapest first and unpriced candidates last in resolved order', () => {
    const input = [...list].reverse();
    expect(providersOf(costStrategy(input, strategyContext()))).toEqual([
      'b',
      'e',
      'a',
      'd',
      'c',
      'f',
    ]);
    expect(providersOf(input)).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
  });

  it('weighs output prices by the request max_tokens', () => {
    const outputHeavy = priced('x', 0, 1, 100);
    const inputHeavy = priced('y', 1, 2, 4);
    const short = strategyContext();
    short.requirements = { ...short.requirements, promptTokens: 10_000, maxOutputTokens: 10 };
    // x: (10,000 + 1,000) / 1e6 = 0.011; y: (20,000 + 40) / 1e6 = 0.02004
    expect(providersOf(costStrategy([outputHeavy, inputHeavy], short))).toEqual(['x', 'y']);

    const long = strategyContext();
    long.requirements = { ...long.requirements, promptTokens: 10_000, maxOutputTokens: 1_000 };
    // x: (10,000 + 100,000) / 1e6 = 0.11; y: (20,000 + 4,000) / 1e6 = 0.024
    expect(providersOf(costStrategy([outputHeavy, inputHeavy], long))).toEqual(['y', 'x']);
  });

  it('ranks a free model first and keeps resolved order on equal cost', () => {
    const input = [priced('p', 0, 1, 1), priced('q', 1, 1, 1), priced('local', 2, 0, 0)];
    expect(providersOf(costStrategy(input, strategyContext()))).toEqual(['local', 'p', 'q']);
  });
});
