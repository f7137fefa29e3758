import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import { RedisConnection } from '../redis/redis-connection.service';
import { CLOCK, systemClock } from '../shared/clock';
import { redisTestConfig } from '../resilience/redis-breaker.fixtures';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { UsageBuffer } from './usage-buffer';
import { USAGE_BUFFER } from './usage-buffer';
import { DEFAULT_USAGE_SETTINGS, USAGE_SETTINGS } from './usage-settings';
import { UsageWriter } from './usage-writer.service';
import { countRows, dropSchema, TEST_DATABASE_URL, usageRow } from './usage.fixtures';
import { usageProviders } from './usage.providers';

describe('usageProviders with PostgreSQL and Redis', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('migrates PostgreSQL at start, buffers in Redis, and flushes on shutdown', async () => {
    const schema = `usage_test_${randomBytes(6).toString('hex')}`;
    const moduleRef = await Test.createTestingModule({
      providers: [
        { provide: GatewayConfigService, useValue: redisTestConfig() },
        RedisConnection,
        GatewayMetrics,
        { provide: CLOCK, useValue: systemClock },
        ...usageProviders,
      ],
    })
      .overrideProvider(USAGE_SETTINGS)
      .useValue({
        ...DEFAULT_USAGE_SETTINGS,
        databaseUrl: TEST_DATABASE_URL,
        schema,
        flushIntervalMs: 60_000,
      })
      .compile();
    try {
      await moduleRef.init();
      expect(moduleRef.get<UsageBuffer>(USAGE_BUFFER).kind).toBe('redis');
      const writer = moduleRef.get(UsageWriter);
      for (let n = 0; n < 7; n++) writer.record(usageRow(n));
      await moduleRef.close();
      expect(await countRows(schema)).toEqual({ rows: 7, duplicates: 0 });
    } finally {
      await dropSchema(schema);
    }
  });
});
