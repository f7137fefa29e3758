import { capabilityStrategy } from './capability.strategy';
import { candidate, providersOf, strategyContext } from './strategy.fixtures';

describe(capabilityStrategy.name, () => {
  it('orders by smallest context window, unknown windows last, ties in resolved order', () => {
    const input = [
      candidate('big', 0, { info: { contextWindow: 128_000 } }),
      candidate('small', 1, { info: { contextWindow: 8_192 } }),
      candidate('unknown', 2),
      candidate('mid', 3, { info: { contextWindow: 32_768 } }),
      candidate('small-too', 4, { info: { contextWindow: 8_192 } }),
    ];
    expect(providersOf(capabilityStrategy(input, strategyContext()))).toEqual([
      'small',
      'small-too',
      'mid',
      'big',
      'unknown',
    ]);
    expect(providersOf(input)).toEqual(['big', 'small', 'unknown', 'mid', 'small-too']);
  });
});
