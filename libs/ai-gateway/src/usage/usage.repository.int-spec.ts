import { Logger } from '@nestjs/common';
import type { TestUsageStore } from './usage.fixtures';
import {
  openPostgresTestStore,
  openSqljsTestStore,
  usageRow,
  openFileTestStore,
} from './usage.fixtures';
import { EMBEDDED_ROW_LIMIT, UsageRepository } from './usage.repository';

describe(UsageRepository.name, () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  describe.each([
    ['PostgreSQL', () => openPostgresTestStore()],
    ['sql.js', () => openSqljsTestStore()],
    ['the file store', () => openFileTestStore()],
  ])('on %s', (_name, open: () => Promise<TestUsageStore>) => {
    let store: TestUsageStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores a row and reads back every field as written', async () => {
      const row = usageRow(7, {
        ttftMs: 42,
        stream: true,
        streamCompleted: false,
        costMicroUsd: 9_007_199_254,
        budgetNote: 'anthropic skipped: daily cap reached',
        promptText: 'What is in this CV?\n  – «quotes», emoji 🎉',
        status: 'timeout',
        errorCode: 'timeout',
      });
      await store.repository.insertBatch([row]);
      expect(await store.repository.findByRequestId('req-7')).toEqual(row);
    });

    it('keeps text with quotes, backslashes, braces, commas and emoji intact', async () => {
      const tricky = "a\"b\\c{d},e NULL 'f'\n🚀";
      const row = usageRow(3, { model: tricky, budgetNote: tricky, fallbackChain: 'NULL' });
      await store.repository.insertBatch([row]);
      expect(await store.repository.findByRequestId('req-3')).toEqual(row);
    });

    it('keeps nulls as nulls (unpriced, no provider)', async () => {
      const row = usageRow(1, {
        costMicroUsd: null,
        priced: false,
        provider: null,
        model: null,
        fallbackChain: null,
      });
      await store.repository.insertBatch([row]);
      expect(await store.repository.findByRequestId('req-1')).toEqual(row);
    });

    it('ignores a request id already stored: replays never duplicate', async () => {
      await store.repository.insertBatch([usageRow(1), usageRow(2)]);
      await store.repository.insertBatch([usageRow(2, { latencyMs: 999 }), usageRow(3)]);
      await store.repository.insertBatch([usageRow(1), usageRow(2), usageRow(3)]);
      expect(await store.repository.count()).toBe(3);
      expect((await store.repository.findByRequestId('req-2'))?.latencyMs).toBe(120);
    });

    it('writes a batch larger than one statement holds', async () => {
      const rows = Array.from({ length: 2_500 }, (_, i) => usageRow(i));
      await store.repository.insertBatch(rows);
      expect(await store.repository.count()).toBe(2_500);
    });
  });

  describe('the in-memory embedded store', () => {
    it('keeps the newest rows up to its bound, inserting them when read', async () => {
      const store = await openSqljsTestStore();
      try {
        const total = EMBEDDED_ROW_LIMIT + 4_321;
        for (let start = 0; start < total; start += 500) {
          const rows = Array.from({ length: Math.min(500, total - start) }, (_, i) =>
            usageRow(start + i, { createdAt: 1_700_000_000_000 + start + i }),
          );
          await store.repository.insertBatch(rows);
        }
        expect(await store.repository.count()).toBe(EMBEDDED_ROW_LIMIT);
        expect(await store.repository.findByRequestId(`req-${total - 1}`)).toBeDefined();
        expect(await store.repository.findByRequestId('req-0')).toBeUndefined();
        // Rows accepted after a read are inserted at the next read.
        await store.repository.insertBatch([usageRow(total, { createdAt: 1_800_000_000_000 })]);
        expect(await store.repository.findByRequestId(`req-${total}`)).toBeDefined();
      } finally {
        await store.close();
      }
    });
  });
});
