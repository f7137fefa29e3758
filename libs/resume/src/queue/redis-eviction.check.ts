import type { OnApplicationBootstrap } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { TaskQueueName } from './task-job.types';

/** How long the start-up check waits for Redis (it never blocks the boot for longer). */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * Warns at start-up unless the queue's Redis has `maxmemory-policy noeviction`. Under
 * any other policy a Redis that fills up deletes keys it picks — a job's hash, its lock,
 * or an id in the wait list — and a job silently vanishes or runs twice. The response
 * cache wants the opposite (eviction), so the two should not share a Redis database.
 */
@Injectable()
export class RedisEvictionCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(RedisEvictionCheck.name);

  constructor(@InjectQueue(TaskQueueName.TASKS) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    const policy = await this.read();
    if (policy === 'noeviction') return;
    this.logger.warn({
      msg:
        policy === undefined
          ? 'could not read the task queue Redis maxmemory-policy (CONFIG GET refused or Redis down); it must be noeviction, or jobs can be lost'
          : `the task queue Redis has maxmemory-policy ${policy}: set it to noeviction, or jobs can be lost or run twice when Redis fills up (give the cache its own Redis database or server)`,
      policy,
    });
  }

  /** The policy, or undefined when Redis does not say in time. */
  async read(): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await Promise.race([
        this.queue.client.then((client) =>
          (client as unknown as Redis).config('GET', 'maxmemory-policy'),
        ),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
        }),
      ]);
      const pairs = reply as string[];
      return Array.isArray(pairs) && typeof pairs[1] === 'string' ? pairs[1] : undefined;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
