import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Caller } from '@ai-gateway/core';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import type { TaskResult } from '../task-result';
import { tenantOf } from './task-job.identity';
import type { TaskJobData } from './task-job.types';
import { TaskQueueName } from './task-job.types';

/** A reservation whose job never appeared (its add failed) is forgotten after this. */
const ORPHAN_GRACE_MS = 60_000;
/** A key at its cap re-checks its jobs' states at most this often (bounded Redis work). */
const PRUNE_EVERY_MS = 1_000;
/** A tenant's set outlives its last enqueue by this much. */
const SET_TTL_MS = 7 * 24 * 3_600_000;

/**
 * One atomic step: a job id already reserved passes (an idempotent repeat); below the
 * cap the id is added; at the cap, the tenant's ids are checked against their jobs
 * (finished: `finishedOn` set by BullMQ; gone: removed) once per PRUNE_EVERY_MS, and
 * the id is added if that made room. Returns 1 when reserved, 0 when full.
 */
const RESERVE = `
local set, marker = KEYS[1], KEYS[2]
local prefix, id, now, cap = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('ZSCORE', set, id) then return 1 end
if redis.call('ZCARD', set) >= cap and redis.call('SET', marker, '1', 'PX', ARGV[7], 'NX') then
  local members = redis.call('ZRANGE', set, 0, -1, 'WITHSCORES')
  for i = 1, #members, 2 do
    local key = prefix .. members[i]
    if redis.call('HEXISTS', key, 'finishedOn') == 1
      or (redis.call('EXISTS', key) == 0 and tonumber(members[i + 1]) < now - tonumber(ARGV[5])) then
      redis.call('ZREM', set, members[i])
    end
  end
end
if redis.call('ZCARD', set) >= cap then return 0 end
redis.call('ZADD', set, now, id)
redis.call('PEXPIRE', set, ARGV[6])
return 1`;

/**
 * Which jobs each tenant (gateway key, else user) has open in the BullMQ queue, for the
 * per-key depth cap (`tasks.queue.maxJobsPerKey`). A sorted set per tenant beside the
 * queue's own keys holds its job ids; BullMQ's job hashes stay the truth about which
 * have finished, so nothing on the worker side needs to report back, and a crashed
 * worker or a removed job cannot leave the count stuck.
 */
@Injectable()
export class TenantJobsRepository {
  constructor(
    @InjectQueue(TaskQueueName.TASKS) private readonly queue: Queue<TaskJobData, TaskResult>,
  ) {}

  /** Reserves a place for job `id` of `caller`; false when the tenant has `cap` open jobs. */
  async reserve(
    caller: Caller | undefined,
    id: string,
    cap: number,
    now: number,
  ): Promise<boolean> {
    // BullMQ 5 connects through ioredis; its own client type leaves out EVAL.
    const client = (await this.queue.client) as unknown as Redis;
    const set = this.keyOf(caller);
    const reserved = await client.eval(
      RESERVE,
      2,
      set,
      `${set}:pruned`,
      `${this.queue.qualifiedName}:`,
      id,
      now,
      cap,
      ORPHAN_GRACE_MS,
      SET_TTL_MS,
      PRUNE_EVERY_MS,
    );
    return reserved === 1;
  }

  /** The tenant's open jobs as last counted (for tests and inspection). */
  async count(caller: Caller | undefined): Promise<number> {
    const client = (await this.queue.client) as unknown as Redis;
    return client.zcard(this.keyOf(caller));
  }

  private keyOf(caller: Caller | undefined): string {
    const tenant = createHash('sha256').update(tenantOf(caller)).digest('hex').slice(0, 32);
    return `${this.queue.qualifiedName}:tenant:${tenant}`;
  }
}
