import { Logger } from '@nestjs/common';
import type { Clock } from '../../shared/clock';
import type { TestUsageStore } from '../usage.fixtures';
import {
  openFileTestStore,
  openPostgresTestStore,
  openSqljsTestStore,
  usageRow,
} from '../usage.fixtures';
import type { UsageRow } from '../usage-row';
import { DEFAULT_USAGE_SETTINGS } from '../usage-settings';
import {
  ANALYTICS_NOW as NOW,
  analyticsDataset,
  DAY,
  MINUTE,
  referenceGroups,
  rowsOutsideTheDay,
} from './usage-analytics.fixtures';
import { UsageAnalytics } from './usage-analytics.service';
import { RETENTION_CHUNK_ROWS, UsageRetention } from './usage-retention.service';

const clock: Clock = { now: () => NOW };
const DATASET = analyticsDataset();
const ALL_ROWS = [...DATASET, ...rowsOutsideTheDay()];

/** The reference time series: rows put in epoch-aligned buckets by plain arithmetic. */
function referenceSeries(rows: readonly UsageRow[], intervalMs: number) {
  const buckets = new Map<number, UsageRow[]>();
  for (const row of rows) {
    const start = Math.floor(row.createdAt / intervalMs) * intervalMs;
    buckets.set(start, [...(buckets.get(start) ?? []), row]);
  }
  return [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([start, members]) => ({
      ...referenceGroups(members, undefined)[0],
      key: new Date(start).toISOString(),
    }));
}

describe(`${UsageAnalytics.name}: time series, cache filter, one request, retention`, () => {
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
        // Rows a few ms either side of bucket edges: the bucket arithmetic must be exact.
        const edges = [0, 1, -1].map((offset, i) =>
          usageRow(800 + i, {
            requestId: `edge-${i}`,
            createdAt: NOW - 3 * 15 * MINUTE + offset,
          }),
        );
        await store.repository.insertBatch([...ALL_ROWS, ...edges]);
        analytics = new UsageAnalytics(store.repository, clock);
      });
      afterAll(async () => {
        await store.close();
      });

      it.each([
        ['1m', MINUTE],
        ['5m', 5 * MINUTE],
        ['15m', 15 * MINUTE],
        ['1h', 60 * MINUTE],
      ])('groupBy=time&interval=%s equals the row-by-row buckets', async (interval, ms) => {
        const summary = await analytics.summary({ period: '24h', groupBy: 'time', interval });
        const rows = [...DATASET, ...(await edgeRows(store))];
        expect(summary.groupBy).toBe('time');
        expect(summary.interval).toBe(interval);
        expect(summary.groups).toEqual(referenceSeries(rows, ms));
        // The series adds up to the window's total.
        const [total] = (await analytics.summary({ period: '24h' })).groups;
        expect(summary.groups.reduce((sum, g) => sum + g.requests, 0)).toBe(total.requests);
      });

      it('picks the finest interval giving at most 200 buckets when none is named', async () => {
        expect((await analytics.summary({ period: '1h', groupBy: 'time' })).interval).toBe('1m');
        expect((await analytics.summary({ period: '24h', groupBy: 'time' })).interval).toBe('15m');
        expect((await analytics.summary({ period: '7d', groupBy: 'time' })).interval).toBe('1h');
        expect((await analytics.summary({ period: '30d', groupBy: 'time' })).interval).toBe('6h');
      });

      it('a 1h period holds the last hour only', async () => {
        const [group] = (await analytics.summary({ period: '1h' })).groups;
        const reference = referenceGroups(
          [...DATASET, ...(await edgeRows(store))].filter(
            (row) => row.createdAt >= NOW - 60 * MINUTE,
          ),
          undefined,
        );
        expect(group).toEqual(reference[0]);
      });

      it('filters requests by cache status', async () => {
        const hits = await analytics.requests({ cache: 'hit' });
        expect(hits.data.map((r) => r.requestId).sort()).toEqual(['r-02', 'r-04', 'r-22']);
        const semantic = await analytics.requests({ cache: 'semantic-hit' });
        expect(semantic.data.map((r) => r.requestId)).toEqual(['r-24']);
      });

      it('finds one request by id, within the caller scope only', async () => {
        const record = await analytics.request('r-03');
        expect(record).toMatchObject({ requestId: 'r-03', keyId: 'key_a', ttftMs: 41 });
        expect(await analytics.request('r-03', { keyId: 'key_a' })).toEqual(record);
        expect(await analytics.request('r-03', { keyId: 'key_b' })).toBeUndefined();
        expect(await analytics.request('r-03', {})).toBeUndefined();
        expect(await analytics.request('nope')).toBeUndefined();
        expect(await analytics.request('')).toBeUndefined();
        // An old row is found too: the detail has no window.
        expect(await analytics.request('out-40d')).toMatchObject({ requestId: 'out-40d' });
      });
    });

    describe(UsageRetention.name, () => {
      let store: TestUsageStore;
      beforeEach(async () => {
        store = await open();
      });
      afterEach(async () => {
        await store.close();
      });

      it(`deletes exactly the rows older than retentionDays, in chunks of ${RETENTION_CHUNK_ROWS}`, async () => {
        const old: UsageRow[] = Array.from({ length: 6_000 }, (_, i) =>
          usageRow(10_000 + i, { requestId: `old-${i}`, createdAt: NOW - 30 * DAY - 1 - i }),
        );
        const edge = usageRow(700, { requestId: 'edge-30d', createdAt: NOW - 30 * DAY });
        await store.repository.insertBatch([...ALL_ROWS, ...old, edge]);
        const retention = new UsageRetention(
          store.repository,
          { ...DEFAULT_USAGE_SETTINGS, retentionDays: 30 },
          clock,
        );

        // 6,000 past the limit plus the 40-day-old row; the row exactly 30 days old stays.
        expect(await retention.runOnce(NOW)).toBe(6_001);
        expect(await store.repository.count()).toBe(44); // 44 − out-40d + edge-30d
        expect(await store.repository.findByRequestId('out-40d')).toBeUndefined();
        expect(await store.repository.findByRequestId('old-0')).toBeUndefined();
        expect(await store.repository.findByRequestId('edge-30d')).toBeDefined();
        expect(await store.repository.findByRequestId('out-10d')).toBeDefined();
        expect(await retention.runOnce(NOW)).toBe(0);
        // A minute later the edge row is past the limit too.
        expect(await retention.runOnce(NOW + MINUTE)).toBe(1);
      });
    });
  });
});

/** The three bucket-edge rows as stored (their generated fields included). */
async function edgeRows(store: TestUsageStore): Promise<UsageRow[]> {
  const rows = await Promise.all(
    ['edge-0', 'edge-1', 'edge-2'].map((id) => store.repository.findByRequestId(id)),
  );
  return rows.filter((row): row is UsageRow => row !== undefined);
}
