import type { GatewayError } from '../errors/gateway.error';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { RateLimitStoreFactory } from './rate-limit.fixtures';
import {
  acquireMany,
  figures,
  GLOBAL_ALL,
  KEY_RPM,
  remainingTokens,
  T0,
  take,
  TEAM_CONCURRENCY,
  USER_TPM,
  useRateLimitStore,
} from './rate-limit.fixtures';
import type { RateLimitScope } from './rate-limit.types';

const INTERNAL = expect.objectContaining({ code: GatewayErrorCode.INTERNAL }) as GatewayError;
const LEASE = 600_000;

/**
 * Token buckets, all-or-nothing decisions, corrections and concurrency leases, as every
 * `RateLimitStore` must decide them: run against the memory store (unit spec) and the
 * Redis store (integration spec), on a clock moved by hand.
 */
export function rateLimitStoreScenarios(open: RateLimitStoreFactory): void {
  const store = useRateLimitStore(open);

  it('admits a burst of one minute, then one request per 600 ms at 100 RPM', async () => {
    const admitted = [];
    for (let i = 0; i < 100; i++) admitted.push((await take(store(), [KEY_RPM], T0)).admitted);
    expect(admitted.every(Boolean)).toBe(true);

    const refused = await take(store(), [KEY_RPM], T0);
    expect(refused).toMatchObject({
      admitted: false,
      scope: KEY_RPM,
      dimension: 'requests',
      retryAfterMs: 600,
      tooLarge: false,
    });
    expect(figures(refused)).toEqual([[0, 60_000]]);
    expect(await take(store(), [KEY_RPM], T0 + 599)).toMatchObject({ retryAfterMs: 1 });

    const next = await take(store(), [KEY_RPM], T0 + 600);
    expect(next.admitted).toBe(true);
    expect(figures(next)).toEqual([[0, 60_000]]);
    // A quiet minute fills the bucket again, never beyond one minute's worth.
    const later = await take(store(), [KEY_RPM], T0 + 600 + 5 * 60_000);
    expect(figures(later)).toEqual([[99, 600]]);
  });

  it('tokens: takes the estimate and gives the exact wait from the refill rate', async () => {
    const first = await take(store(), [USER_TPM], T0, 4_000);
    expect(first.admitted).toBe(true);
    // 4,000 tokens at 10,000 a minute come back in 24 s.
    expect(figures(first)).toEqual([[6_000, 24_000]]);

    const refused = await take(store(), [USER_TPM], T0 + 1, 7_000);
    // 6,000 + 1 ms of refill (1/6 token); 1,000 - 1/6 tokens more take 5,999 ms.
    expect(refused).toMatchObject({ admitted: false, dimension: 'tokens', retryAfterMs: 5_999 });
    expect((await take(store(), [USER_TPM], T0 + 6_000, 7_000)).admitted).toBe(true);
    expect(await remainingTokens(store(), USER_TPM, T0 + 6_000)).toBe(0);
  });

  it('refuses a cost above the capacity as too large, with the time until full', async () => {
    await take(store(), [USER_TPM], T0, 600);
    expect(await take(store(), [USER_TPM], T0, 10_001)).toMatchObject({
      admitted: false,
      tooLarge: true,
      retryAfterMs: 3_600,
    });
    expect((await take(store(), [USER_TPM], T0 + 3_600, 10_000)).admitted).toBe(true);
  });

  it('is all-or-nothing across scopes and names the first scope without room', async () => {
    const tight: RateLimitScope = { ...KEY_RPM, requestsPerMinute: 2 };
    expect((await take(store(), [GLOBAL_ALL, tight], T0, 100)).admitted).toBe(true);
    expect((await take(store(), [GLOBAL_ALL, tight], T0, 100)).admitted).toBe(true);
    const refused = await take(store(), [GLOBAL_ALL, tight], T0, 100);
    expect(refused).toMatchObject({ admitted: false, scope: tight, retryAfterMs: 30_000 });
    // The global scope had room and gave nothing: still 2 requests and 200 tokens taken.
    expect(figures(refused)).toEqual([
      [998, 120],
      [999_800, 12],
      [48, 0],
      [0, 60_000],
    ]);
    const exhausted: RateLimitScope = { ...USER_TPM, tokensPerMinute: 50 };
    const both = await take(store(), [exhausted, tight], T0, 100);
    expect(both).toMatchObject({ scope: exhausted, dimension: 'tokens', tooLarge: true });
  });

  it('gives back unused tokens: 4,000 reserved, 50 used leaves the bucket 50 lower', async () => {
    await take(store(), [USER_TPM], T0, 4_000, 'r1');
    expect(await store().adjust('r1', [USER_TPM], 50 - 4_000, T0)).toBe(true);
    expect(await remainingTokens(store(), USER_TPM, T0)).toBe(9_950);
    // Idempotent by request id: a repeated correction changes nothing.
    expect(await store().adjust('r1', [USER_TPM], 50 - 4_000, T0)).toBe(false);
    expect(await remainingTokens(store(), USER_TPM, T0)).toBe(9_950);
    // Never above capacity.
    expect(await store().adjust('r2', [USER_TPM], -5_000, T0)).toBe(true);
    expect(await remainingTokens(store(), USER_TPM, T0)).toBe(10_000);
  });

  it('charges usage above the estimate as a debt that delays later requests', async () => {
    await take(store(), [USER_TPM], T0, 1_000, 'r1');
    expect(await store().adjust('r1', [USER_TPM], 15_000, T0)).toBe(true);
    // 9,000 - 15,000 = 6,000 in debt: 96 s until full, 36 s until even 0 tokens fit.
    const refused = await take(store(), [USER_TPM], T0, 0);
    expect(refused).toMatchObject({ admitted: false, retryAfterMs: 36_000, tooLarge: false });
    expect(figures(refused)).toEqual([[0, 96_000]]);
    expect(await take(store(), [USER_TPM], T0 + 36_599, 100)).toMatchObject({ retryAfterMs: 1 });
    expect((await take(store(), [USER_TPM], T0 + 36_600, 100)).admitted).toBe(true);
  });

  it('corrects only token buckets: requests and slots stay as taken', async () => {
    await take(store(), [GLOBAL_ALL], T0, 500, 'r1');
    expect(await store().adjust('r1', [GLOBAL_ALL], -500, T0)).toBe(true);
    expect(figures(await take(store(), [GLOBAL_ALL], T0, 0))).toEqual([
      [998, 120],
      [1_000_000, 0],
      [48, 0],
    ]);
  });

  it('holds concurrency slots until released, at most for the lease', async () => {
    expect((await take(store(), [TEAM_CONCURRENCY], T0, 0, 'a')).admitted).toBe(true);
    expect((await take(store(), [TEAM_CONCURRENCY], T0 + 10, 0, 'b')).admitted).toBe(true);
    const full = await take(store(), [TEAM_CONCURRENCY], T0 + 20, 0, 'c');
    expect(full).toMatchObject({ admitted: false, dimension: 'concurrency', retryAfterMs: 1_000 });
    expect(figures(full)).toEqual([[0, 0]]);

    expect(await store().release('a', [TEAM_CONCURRENCY])).toBe(1);
    expect(await store().release('a', [TEAM_CONCURRENCY])).toBe(0);
    expect((await take(store(), [TEAM_CONCURRENCY], T0 + 30, 0, 'c')).admitted).toBe(true);

    // b and c never release (a crashed instance): b's lease ends first.
    const late = await take(store(), [TEAM_CONCURRENCY], T0 + LEASE - 290, 0, 'd');
    expect(late).toMatchObject({ admitted: false, retryAfterMs: 300 });
    expect((await take(store(), [TEAM_CONCURRENCY], T0 + LEASE + 10, 0, 'd')).admitted).toBe(true);
    const both = await take(store(), [TEAM_CONCURRENCY], T0 + LEASE + 30, 0, 'e');
    expect(both.admitted).toBe(true);
    expect(figures(both)).toEqual([[0, 0]]);
  });

  it('concurrent acquires admit exactly what fits', async () => {
    const admitted = await acquireMany([store()], 'c', 300, [KEY_RPM, GLOBAL_ALL], 10, T0);
    expect(admitted).toHaveLength(50); // GLOBAL_ALL: 50 in flight at most
    const rpm = await acquireMany([store()], 'd', 300, [KEY_RPM], 10, T0);
    expect(rpm).toHaveLength(50); // the other 50 of KEY_RPM's minute
  });

  it('clamps a bucket to a lowered limit and refills at the new rate', async () => {
    await take(store(), [KEY_RPM], T0);
    const lowered: RateLimitScope = { ...KEY_RPM, requestsPerMinute: 10 };
    expect(figures(await take(store(), [lowered], T0))).toEqual([[9, 6_000]]);
    // An instance whose clock is behind refills nothing.
    expect(figures(await take(store(), [lowered], T0 - 5_000))).toEqual([[8, 12_000]]);
  });

  it('admits without looking when a scope sets no limit', async () => {
    const bare: RateLimitScope = { kind: 'ip', id: '10.0.0.1', failMode: 'open' };
    expect(await take(store(), [bare], T0)).toEqual({ admitted: true, states: [] });
    expect(await take(store(), [], T0)).toEqual({ admitted: true, states: [] });
    expect(await store().release('x', [bare])).toBe(0);
  });

  it('rejects arguments it cannot account exactly, before touching anything', async () => {
    const bad: Array<[string, RateLimitScope[], number]> = [
      ['', [KEY_RPM], 1],
      ['r', [KEY_RPM], -1],
      ['r', [KEY_RPM], 0.5],
      ['r', [KEY_RPM], 2 ** 53],
      ['r', [KEY_RPM, { ...KEY_RPM, requestsPerMinute: 5 }], 1],
      ['r', [{ ...KEY_RPM, id: '' }], 1],
      ['r', [{ ...KEY_RPM, requestsPerMinute: 0 }], 1],
      ['r', [{ ...KEY_RPM, requestsPerMinute: 1.5 }], 1],
      ['r', [{ ...KEY_RPM, kind: 'org' as RateLimitScope['kind'] }], 1],
      ['r', [{ ...KEY_RPM, failMode: 'maybe' as RateLimitScope['failMode'] }], 1],
    ];
    for (const [id, scopes, tokens] of bad) {
      await expect(store().acquire(id, scopes, { requests: 1, tokens }, T0)).rejects.toEqual(
        INTERNAL,
      );
    }
    await expect(store().adjust('r', [USER_TPM], 0.5, T0)).rejects.toEqual(INTERNAL);
    await expect(store().acquire('r', [KEY_RPM], { requests: 1, tokens: 0 }, 1.5)).rejects.toEqual(
      INTERNAL,
    );
    expect(figures(await take(store(), [KEY_RPM], T0))).toEqual([[99, 600]]);
  });
}
