import { describeLevel, formatMicroUsd, levelsOf, usdToMicro } from './budget-levels';

describe(levelsOf.name, () => {
  it('turns each configured cap into one level, in integer micro-dollars', () => {
    expect(levelsOf('user', 'alice', { dailyUsd: 5, monthlyUsd: 50.25 })).toEqual([
      { scope: 'user', id: 'alice', limitMicroUsd: 5_000_000, period: 'daily' },
      { scope: 'user', id: 'alice', limitMicroUsd: 50_250_000, period: 'monthly' },
    ]);
    expect(levelsOf('team', 't', { windowUsd: 0.1, windowMs: 3_600_000 })).toEqual([
      { scope: 'team', id: 't', limitMicroUsd: 100_000, period: { windowMs: 3_600_000 } },
    ]);
    expect(levelsOf('key', 'k', undefined)).toEqual([]);
    expect(levelsOf('key', 'k', { windowUsd: 1 })).toEqual([]);
  });

  it('rounds dollars to the nearest micro-dollar, never accumulating floats', () => {
    expect(usdToMicro(0.1 + 0.2)).toBe(300_000);
    expect(usdToMicro(19.999_999_6)).toBe(20_000_000);
  });
});

describe(formatMicroUsd.name, () => {
  it('shows cents at least and every significant micro-dollar', () => {
    expect(formatMicroUsd(5_000_000)).toBe('$5.00');
    expect(formatMicroUsd(1_200_000)).toBe('$1.20');
    expect(formatMicroUsd(12_500)).toBe('$0.0125');
    expect(formatMicroUsd(1_234_567)).toBe('$1.234567');
    expect(formatMicroUsd(0)).toBe('$0.00');
  });
});

describe(describeLevel.name, () => {
  it('names scope, owner and period', () => {
    expect(describeLevel({ scope: 'team', id: 'nlp', limitMicroUsd: 1, period: 'monthly' })).toBe(
      'team "nlp" monthly budget',
    );
    expect(
      describeLevel({ scope: 'key', id: 'k1', limitMicroUsd: 1, period: { windowMs: 60_000 } }),
    ).toBe('key "k1" 60000 ms window budget');
  });
});
