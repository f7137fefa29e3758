import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { UsageDatabase } from '../database/usage-database.service';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import { RedisConnection } from '../redis/redis-connection.service';
import { CLOCK, systemClock } from '../shared/clock';
import type { UsageBuffer } from './usage-buffer';
import { USAGE_BUFFER } from './usage-buffer';
import { DEFAULT_USAGE_SETTINGS, USAGE_SETTINGS } from './usage-settings';
import { UsageWriter } from './usage-writer.service';
import { usageRow } from './usage.fixtures';
import { storeSettingsOf, usageProviders, usageSettingsOf } from './usage.providers';
import { UsageRepository } from './usage.repository';

describe('usageProviders', () => {
  let dir: string;
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'usage-providers-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fills the usage settings from defaults when the config has no usage section', () => {
    const config = loadGatewayConfig({ config: {}, env: {} });
    expect(usageSettingsOf(config)).toEqual(DEFAULT_USAGE_SETTINGS);
  });

  it.each([
    ['the file store (the default)', 'file'],
    ['sql.js in memory', 'memory'],
  ] as const)(
    'runs the embedded default on %s: migrated at start, memory buffer (an embedded store cannot go down), rows written',
    async (_name, store) => {
      const moduleRef = await Test.createTestingModule({
        providers: [
          {
            provide: GatewayConfigService,
            useValue: new GatewayConfigService(loadGatewayConfig({ config: {}, env: {} })),
          },
          RedisConnection,
          GatewayMetrics,
          { provide: CLOCK, useValue: systemClock },
          ...usageProviders,
        ],
      })
        .overrideProvider(USAGE_SETTINGS)
        .useValue({
          ...DEFAULT_USAGE_SETTINGS,
          store,
          dataDir: join(dir, 'data'),
          bufferFile: join(dir, 'buffer.jsonl'),
        })
        .compile();
      await moduleRef.init();
      try {
        expect(moduleRef.get<UsageBuffer>(USAGE_BUFFER).kind).toBe('memory');
        expect(moduleRef.get(UsageDatabase).kind).toBe(
          store === 'file' ? 'better-sqlite3' : 'sqljs',
        );
        const writer = moduleRef.get(UsageWriter);
        for (let n = 0; n < 5; n++) writer.record(usageRow(n));
        await writer.flush();
        expect(await moduleRef.get(UsageRepository).count()).toBe(5);
      } finally {
        await moduleRef.close();
      }
      // The file store is where the settings say, nowhere else.
      expect(existsSync(join(dir, 'data', 'gateway.sqlite'))).toBe(store === 'file');
    },
  );

  it('falls back to memory, loudly, when better-sqlite3 cannot be loaded', () => {
    expect(storeSettingsOf({ ...DEFAULT_USAGE_SETTINGS, store: 'memory' }).store).toBe('memory');
    expect(storeSettingsOf({ ...DEFAULT_USAGE_SETTINGS, databaseUrl: 'postgres://x' }).store).toBe(
      'file',
    );
    // Installed here: the file store stays.
    expect(storeSettingsOf({ ...DEFAULT_USAGE_SETTINGS }).store).toBe('file');
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      expect(storeSettingsOf({ ...DEFAULT_USAGE_SETTINGS }, () => false).store).toBe('memory');
      expect(JSON.stringify(warn.mock.calls)).toContain('better-sqlite3 is not installed');
    } finally {
      warn.mockRestore();
    }
  });
});
