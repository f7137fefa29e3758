import { Logger } from '@nestjs/common';
import type { UsageRepository } from '../usage.repository';
import { DEFAULT_USAGE_SETTINGS } from '../usage-settings';
import {
  RETENTION_INTERVAL_MS,
  RETENTION_START_DELAY_MS,
  UsageRetention,
} from './usage-retention.service';

const NOW = 1_763_769_600_000;

/** A repository whose database is down: every read rejects, counted. */
function downRepository(): { repository: UsageRepository; reads: () => number } {
  let reads = 0;
  const repository = {
    reader: () => {
      reads++;
      return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    },
  } as unknown as UsageRepository;
  return { repository, reads: () => reads };
}

describe(UsageRetention.name, () => {
  let warn: jest.SpyInstance;
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn');
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const retentionOf = (repository: UsageRepository): UsageRetention =>
    new UsageRetention(
      repository,
      { ...DEFAULT_USAGE_SETTINGS, retentionDays: 7 },
      {
        now: () => NOW,
      },
    );

  it('logs a database outage and resolves with 0, never rejecting', async () => {
    const { repository } = downRepository();
    await expect(retentionOf(repository).runOnce()).resolves.toBe(0);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        msg: 'usage retention failed; retried at the next run',
        error: 'connect ECONNREFUSED 127.0.0.1:5432',
      }),
    );
  });

  it('joins a run still going instead of starting a second one', async () => {
    const { repository, reads } = downRepository();
    const retention = retentionOf(repository);
    const [a, b] = [retention.runOnce(), retention.runOnce()];
    expect(a).toBe(b);
    await a;
    expect(reads()).toBe(1);
  });

  it('holds the process open with none of its timers', () => {
    const retention = retentionOf(downRepository().repository);
    retention.onApplicationBootstrap();
    const timers = retention as unknown as { startTimer: NodeJS.Timeout };
    expect(timers.startTimer.hasRef()).toBe(false);
    retention.onApplicationShutdown();
  });

  it('runs after the start-up delay, then every hour, until shut down', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { repository, reads } = downRepository();
    const retention = retentionOf(repository);
    retention.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(RETENTION_START_DELAY_MS - 1);
    expect(reads()).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(reads()).toBe(1);
    const timers = retention as unknown as { intervalTimer: NodeJS.Timeout };
    expect(timers.intervalTimer.hasRef()).toBe(false);

    await jest.advanceTimersByTimeAsync(RETENTION_INTERVAL_MS);
    expect(reads()).toBe(2);
    await jest.advanceTimersByTimeAsync(RETENTION_INTERVAL_MS);
    expect(reads()).toBe(3);

    retention.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(3 * RETENTION_INTERVAL_MS);
    expect(reads()).toBe(3);
  });

  it('schedules nothing more when shut down before the first run', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { repository, reads } = downRepository();
    const retention = retentionOf(repository);
    retention.onApplicationBootstrap();
    retention.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(RETENTION_START_DELAY_MS + RETENTION_INTERVAL_MS);
    expect(reads()).toBe(0);
  });
});
