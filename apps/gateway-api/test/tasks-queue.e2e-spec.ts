import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { TaskQueueName } from '@ai-gateway/resume';
import type { TaskJobView } from '@ai-gateway/resume';
import { Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PARSE_ANSWER, SAMPLE_RESUME_TEXT } from '@ai-gateway/resume/testing';
import { GatewayProcess, WORKER_MAIN, pollUntil } from './gateway-process';
import { REDIS_URL } from './test-redis';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const JOBS = 500;
const CONCURRENCY = 10;
const MODEL = 'gpt-4o-mini';

/** The queue's Redis connection as BullMQ takes it (the test reads the queue directly). */
const CONNECTION = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

interface Scenario {
  prefix: string;
  schema: string;
  gateway: GatewayProcess;
  workers: GatewayProcess[];
  queue: Queue;
  events: QueueEvents;
  /** `completed` events per job id, as BullMQ published them. */
  completions: Map<string, number>;
}

/**
 * Issue 7, must-show 2: 500 jobs through the HTTP API, processed by two worker
 * processes — all complete, none twice (results, completion events and usage rows
 * counted) — and again with one worker killed (`SIGKILL`) mid-run: the other recovers its
 * jobs (stalled-job recovery) and each result is still stored once.
 */
describe('task jobs across two worker processes (e2e)', () => {
  let fake: FakeProviderServer;
  let db: DataSource;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
    db = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
    await db.initialize();
  });

  afterEach(async () => {
    while (cleanup.length > 0) await cleanup.pop()!().catch(() => undefined);
    fake.reset();
  });

  afterAll(async () => {
    await db.destroy();
    await fake.close();
  });

  async function start(latencyMs: number): Promise<Scenario> {
    const id = randomUUID().slice(0, 8);
    const prefix = `e2e-tasks-${id}`;
    const schema = `tasks_queue_${id}`;
    await db.query(`CREATE SCHEMA "${schema}"`);
    cleanup.push(() => db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    fake.enqueue({ text: PARSE_ANSWER, latencyMs }, -1, { model: MODEL });
    const config = {
      providers: {
        openai: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: ['sk-openai-test'],
          models: [MODEL],
          modelInfo: { [MODEL]: { inputCostPerMTok: 0.15, outputCostPerMTok: 0.6 } },
        },
      },
      routes: { resume: { targets: [`openai/${MODEL}`] } },
      // Every job must reach the provider: the calls are what is counted.
      cache: { backend: 'disabled' },
      redis: { keyPrefix: `${prefix}:` },
      usage: { schema, flushIntervalMs: 100 },
      tasks: {
        queue: { prefix, attempts: 3, backoffMs: 200 },
        worker: {
          concurrency: CONCURRENCY,
          lockDurationMs: 2_000,
          stalledIntervalMs: 1_000,
          maxStalledCount: 5,
        },
      },
    };
    const env = { REDIS_URL, DATABASE_URL };
    const gateway = await GatewayProcess.start({ name: 'gateway', config, env });
    cleanup.push(() => gateway.stop());
    const workers = await Promise.all(
      ['worker-A', 'worker-B'].map((name) =>
        GatewayProcess.start({
          name,
          config,
          env: { ...env, WORKER_SHUTDOWN_TIMEOUT_MS: '5000' },
          main: WORKER_MAIN,
          portVariable: 'WORKER_PORT',
        }),
      ),
    );
    for (const worker of workers) cleanup.push(() => worker.stop());
    const queue = new Queue(TaskQueueName.TASKS, { connection: CONNECTION, prefix });
    const events = new QueueEvents(TaskQueueName.TASKS, { connection: CONNECTION, prefix });
    await events.waitUntilReady();
    const completions = new Map<string, number>();
    events.on('completed', ({ jobId }) =>
      completions.set(jobId, (completions.get(jobId) ?? 0) + 1),
    );
    cleanup.push(async () => {
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    });
    return { prefix, schema, gateway, workers, queue, events, completions };
  }

  /** Enqueues the jobs through `POST /v1/tasks` (`async: true`), 25 requests at a time. */
  async function enqueue(gateway: GatewayProcess): Promise<string[]> {
    const ids: string[] = [];
    for (let batch = 0; batch < JOBS; batch += 25) {
      const views = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          gateway.client.post<TaskJobView>('/tasks', {
            body: {
              type: 'parse',
              // Distinct inputs: every job is its own request to the provider.
              input: { resumeText: `${SAMPLE_RESUME_TEXT}\nReference: ${batch + i}` },
              async: true,
            },
          }),
        ),
      );
      ids.push(...views.map((view) => view.id));
    }
    return ids;
  }

  async function completedCount(queue: Queue): Promise<number> {
    return (await queue.getJobCounts('completed')).completed ?? 0;
  }

  /** Usage rows per job (request ids are `<job id>_r<run>_<random>`). */
  async function usageRowsPerJob(schema: string): Promise<Map<string, number>> {
    const rows = await db.query<Array<{ job: string; n: number }>>(
      `SELECT split_part(request_id, '_r', 1) AS job, count(*)::int AS n
         FROM "${schema}".usage_log WHERE task = 'parse' AND status = 'ok' GROUP BY 1`,
    );
    return new Map(rows.map((row) => [row.job, row.n]));
  }

  async function expectAllCompletedOnce(s: Scenario, ids: string[]): Promise<void> {
    expect(new Set(ids).size).toBe(JOBS);
    await pollUntil(
      () => completedCount(s.queue),
      (n) => n >= JOBS,
      {
        timeoutMs: 180_000,
        everyMs: 250,
      },
    );
    const counts = await s.queue.getJobCounts('failed', 'waiting', 'active', 'delayed');
    expect(counts).toMatchObject({ failed: 0, waiting: 0, active: 0, delayed: 0 });
    // Each job's result, read through the API, is the validated parse output.
    for (const id of ids) {
      const job = await s.gateway.client.get<TaskJobView>(`/jobs/${id}`);
      expect(job).toMatchObject({ id, state: 'completed', progress: 100 });
      expect(job.result?.output).toMatchObject({
        resume: { basics: { name: 'Richard Hendriks' } },
      });
    }
    // BullMQ stored each result once: one `completed` event per job, no more.
    await pollUntil(
      () => Promise.resolve(s.completions.size),
      (n) => n >= JOBS,
      { timeoutMs: 10_000, everyMs: 50 },
    );
    expect([...s.completions.keys()].sort()).toEqual([...ids].sort());
    expect([...s.completions.values()].every((n) => n === 1)).toBe(true);
  }

  it('runs 500 jobs on two workers: all complete, each once', async () => {
    const s = await start(5);
    const ids = await enqueue(s.gateway);
    await expectAllCompletedOnce(s, ids);

    const rows = await pollUntil(
      () => usageRowsPerJob(s.schema),
      (perJob) => perJob.size >= JOBS,
      { timeoutMs: 20_000, everyMs: 200 },
    );
    // One provider call and one usage row per job: nothing ran twice.
    expect([...rows.keys()].sort()).toEqual([...ids].sort());
    expect([...rows.values()].every((n) => n === 1)).toBe(true);
    expect(fake.requests.filter((r) => r.model === MODEL)).toHaveLength(JOBS);
    // Both workers took a share.
    for (const worker of s.workers) expect(worker.output).toContain('worker started');
  }, 300_000);

  it('still completes every job once when one worker is killed mid-run', async () => {
    // A slow model, so the kill lands while many jobs are still waiting or running.
    const s = await start(300);
    const ids = await enqueue(s.gateway);
    await pollUntil(
      () => completedCount(s.queue),
      (n) => n >= 100,
      {
        timeoutMs: 120_000,
        everyMs: 50,
      },
    );
    const killed = await s.workers[0].kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(await completedCount(s.queue)).toBeLessThan(JOBS);

    await expectAllCompletedOnce(s, ids);

    const rows = await pollUntil(
      () => usageRowsPerJob(s.schema),
      (perJob) => perJob.size >= JOBS,
      { timeoutMs: 20_000, everyMs: 200 },
    );
    expect([...rows.keys()].sort()).toEqual([...ids].sort());
    // A job the killed worker had in flight ran again on the other (a second, real
    // provider call, logged as such); at most the killed worker's concurrency did.
    const reruns = [...rows.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(reruns).toBeLessThanOrEqual(CONCURRENCY);
    expect([...rows.values()].every((n) => n >= 1 && n <= 2)).toBe(true);
  }, 300_000);
});
