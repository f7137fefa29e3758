import type { GatewayConfig } from '@ai-gateway/core';
import { tasksConfigOf } from '../config/tasks.section';
import type { RedisOptions } from 'ioredis';

/** The queue's driver for this config: `auto` is BullMQ when there is a Redis to use. */
export function queueDriverOf(config: GatewayConfig): 'bullmq' | 'in-process' {
  const { driver, redisUrl } = tasksConfigOf(config).queue;
  if (driver !== 'auto') return driver;
  return (redisUrl ?? config.redis?.url) ? 'bullmq' : 'in-process';
}

/**
 * ioredis options from a `redis://` / `rediss://` URL (BullMQ takes options, not URLs).
 * `producer`: no offline queue, so an enqueue while Redis is down fails fast (503) instead
 * of waiting; workers keep ioredis's defaults and reconnect on their own.
 */
export function queueRedisOptions(
  config: GatewayConfig,
  role: 'producer' | 'worker',
): RedisOptions {
  const raw = tasksConfigOf(config).queue.redisUrl ?? config.redis?.url;
  if (!raw) throw new Error('the task queue has no Redis URL');
  const url = new URL(raw);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    connectTimeout: 2_000,
    ...(role === 'producer' ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 } : {}),
    // Required by BullMQ for blocking worker connections; harmless for the producer's.
    ...(role === 'worker' ? { maxRetriesPerRequest: null } : {}),
  };
}
