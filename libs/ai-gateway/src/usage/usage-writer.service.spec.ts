import { Logger } from '@nestjs/common';
import { MemoryUsageBuffer } from './memory-usage.buffer';
import type { UsageBuffer } from './usage-buffer';
import { usageRow } from './usage.fixtures';
import { counterValue, createTestWriter, MemoryUsageSink } from './usage-writer.fixtures';
import { UsageWriter } from './usage-writer.service';

/** A durable buffer that is unreachable too (Redis down with the database). */
const BROKEN_BUFFER: UsageBuffer = {
  kind: 'broken',
  push: () => Promise.reject(new Error('redis down')),
  claim: () => Promise.reject(new Error('redis down')),
  ack: () => Promise.resolve(),
  release: () => Promise.resolve(),
  size: () => Promise.resolve(0),
};

describe(UsageWriter.name, () => {
  let sink: MemoryUsageSink;
  let buffer: MemoryUsageBuffer;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_763_769_600_000 });
    sink = new MemoryUsageSink();
    buffer = new MemoryUsageBuffer(1_000);
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const record = (writer: UsageWriter, from: number, count: number): void => {
    for (let i = from; i < from + count; i++) writer.record(usageRow(i));
  };

  describe('batching', () => {
    it('writes a full batch at once, without waiting for the timer', async () => {
      const { writer } = createTestWriter(sink, buffer, { batchSize: 3 });
      record(writer, 0, 7);
      await jest.advanceTimersByTimeAsync(0);
      expect(sink.batches).toEqual([3, 3]);
      expect(writer.status.pending).toBe(1);
    });

    it('writes a partial batch when flushIntervalMs has passed, not before', async () => {
      const { writer } = createTestWriter(sink, buffer, { batchSize: 10, flushIntervalMs: 1_000 });
      record(writer, 0, 4);
      await jest.advanceTimersByTimeAsync(999);
      expect(sink.batches).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(sink.batches).toEqual([4]);
    });

    it('times the partial batch from its first row', async () => {
      const { writer } = createTestWriter(sink, buffer, { batchSize: 10, flushIntervalMs: 1_000 });
      record(writer, 0, 1);
      await jest.advanceTimersByTimeAsync(600);
      record(writer, 1, 1);
      await jest.advanceTimersByTimeAsync(400);
      expect(sink.batches).toEqual([2]);
    });

    it('returns from record at once and never throws, even for a row without request id', async () => {
      const { writer, metrics } = createTestWriter(sink, buffer);
      expect(() => writer.record(usageRow(1, { requestId: '' }))).not.toThrow();
      expect(() => writer.record(null as never)).not.toThrow();
      await writer.flush();
      expect(sink.stored.size).toBe(0);
      expect(
        await counterValue(metrics, 'gateway_usage_rows_dropped_total', { reason: 'rejected' }),
      ).toBe(1);
    });

    it('cleans rows before writing: NaN counts become 0, long labels are cut', async () => {
      const { writer } = createTestWriter(sink, buffer);
      writer.record(
        usageRow(1, { latencyMs: Number.NaN, model: 'm'.repeat(1_000), costMicroUsd: 12.6 }),
      );
      await writer.flush();
      expect(sink.stored.get('req-1')).toMatchObject({ latencyMs: 0, costMicroUsd: 13 });
      expect(sink.stored.get('req-1')?.model).toHaveLength(256);
    });
  });

  describe('database outage', () => {
    it('keeps rows in the buffer while the database is down and writes them once when it returns', async () => {
      const { writer, metrics } = createTestWriter(sink, buffer, {
        batchSize: 3,
        retryBaseMs: 100,
      });
      sink.down = true;
      record(writer, 0, 10);
      await writer.flush();
      expect(writer.status.databaseDown).toBe(true);
      expect(await buffer.size()).toBe(10);
      expect(await counterValue(metrics, 'gateway_usage_rows_buffered_total')).toBe(10);

      await jest.advanceTimersByTimeAsync(5_000);
      expect(await buffer.size()).toBe(10);

      sink.down = false;
      await jest.advanceTimersByTimeAsync(1_000);
      expect(writer.status.databaseDown).toBe(false);
      expect(sink.stored.size).toBe(10);
      expect(await buffer.size()).toBe(0);
      expect(await counterValue(metrics, 'gateway_usage_rows_written_total')).toBe(10);
    });

    it('retries with a backoff that doubles up to retryMaxMs', async () => {
      const pings: number[] = [];
      const ping = sink.ping.bind(sink);
      sink.ping = () => {
        pings.push(Date.now() - 1_763_769_600_000);
        return ping();
      };
      const { writer } = createTestWriter(sink, buffer, {
        retryBaseMs: 100,
        retryMaxMs: 800,
        random: () => 0.999_999,
      });
      sink.down = true;
      record(writer, 0, 3);
      await jest.advanceTimersByTimeAsync(4_000);
      expect(pings[0]).toBe(100);
      const gaps = pings.slice(1).map((t, i) => t - pings[i]);
      expect(gaps.slice(0, 5)).toEqual([200, 400, 800, 800, 800]);
    });

    it('counts and drops the rows beyond the buffer bound, and writes the rest later', async () => {
      const small = new MemoryUsageBuffer(5);
      const { writer, metrics } = createTestWriter(sink, small, { batchSize: 4 });
      sink.down = true;
      record(writer, 0, 12);
      await writer.flush();
      expect(await small.size()).toBe(5);
      expect(
        await counterValue(metrics, 'gateway_usage_rows_dropped_total', { reason: 'buffer_full' }),
      ).toBe(7);
      sink.down = false;
      await jest.advanceTimersByTimeAsync(2_000);
      expect(sink.stored.size).toBe(5);
    });

    it('holds rows in memory when the buffer is down too, and writes them when the database returns', async () => {
      const { writer } = createTestWriter(sink, BROKEN_BUFFER, { batchSize: 3, memoryLimit: 100 });
      sink.down = true;
      record(writer, 0, 9);
      await jest.advanceTimersByTimeAsync(2_000);
      expect(writer.status.pending).toBe(9);
      sink.down = false;
      await jest.advanceTimersByTimeAsync(2_000);
      expect(sink.stored.size).toBe(9);
    });

    it('drops past the memory limit only when the buffer is unavailable too, and counts it', async () => {
      const { writer, metrics } = createTestWriter(sink, BROKEN_BUFFER, {
        batchSize: 3,
        memoryLimit: 6,
      });
      sink.down = true;
      record(writer, 0, 12);
      await jest.advanceTimersByTimeAsync(2_000);
      expect(writer.status.pending).toBe(6);
      expect(
        await counterValue(metrics, 'gateway_usage_rows_dropped_total', { reason: 'memory_full' }),
      ).toBe(6);
    });

    it('moves the oldest batch to the buffer when memory fills behind a slow database', async () => {
      let release: () => void = () => undefined;
      sink.insertBatch = () => new Promise<void>((resolve) => (release = resolve));
      const { writer, metrics } = createTestWriter(sink, buffer, { batchSize: 3, memoryLimit: 6 });
      record(writer, 0, 12);
      await jest.advanceTimersByTimeAsync(0);
      // 3 rows in the hung insert, 6 in memory (the limit), the oldest 3 queued moved out.
      expect(await buffer.size()).toBe(3);
      expect(writer.status.pending).toBe(6);
      expect(await counterValue(metrics, 'gateway_usage_rows_dropped_total')).toBe(0);
      release();
    });

    it('drops only the rows the database refuses as bad data', async () => {
      sink.refuse = (row) => row.requestId === 'req-1';
      const { writer, metrics } = createTestWriter(sink, buffer, { batchSize: 3 });
      record(writer, 0, 3);
      await writer.flush();
      expect([...sink.stored.keys()]).toEqual(['req-0', 'req-2']);
      expect(
        await counterValue(metrics, 'gateway_usage_rows_dropped_total', { reason: 'rejected' }),
      ).toBe(1);
      expect(writer.status.databaseDown).toBe(false);
    });

    it('drains rows left in the buffer by an earlier run when it starts', async () => {
      await buffer.push([usageRow(1), usageRow(2)]);
      const { writer } = createTestWriter(sink, buffer);
      writer.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(0);
      expect(sink.stored.size).toBe(2);
    });
  });

  describe('shutdown', () => {
    it('writes the pending partial batch on close', async () => {
      const { writer } = createTestWriter(sink, buffer, { batchSize: 10 });
      record(writer, 0, 4);
      await writer.close();
      expect(sink.stored.size).toBe(4);
    });

    it('moves pending rows to the buffer on close while the database is down', async () => {
      const { writer } = createTestWriter(sink, buffer, { batchSize: 10 });
      sink.down = true;
      record(writer, 0, 4);
      await writer.close();
      expect(await buffer.size()).toBe(4);
    });

    it('gives up waiting at the deadline and buffers what is left', async () => {
      const { writer } = createTestWriter(sink, buffer, { batchSize: 3 });
      sink.insertBatch = () => new Promise<void>(() => undefined);
      record(writer, 0, 7);
      const closing = writer.close(500);
      await jest.advanceTimersByTimeAsync(500);
      await closing;
      expect(writer.status.pending).toBe(0);
      expect(await buffer.size()).toBe(4);
    });

    it('sends rows recorded after close to the buffer', async () => {
      const { writer } = createTestWriter(sink, buffer);
      await writer.close();
      writer.record(usageRow(1));
      await jest.advanceTimersByTimeAsync(0);
      expect(await buffer.size()).toBe(1);
    });
  });
});
