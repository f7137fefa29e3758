import { priorityStrategy } from './priority.strategy';
import { candidate, providersOf, strategyContext } from './strategy.fixtures';

describe(priorityStrategy.name, () => {
  it('returns the resolved order whatever order it is given, without touching the input', () => {
    const input = [candidate('c', 2), candidate('a', 0), candidate('b', 1)];
    const output = priorityStrategy(input, strategyContext());
    expect(providersOf(output)).toEqual(['a', 'b', 'c']);
    expect(providersOf(input)).toEqual(['c', 'a', 'b']);
    expect(output).not.toBe(input);
  });

  it('ignores prices, latency and context windows', () => {
    const input = [
      candidate('pricey', 0, { info: { inputCostPerMTok: 30, outputCostPerMTok: 60 } }),
      candidate('cheap', 1, { info: { inputCostPerMTok: 0, outputCostPerMTok: 0 } }),
    ];
    expect(providersOf(priorityStrategy(input, strategyContext()))).toEqual(['pricey', 'cheap']);
  });
});
