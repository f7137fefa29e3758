import { Logger } from '@nestjs/common';
import type { Clock } from '../../shared/clock';
import type { TestUsageStore } from '../usage.fixtures';
import {
  openFileTestStore,
  openPostgresTestStore,
  openSqljsTestStore,
  usageRow,
} from '../usage.fixtures';
import {
  ANALYTICS_NOW as NOW,
  analyticsDataset,
  DAY,
  referenceGroups,
  rowsIn,
  rowsOutsideTheDay,
} from './usage-analytics.fixtures';
import { UsageAnalytics } from './usage-analytics.service';
import type { UsageRequestRecord } from './usage-analytics.types';
import { USAGE_DIMENSIONS } from './usage-query';
import type { UsageSummaryInput } from './usage-query';

const clock: Clock = { now: () => NOW };
const DATASET = analyticsDataset();
const ALL_ROWS = [...DATASET, ...rowsOutsideTheDay()];
const DAY_WINDOW = { from: NOW - DAY, to: NOW, filters: {} };

/** The 40 rows of the last day, newest first (ties by request id, descending). */
const NEWEST_FIRST = [...DATASET]
  .sort((a, b) => b.createdAt - a.createdAt || (a.requestId < b.requestId ? 1 : -1))
  .map((row) => row.requestId);

describe(UsageAnalytics.name, () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  describe.each([
    ['PostgreSQL', () => openPostgresTestStore()],
    ['sql.js', () => openSqljsTestStore()],
    ['the file store', () => openFileTestStore()],
  ])('on %s', (_name, open: () => Promise<TestUsageStore>) => {
    describe('reading a known set of rows', () => {
      let store: TestUsageStore;
      let analytics: UsageAnalytics;
      beforeAll(async () => {
        store = await open();
        await store.repository.insertBatch(ALL_ROWS);
        analytics = new UsageAnalytics(store.repository, clock);
      });
      afterAll(async () => {
        await store.close();
      });

      const groupsOf = async (input: UsageSummaryInput, scope?: { keyId?: string | null }) =>
        (await analytics.summary(input, scope)).groups;

      it('sums every field per provider, to the exact figure, sorted by cost', async () => {
        const summary = await analytics.summary({ period: '24h', groupBy: 'provider' });
        expect(summary.period).toEqual({
          from: '2025-11-21T00:00:00.000Z',
          to: '2025-11-22T00:00:00.000Z',
        });
        expect(summary.groupBy).toBe('provider');
        expect(summary.groups).toEqual([
          {
            key: 'openai',
            requests: 20,
            promptTokens: 3_750,
            completionTokens: 565,
            cachedTokens: 250,
            totalTokens: 4_315,
            costUsd: 0.01315,
            costSavedUsd: 0.002006,
            unpricedRequests: 0,
            avgLatencyMs: 195,
            p50LatencyMs: 195,
            p95LatencyMs: 280.5, // 0.95 × 19 = 18.05 → 280 + 0.05 × (290 − 280)
            p50TtftMs: 83,
            p95TtftMs: 139.7,
            errorRate: 0.05,
            cacheHitRate: 0.1,
          },
          {
            key: 'anthropic',
            requests: 12,
            promptTokens: 3_950,
            completionTokens: 505,
            cachedTokens: 150,
            totalTokens: 4_455,
            costUsd: 0.01295,
            costSavedUsd: 0.002046,
            unpricedRequests: 0,
            avgLatencyMs: 1_550,
            p50LatencyMs: 1550,
            p95LatencyMs: 2_045, // 0.95 × 11 = 10.45 → 2000 + 0.45 × 100
            p50TtftMs: 198.5,
            p95TtftMs: 226.9,
            errorRate: 0.0833,
            cacheHitRate: 0.1667, // a hit and a semantic hit in 12
          },
          {
            key: 'gemini',
            requests: 8,
            promptTokens: 2_770,
            completionTokens: 337,
            cachedTokens: 100,
            totalTokens: 3_107,
            costUsd: 0,
            costSavedUsd: 0,
            unpricedRequests: 6, // the two failures used no tokens: nothing to price
            avgLatencyMs: 225,
            p50LatencyMs: 225,
            p95LatencyMs: 382.5, // 0.95 × 7 = 6.65 → 350 + 0.65 × 50
            p50TtftMs: 272,
            p95TtftMs: 290.9,
            errorRate: 0.25,
            cacheHitRate: 0,
          },
        ]);
      });

      it('gives one overall bucket without groupBy', async () => {
        const summary = await analytics.summary({ period: '24h' });
        expect(summary.groupBy).toBeNull();
        expect(summary.groups).toEqual([
          {
            key: null,
            requests: 40,
            promptTokens: 10_470,
            completionTokens: 1_407,
            cachedTokens: 500,
            totalTokens: 11_877,
            costUsd: 0.0261,
            costSavedUsd: 0.004052,
            unpricedRequests: 6,
            avgLatencyMs: 607.5,
            p50LatencyMs: 250,
            p95LatencyMs: 1_905, // 0.95 × 39 = 37.05 → 1900 + 0.05 × 100
            p50TtftMs: 156.5,
            p95TtftMs: 279.3,
            errorRate: 0.1,
            cacheHitRate: 0.1,
          },
        ]);
      });

      it.each(USAGE_DIMENSIONS.map((d) => [d]))(
        'groupBy=%s: every field of every group equals the row-by-row reference',
        async (groupBy) => {
          const groups = await groupsOf({ period: '24h', groupBy });
          expect(groups).toEqual(referenceGroups(DATASET, groupBy));
          expect(groups.reduce((sum, g) => sum + g.requests, 0)).toBe(40);
        },
      );

      it('spot-checks the reference: per user, team, key and status', async () => {
        const byUser = await groupsOf({ groupBy: 'user' });
        expect(byUser.map((g) => [g.key, g.requests, g.costUsd])).toEqual([
          ['alice', 20, 0.0136],
          ['bob', 20, 0.0125],
        ]);
        const byRoute = await groupsOf({ groupBy: 'route' });
        expect(byRoute.map((g) => [g.key, g.requests])).toEqual([
          ['smart', 32],
          [null, 8], // rows without a route form their own group
        ]);
        const byStatus = await groupsOf({ groupBy: 'status' });
        expect(byStatus.map((g) => [g.key, g.requests, g.errorRate])).toEqual([
          ['ok', 36, 0],
          ['timeout', 2, 1],
          ['rate_limited', 1, 1],
          ['server_error', 1, 1],
        ]);
      });

      it('windows: 7d and 30d reach older rows; the future row is never in', async () => {
        const requests = async (input: UsageSummaryInput) =>
          (await groupsOf(input)).map((g) => g.requests);
        expect(await requests({ period: '7d' })).toEqual([41]);
        expect(await requests({ period: '30d' })).toEqual([42]);
        // from is included, to excluded: exactly the row 10 days old.
        const page = await analytics.requests({ from: NOW - 10 * DAY, to: NOW - 2 * DAY });
        expect(page.data.map((r) => r.requestId)).toEqual(['out-10d']);
        const iso = await groupsOf({
          from: '2025-11-12T00:00:00Z',
          to: '2025-11-20T00:00:00.001Z',
        });
        expect(iso.map((g) => g.requests)).toEqual([2]);
      });

      it('an empty window has no groups and an empty last page', async () => {
        const window = { from: '2020-01-01', to: '2020-02-01' };
        expect(await groupsOf({ ...window, groupBy: 'model' })).toEqual([]);
        expect(await groupsOf(window)).toEqual([]);
        expect(await analytics.requests(window)).toEqual({ data: [] });
      });

      it('filters combine with each other and with groupBy', async () => {
        const filters = { provider: 'anthropic', user: 'bob' };
        const groups = await groupsOf({ ...filters, groupBy: 'team' });
        expect(groups).toEqual(
          referenceGroups(rowsIn(DATASET, { ...DAY_WINDOW, filters }), 'team'),
        );
        expect(groups.map((g) => g.requests)).toEqual([3, 3]);
        expect(await groupsOf({ model: 'gpt-4o', status: 'timeout' })).toEqual(
          referenceGroups(
            rowsIn(DATASET, { ...DAY_WINDOW, filters: { model: 'gpt-4o', status: 'timeout' } }),
            undefined,
          ),
        );
        expect(await groupsOf({ task: 'parse', route: 'nope' })).toEqual([]);
      });

      it('groups and filters by the API door (ingress)', async () => {
        const byDoor = await groupsOf({ groupBy: 'ingress' });
        expect(byDoor).toEqual(referenceGroups(rowsIn(DATASET, DAY_WINDOW), 'ingress'));
        expect(byDoor.map((g) => g.key).sort()).toEqual([
          'chat.completions',
          'messages',
          'responses',
        ]);
        const responses = await groupsOf({ ingress: 'responses', groupBy: 'provider' });
        expect(responses).toEqual(
          referenceGroups(
            rowsIn(DATASET, { ...DAY_WINDOW, filters: { ingress: 'responses' } }),
            'provider',
          ),
        );
      });

      it('a key scope sees only that key; a scope without key id sees nothing', async () => {
        const scoped = await groupsOf({ groupBy: 'provider' }, { keyId: 'key_a' });
        expect(scoped).toEqual(
          referenceGroups(rowsIn(DATASET, DAY_WINDOW, { keyId: 'key_a' }), 'provider'),
        );
        expect(scoped.reduce((sum, g) => sum + g.requests, 0)).toBe(14);
        // Filtering on another key cannot widen the scope.
        expect(await groupsOf({ key: 'key_b' }, { keyId: 'key_a' })).toEqual([]);
        expect(await groupsOf({}, { keyId: null })).toEqual([]);
        expect(await groupsOf({}, {})).toEqual([]);
        const page = await analytics.requests({ limit: 1_000 }, { keyId: 'key_b' });
        expect(page.data).toHaveLength(26);
        expect(page.data.every((row) => row.keyId === 'key_b')).toBe(true);
        expect((await analytics.requests({}, { keyId: null })).data).toEqual([]);
      });

      it('lists a request with every field, the time in ISO-8601 and the cost in USD', async () => {
        const page = await analytics.requests({ limit: 1 });
        const { createdAt, costMicroUsd, ...rest } = DATASET[1];
        expect(page.data).toEqual([
          { ...rest, createdAt: new Date(createdAt).toISOString(), costUsd: 0.00043 },
        ]);
        expect(costMicroUsd).toBe(430); // 2 × 110 + 10 × 21
        const unpriced = await analytics.requests({ provider: 'gemini', status: 'ok', limit: 1 });
        expect(unpriced.data[0]).toMatchObject({ requestId: 'r-32', costUsd: null, priced: false });
      });

      it('pages with limit 7 through every row exactly once, newest first', async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await analytics.requests({ period: '24h', limit: 7, cursor });
          expect(page.data.length).toBe(pages < 5 ? 7 : 5);
          seen.push(...page.data.map((row) => row.requestId));
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 10);
        expect(pages).toBe(6);
        expect(seen).toEqual(NEWEST_FIRST);
      });

      it('stops at an exact multiple of the page size without an empty page', async () => {
        const first = await analytics.requests({ provider: 'gemini', limit: 4 });
        const second = await analytics.requests({
          provider: 'gemini',
          limit: 4,
          cursor: first.nextCursor,
        });
        expect([...first.data, ...second.data].map((r) => r.requestId)).toEqual(
          NEWEST_FIRST.filter((id) => Number(id.slice(2)) >= 32),
        );
        expect(second.nextCursor).toBeUndefined();
      });
    });

    describe('paging while rows arrive', () => {
      let store: TestUsageStore;
      beforeEach(async () => {
        store = await open();
      });
      afterEach(async () => {
        await store.close();
      });

      it('keeps later pages stable when newer rows (and same-millisecond rows) are written', async () => {
        await store.repository.insertBatch(DATASET);
        const analytics = new UsageAnalytics(store.repository, clock);
        const first = await analytics.requests({ limit: 7 });
        const last = first.data[6];
        // Newer rows, and one in the cursor's own millisecond that sorts before it.
        await store.repository.insertBatch([
          ...Array.from({ length: 5 }, (_, i) =>
            usageRow(500 + i, { requestId: `new-${i}`, createdAt: NOW - 10_000 + i }),
          ),
          usageRow(600, { requestId: 'r-99', createdAt: Date.parse(last.createdAt) }),
        ]);
        const seen = first.data.map((row) => row.requestId);
        let cursor = first.nextCursor;
        while (cursor) {
          const page: { data: UsageRequestRecord[]; nextCursor?: string } =
            await analytics.requests({ limit: 7, cursor });
          seen.push(...page.data.map((row) => row.requestId));
          cursor = page.nextCursor;
        }
        expect(seen).toEqual(NEWEST_FIRST);
      });
    });
  });
});
