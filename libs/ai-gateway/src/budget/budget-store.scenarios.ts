import type { GatewayError } from '../errors/gateway.error';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { BudgetStoreFactory } from './budget.fixtures';
import {
  figures,
  PROVIDER,
  reserveMany,
  T0,
  TEAM,
  TTL,
  USER,
  useBudgetStore,
} from './budget.fixtures';
import type { BudgetLevel } from './budget.types';

const INTERNAL = expect.objectContaining({ code: GatewayErrorCode.INTERNAL }) as GatewayError;

/**
 * Reservation, settlement, release and expiry, as every `BudgetStore` must account
 * them: run against the memory store (unit spec) and the Redis store (integration spec).
 */
export function budgetStoreScenarios(open: BudgetStoreFactory): void {
  const store = useBudgetStore(open);

  it('holds the amount on every level and reports each level in its period', async () => {
    expect(await store().reserve('r1', [USER, TEAM], 300_000, TTL, T0)).toEqual({ ok: true });
    expect(await store().usage([TEAM, USER, PROVIDER], T0)).toEqual([
      {
        level: TEAM,
        periodStart: Date.UTC(2026, 0, 1),
        resetsAt: Date.UTC(2026, 1, 1),
        spentMicroUsd: 0,
        reservedMicroUsd: 300_000,
        limitMicroUsd: 500_000,
        remainingMicroUsd: 200_000,
      },
      {
        level: USER,
        periodStart: Date.UTC(2026, 0, 14),
        resetsAt: Date.UTC(2026, 0, 15),
        spentMicroUsd: 0,
        reservedMicroUsd: 300_000,
        limitMicroUsd: 1_000_000,
        remainingMicroUsd: 700_000,
      },
      {
        level: PROVIDER,
        periodStart: Date.UTC(2026, 0, 14),
        resetsAt: Date.UTC(2026, 0, 15),
        spentMicroUsd: 0,
        reservedMicroUsd: 0,
        limitMicroUsd: 100_000_000,
        remainingMicroUsd: 100_000_000,
      },
    ]);
  });

  it('refuses when one level lacks room and then holds nothing anywhere', async () => {
    await store().reserve('r1', [USER, TEAM], 400_000, TTL, T0);
    expect(await store().reserve('r2', [PROVIDER, USER, TEAM], 200_000, TTL, T0)).toEqual({
      ok: false,
      level: TEAM,
      spentMicroUsd: 0,
      reservedMicroUsd: 400_000,
      limitMicroUsd: 500_000,
      resetsAt: Date.UTC(2026, 1, 1),
    });
    expect(await figures(store(), [PROVIDER, USER, TEAM], T0)).toEqual([
      [0, 0],
      [0, 400_000],
      [0, 400_000],
    ]);
    // Without the team level the same amount fits the user's budget.
    expect(await store().reserve('r3', [USER], 200_000, TTL, T0)).toEqual({ ok: true });
    expect(await store().release('r2', T0)).toBe('unknown');
  });

  it('reports the first level without room, in the order given', async () => {
    await store().reserve('r1', [USER, TEAM], 500_000, TTL, T0);
    const denial = await store().reserve('r2', [USER, TEAM], 600_000, TTL, T0);
    expect(denial).toMatchObject({ ok: false, level: USER, reservedMicroUsd: 500_000 });
  });

  it('admits up to the limit exactly: spent + reserved + amount <= limit', async () => {
    expect((await store().reserve('a', [USER], 600_000, TTL, T0)).ok).toBe(true);
    await store().settle('a', 600_000, T0);
    expect((await store().reserve('b', [USER], 400_000, TTL, T0)).ok).toBe(true);
    expect(await store().reserve('c', [USER], 1, TTL, T0)).toMatchObject({
      ok: false,
      spentMicroUsd: 600_000,
      reservedMicroUsd: 400_000,
    });
    expect((await store().reserve('d', [USER], 0, TTL, T0)).ok).toBe(true);
  });

  it('settle charges the actual cost to every level and frees the rest', async () => {
    await store().reserve('r1', [USER, TEAM], 300_000, TTL, T0);
    await store().reserve('r2', [USER], 100_000, TTL, T0);
    expect(await store().settle('r1', 75_000, T0 + 1_000)).toBe('applied');
    expect(await figures(store(), [USER, TEAM], T0 + 1_000)).toEqual([
      [75_000, 100_000],
      [75_000, 0],
    ]);
  });

  it('a cost above the reservation is charged in full', async () => {
    await store().reserve('r1', [TEAM], 100_000, TTL, T0);
    await store().settle('r1', 650_000, T0);
    expect(await figures(store(), [TEAM], T0)).toEqual([[650_000, 0]]);
    expect(await store().reserve('r2', [TEAM], 0, TTL, T0)).toMatchObject({ ok: false });
  });

  it('settle is idempotent by request id: a second settle or release changes nothing', async () => {
    await store().reserve('r1', [USER], 300_000, TTL, T0);
    expect(await store().settle('r1', 50_000, T0)).toBe('applied');
    expect(await store().settle('r1', 50_000, T0 + 1)).toBe('already-finished');
    expect(await store().settle('r1', 90_000, T0 + 2)).toBe('already-finished');
    expect(await store().release('r1', T0 + 3)).toBe('already-finished');
    expect(await figures(store(), [USER], T0 + 3)).toEqual([[50_000, 0]]);
  });

  it('release frees the whole hold and charges nothing; a settle after it is a no-op', async () => {
    await store().reserve('r1', [USER, TEAM], 300_000, TTL, T0);
    expect(await store().release('r1', T0)).toBe('applied');
    expect(await store().settle('r1', 300_000, T0)).toBe('already-finished');
    expect(await store().release('r1', T0)).toBe('already-finished');
    expect(await figures(store(), [USER, TEAM], T0)).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('settle and release of an id never reserved answer unknown', async () => {
    expect(await store().settle('nobody', 10, T0)).toBe('unknown');
    expect(await store().release('nobody', T0)).toBe('unknown');
    expect(await figures(store(), [USER], T0)).toEqual([[0, 0]]);
  });

  it('concurrent reserves admit exactly what fits', async () => {
    const admitted = await reserveMany([store()], 'c', 200, [USER, PROVIDER], 20_000, T0);
    expect(admitted).toHaveLength(50);
    expect(await figures(store(), [USER, PROVIDER], T0)).toEqual([
      [0, 1_000_000],
      [0, 1_000_000],
    ]);
  });

  it('a hold stops counting at its TTL, and a late settle still charges the cost', async () => {
    await store().reserve('crashed', [USER], 1_000_000, TTL, T0);
    expect(await store().reserve('early', [USER], 1, TTL, T0 + TTL - 1)).toMatchObject({
      ok: false,
      reservedMicroUsd: 1_000_000,
    });
    expect(await figures(store(), [USER], T0 + TTL)).toEqual([[0, 0]]);
    expect(await store().reserve('after', [USER], 200_000, TTL, T0 + TTL)).toEqual({ ok: true });
    // The holder was only slow: its settle within a second TTL is still counted.
    expect(await store().settle('crashed', 300_000, T0 + TTL + 1)).toBe('applied');
    expect(await figures(store(), [USER], T0 + TTL + 1)).toEqual([[300_000, 200_000]]);
  });

  it('a settle two TTLs after the reservation is unknown and charges nothing', async () => {
    await store().reserve('r1', [USER], 500_000, TTL, T0);
    expect(await store().settle('r1', 100_000, T0 + 2 * TTL)).toBe('unknown');
    expect(await figures(store(), [USER], T0 + 2 * TTL)).toEqual([[0, 0]]);
  });

  it('reserving a live id again replays the first answer and holds nothing more', async () => {
    await store().reserve('r1', [USER], 100_000, TTL, T0);
    expect(await store().reserve('r1', [USER], 100_000, TTL, T0 + 5)).toEqual({ ok: true });
    expect(await figures(store(), [USER], T0 + 5)).toEqual([[0, 100_000]]);
    expect(await store().settle('r1', 10_000, T0 + 6)).toBe('applied');
    expect(await figures(store(), [USER], T0 + 6)).toEqual([[10_000, 0]]);
  });

  it('refuses to reuse the id of a finished request while its record lasts', async () => {
    await store().reserve('r1', [USER], 100_000, TTL, T0);
    await store().settle('r1', 10_000, T0 + 1_000);
    await expect(store().reserve('r1', [USER], 100_000, TTL, T0 + 2_000)).rejects.toEqual(INTERNAL);
    expect(await store().reserve('r1', [USER], 100_000, TTL, T0 + 1_000 + TTL)).toEqual({
      ok: true,
    });
  });

  it('rejects arguments it cannot account exactly, before touching anything', async () => {
    const bad: Array<[string, BudgetLevel[], number, number]> = [
      ['', [USER], 1, TTL],
      ['r', [USER], -1, TTL],
      ['r', [USER], 0.5, TTL],
      ['r', [USER], 2 ** 53, TTL],
      ['r', [USER], 1, 0],
      ['r', [USER, { ...USER, limitMicroUsd: 5 }], 1, TTL],
      ['r', [{ ...USER, id: '' }], 1, TTL],
      ['r', [{ ...USER, limitMicroUsd: 1.5 }], 1, TTL],
      ['r', [{ ...USER, period: { windowMs: 0 } }], 1, TTL],
    ];
    for (const [id, levels, amount, ttl] of bad) {
      await expect(store().reserve(id, levels, amount, ttl, T0)).rejects.toEqual(INTERNAL);
    }
    await expect(store().settle('r', -5, T0)).rejects.toEqual(INTERNAL);
    expect(await figures(store(), [USER], T0)).toEqual([[0, 0]]);
  });
}
