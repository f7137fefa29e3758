// The task benchmark's side of the queue: adding jobs straight to BullMQ (a burst, or at
// a steady rate), waiting until the worker has finished them, reading their timestamps
// back from Redis, and removing every key of a run afterwards.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const { Queue } = require('bullmq');
const { default: Redis } = require('ioredis');

/** Jobs per `addBulk` call: one Lua round trip each, without one huge command. */
const BULK = 250;

/** The queue's wire name, from the compiled library (`TaskQueueName.TASKS`). */
export function taskQueueNames(root) {
  const { TaskQueueName } = require(join(root, 'dist/libs/resume/src/queue/task-job.types.js'));
  return { tasks: TaskQueueName.TASKS, webhooks: TaskQueueName.WEBHOOKS };
}

/** ioredis options for BullMQ from a `redis://host:port/db` URL. */
export function connectionOf(redisUrl) {
  const url = new URL(redisUrl);
  const db = Number(url.pathname.slice(1) || 0);
  return {
    host: url.hostname || '127.0.0.1',
    port: Number(url.port || 6379),
    ...(db > 0 ? { db } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    maxRetriesPerRequest: null,
  };
}

/** A BullMQ queue handle on `name` under `prefix` (the worker's `tasks.queue.prefix`). */
export function openQueue({ redisUrl, prefix, name }) {
  return new Queue(name, { connection: connectionOf(redisUrl), prefix });
}

/**
 * `count` parse jobs named `<phase>-<i>`, each with its own input (`inputOf(i)`), so no
 * two are the same request. One attempt: a failure shows as failed, never as a retry.
 */
export function parseJobs(phase, count, inputOf) {
  return Array.from({ length: count }, (_, i) => ({
    name: 'parse',
    data: { type: 'parse', input: inputOf(i), requestHash: `bench-${phase}`, nonce: `${i}` },
    opts: {
      jobId: `${phase}-${i}`,
      attempts: 1,
      removeOnComplete: false,
      removeOnFail: false,
    },
  }));
}

/** Adds `jobs` as fast as Redis takes them (no pause): for warm-ups. */
export async function addAll(queue, jobs) {
  for (let i = 0; i < jobs.length; i += BULK) await queue.addBulk(jobs.slice(i, i + BULK));
}

/**
 * A burst: the queue is paused while every job is added, then resumed, so the worker
 * meets the whole backlog at once and the measured rate is not the rate of adding.
 * Resolves with `releasedAt` (epoch ms, just before the resume).
 */
export async function addBurst(queue, jobs) {
  await queue.pause();
  await addAll(queue, jobs);
  const releasedAt = Date.now();
  await queue.resume();
  return { releasedAt };
}

/**
 * Adds `jobs` one by one at `perSecond`, each on its own schedule (t0 + i / rate), not
 * waiting for the previous add: a slow round trip never pushes the later ones back.
 * Resolves when all are added, with the rate actually reached.
 */
export async function addPaced(queue, jobs, perSecond) {
  const intervalMs = 1000 / perSecond;
  const adds = [];
  const t0 = performance.now();
  for (let i = 0; i < jobs.length; i++) {
    const due = t0 + i * intervalMs;
    const ahead = due - performance.now();
    if (ahead > 1) await sleep(ahead);
    const { name, data, opts } = jobs[i];
    adds.push(queue.add(name, data, opts));
  }
  await Promise.all(adds);
  const spanS = (performance.now() - t0) / 1000;
  return { achievedPerSecond: jobs.length > 1 && spanS > 0 ? (jobs.length - 1) / spanS : NaN };
}

/**
 * Polls the job counts until `total` jobs (of the whole run) are completed or failed.
 * Throws after `timeoutMs`, or as soon as `stillRunning()` says the worker is gone.
 */
export async function waitForFinished(queue, total, { timeoutMs, stillRunning, everyMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait', 'paused');
    if (counts.completed + counts.failed >= total) return counts;
    if (!stillRunning()) throw new Error('the worker exited while jobs were running');
    if (Date.now() > deadline) {
      throw new Error(
        `jobs not finished after ${timeoutMs / 1000} s: ${JSON.stringify(counts)} (expected ${total} finished)`,
      );
    }
    await sleep(everyMs);
  }
}

/**
 * Each job's timestamps (epoch ms: `timestamp` added, `processedOn` taken by the worker,
 * `finishedOn`) and outcome, read from Redis by id, 200 at a time.
 */
export async function readJobs(queue, ids) {
  const out = [];
  for (let i = 0; i < ids.length; i += 200) {
    const jobs = await Promise.all(ids.slice(i, i + 200).map((id) => queue.getJob(id)));
    for (const [k, job] of jobs.entries()) {
      if (!job) {
        out.push({ id: ids[i + k], missing: true });
        continue;
      }
      out.push({
        id: job.id,
        timestamp: job.timestamp,
        processedOn: job.processedOn,
        finishedOn: job.finishedOn,
        failedReason: job.failedReason || undefined,
      });
    }
  }
  return out;
}

/**
 * Removes a run's keys: each queue obliterated (with its jobs), then anything else left
 * under `prefix` (the worker's other Redis keys), by SCAN: a benchmark clean-up, not a
 * hot path.
 */
export async function dropRun({ redisUrl, prefix, queues }) {
  for (const queue of queues) {
    await queue.obliterate({ force: true });
    await queue.close();
  }
  const redis = new Redis(connectionOf(redisUrl));
  try {
    let removed = 0;
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
      if (keys.length) removed += await redis.unlink(...keys);
    }
    return removed;
  } finally {
    redis.disconnect();
  }
}
