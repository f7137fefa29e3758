import { Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { RedisConnection } from '../redis/redis-connection.service';
import { systemClock } from '../shared/clock';
import { connectTestRedis, dropTestKeys } from '../resilience/redis-breaker.fixtures';
import { FileUsageBuffer } from './file-usage.buffer';
import { RedisUsageBuffer } from './redis-usage.buffer';
import { TcpProxy } from '../testing/tcp-proxy';
import type { UsageBuffer } from './usage-buffer';
import type { TestUsageStore } from './usage.fixtures';
import { countRows, openPostgresTestStore, usageRow } from './usage.fixtures';
import { counterValue } from './usage-writer.fixtures';
import { UsageWriter } from './usage-writer.service';
import { UsageMetrics } from './usage.metrics';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds or `ms` passes; returns the last value seen. */
async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  let value = await read();
  while (!check(value) && Date.now() < until) {
    await sleep(100);
    value = await read();
  }
  return value;
}

describe(`${UsageWriter.name} during a PostgreSQL outage`, () => {
  let proxy: TcpProxy;
  let store: TestUsageStore;
  let metrics: GatewayMetrics;
  let writer: UsageWriter | undefined;
  let cleanup: Array<() => Promise<void>>;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(async () => {
    cleanup = [];
    proxy = new TcpProxy(5432);
    await proxy.start();
    store = await openPostgresTestStore(proxy.url());
    metrics = new GatewayMetrics();
  });
  afterEach(async () => {
    await writer?.close(1_000);
    writer = undefined;
    await proxy.stop();
    await store.close();
    for (const step of cleanup) await step();
  });

  const startWriter = (buffer: UsageBuffer): UsageWriter => {
    writer = new UsageWriter(store.repository, buffer, new UsageMetrics(metrics), systemClock, {
      batchSize: 50,
      flushIntervalMs: 50,
      retryBaseMs: 50,
      retryMaxMs: 250,
      sweepIntervalMs: 0,
    });
    writer.onApplicationBootstrap();
    return writer;
  };

  /**
   * 1,500 rows: 300 before the outage, 1,000 while the proxy is down (2 s of traffic,
   * then 1 s more of outage), 200 right after it is back (the writer still thinks the
   * database is down until its next probe, so those go through the buffer too).
   */
  async function outage(w: UsageWriter, buffer: UsageBuffer): Promise<void> {
    for (let n = 0; n < 300; n++) w.record(usageRow(n));
    await eventually(
      () => store.repository.count(),
      (c) => c === 300,
    );
    await proxy.stop();
    for (let step = 0; step < 20; step++) {
      for (let n = 0; n < 50; n++) w.record(usageRow(300 + step * 50 + n));
      await sleep(100);
    }
    await sleep(1_000);
    expect(w.status.databaseDown).toBe(true);
    expect(await buffer.size()).toBe(1_000);
    expect(await countRows(store.schema!)).toEqual({ rows: 300, duplicates: 0 });
    await proxy.start();
    for (let n = 1_300; n < 1_500; n++) w.record(usageRow(n));
  }

  it('loses nothing and duplicates nothing with the Redis buffer', async () => {
    const redis: RedisConnection = await connectTestRedis();
    cleanup.push(async () => {
      await dropTestKeys(redis);
      await redis.onModuleDestroy();
    });
    const buffer = new RedisUsageBuffer(redis, systemClock, { limit: 10_000 });
    await outage(startWriter(buffer), buffer);
    const seen = await eventually(
      () => countRows(store.schema!),
      (c) => c.rows >= 1_500,
    );
    expect(seen).toEqual({ rows: 1_500, duplicates: 0 });
    expect(await buffer.size()).toBe(0);
    expect(await counterValue(metrics, 'gateway_usage_rows_buffered_total')).toBeGreaterThanOrEqual(
      1_000,
    );
    expect(await counterValue(metrics, 'gateway_usage_rows_dropped_total')).toBe(0);
  });

  it('loses nothing and duplicates nothing with the file buffer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'usage-outage-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const buffer = new FileUsageBuffer(join(dir, 'buffer.jsonl'), 10_000);
    await outage(startWriter(buffer), buffer);
    const seen = await eventually(
      () => countRows(store.schema!),
      (c) => c.rows >= 1_500,
    );
    expect(seen).toEqual({ rows: 1_500, duplicates: 0 });
    expect(await buffer.size()).toBe(0);
    expect(await counterValue(metrics, 'gateway_usage_rows_dropped_total')).toBe(0);
  });

  it('drops what does not fit the buffer bound, counts it, and writes the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'usage-outage-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const buffer = new FileUsageBuffer(join(dir, 'buffer.jsonl'), 100);
    const w = startWriter(buffer);
    await proxy.stop();
    for (let n = 0; n < 250; n++) w.record(usageRow(n));
    await w.flush();
    expect(
      await counterValue(metrics, 'gateway_usage_rows_dropped_total', { reason: 'buffer_full' }),
    ).toBe(150);
    expect(await metrics.render()).toContain(
      'gateway_usage_rows_dropped_total{reason="buffer_full"} 150',
    );
    await proxy.start();
    const seen = await eventually(
      () => countRows(store.schema!),
      (c) => c.rows >= 100,
    );
    expect(seen).toEqual({ rows: 100, duplicates: 0 });
  });

  it('adds nothing when the buffer replays rows already stored (a crash between insert and ack)', async () => {
    const redis: RedisConnection = await connectTestRedis();
    cleanup.push(async () => {
      await dropTestKeys(redis);
      await redis.onModuleDestroy();
    });
    const buffer = new RedisUsageBuffer(redis, systemClock, { limit: 10_000 });
    const rows = Array.from({ length: 120 }, (_, n) => usageRow(n));
    await store.repository.insertBatch(rows.slice(0, 100));
    await buffer.push(rows);
    startWriter(buffer);
    await eventually(
      () => buffer.size(),
      (size) => size === 0,
    );
    expect(await countRows(store.schema!)).toEqual({ rows: 120, duplicates: 0 });
  });

  it('starts with the database down, buffers, then opens and migrates it when it comes up', async () => {
    await proxy.stop();
    const late = await openPostgresTestStore(proxy.url(), { migrate: false });
    cleanup.push(() => late.close());
    const dir = await mkdtemp(join(tmpdir(), 'usage-outage-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const buffer = new FileUsageBuffer(join(dir, 'buffer.jsonl'), 10_000);
    await late.database.onModuleInit();
    writer = new UsageWriter(late.repository, buffer, new UsageMetrics(metrics), systemClock, {
      batchSize: 50,
      flushIntervalMs: 50,
      retryBaseMs: 50,
      retryMaxMs: 250,
      sweepIntervalMs: 0,
    });
    writer.onApplicationBootstrap();
    for (let n = 0; n < 200; n++) writer.record(usageRow(n));
    await writer.flush();
    expect(await buffer.size()).toBe(200);
    await proxy.start();
    // The table does not exist until the writer's first successful open migrates it.
    const read = () => countRows(late.schema!).catch(() => ({ rows: 0, duplicates: 0 }));
    const seen = await eventually(read, (c) => c.rows >= 200);
    expect(seen).toEqual({ rows: 200, duplicates: 0 });
  });
});
