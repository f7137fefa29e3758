import { GatewayErrorCode } from '../errors/gateway-error-code';
import { levelKeyParts, periodWindow, validateLevels } from './budget-period';
import type { BudgetLevel } from './budget.types';

const at = (iso: string): number => Date.parse(iso);

describe(periodWindow.name, () => {
  it('daily: the UTC day, whatever the local time zone', () => {
    expect(periodWindow('daily', at('2026-03-29T01:30:00Z'))).toEqual({
      tag: 'd',
      start: at('2026-03-29T00:00:00Z'),
      end: at('2026-03-30T00:00:00Z'),
    });
    expect(periodWindow('daily', at('2026-03-29T00:00:00Z')).start).toBe(
      at('2026-03-29T00:00:00Z'),
    );
    expect(periodWindow('daily', at('2026-03-29T23:59:59.999Z')).end).toBe(
      at('2026-03-30T00:00:00Z'),
    );
  });

  it('monthly: from the 1st to the 1st, across years and leap Februaries', () => {
    expect(periodWindow('monthly', at('2028-02-29T12:00:00Z'))).toEqual({
      tag: 'm',
      start: at('2028-02-01T00:00:00Z'),
      end: at('2028-03-01T00:00:00Z'),
    });
    expect(periodWindow('monthly', at('2026-12-31T23:59:59.999Z'))).toEqual({
      tag: 'm',
      start: at('2026-12-01T00:00:00Z'),
      end: at('2027-01-01T00:00:00Z'),
    });
  });

  it('a custom window is fixed and aligned to the epoch', () => {
    const window = { windowMs: 15 * 60_000 };
    expect(periodWindow(window, at('2026-01-14T10:44:59.999Z'))).toEqual({
      tag: 'w900000',
      start: at('2026-01-14T10:30:00Z'),
      end: at('2026-01-14T10:45:00Z'),
    });
    expect(periodWindow(window, at('2026-01-14T10:45:00Z')).start).toBe(at('2026-01-14T10:45:00Z'));
  });
});

describe(levelKeyParts.name, () => {
  it('names scope, id, period kind and start, so owners and kinds never share a key', () => {
    const level: BudgetLevel = { scope: 'team', id: 'a:b', limitMicroUsd: 1, period: 'monthly' };
    const now = at('2026-01-01T00:00:00Z');
    expect(levelKeyParts(level, periodWindow('monthly', now))).toEqual([
      'budget',
      'team',
      'a:b',
      'm',
      String(now),
    ]);
    const daily = levelKeyParts({ ...level, period: 'daily' }, periodWindow('daily', now));
    expect(daily.join(':')).not.toBe(levelKeyParts(level, periodWindow('monthly', now)).join(':'));
  });
});

describe(validateLevels.name, () => {
  it('refuses the same level twice but accepts one owner with several periods', () => {
    const user: BudgetLevel = { scope: 'user', id: 'u', limitMicroUsd: 5, period: 'daily' };
    expect(() => validateLevels([user, { ...user, period: 'monthly' }])).not.toThrow();
    expect(() => validateLevels([user, { ...user, scope: 'key' }])).not.toThrow();
    expect(() => validateLevels([user, { ...user, limitMicroUsd: 7 }])).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INTERNAL }),
    );
  });
});
