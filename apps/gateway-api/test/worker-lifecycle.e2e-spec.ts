import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { TaskQueueName } from '@ai-gateway/resume';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { TcpProxy } from '@ai-gateway/core/testing';
import { PARSE_ANSWER, SAMPLE_RESUME_TEXT } from '@ai-gateway/resume/testing';
import { GatewayProcess, WORKER_MAIN, pollUntil } from './gateway-process';

const MODEL = 'gpt-4o-mini';
const CONNECTION = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

/**
 * Issue 7, worker reliability: on SIGTERM a worker stops taking jobs and finishes the
 * running ones; past its deadline it releases them to the queue (another worker runs
 * them, no attempt spent); with Redis gone it still exits within the deadline. The
 * start-up check warns about a Redis whose eviction policy can drop jobs.
 */
describe('worker shutdown and start-up (e2e)', () => {
  let fake: FakeProviderServer;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
  });
  afterEach(async () => {
    while (cleanup.length > 0) await cleanup.pop()!().catch(() => undefined);
    fake.reset();
  });
  afterAll(() => fake.close());

  function setup(redisPort = 6379): {
    prefix: string;
    queue: Queue;
    config: Record<string, unknown>;
  } {
    const prefix = `e2e-worker-${randomUUID().slice(0, 8)}`;
    const queue = new Queue(TaskQueueName.TASKS, { connection: CONNECTION, prefix });
    cleanup.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });
    const config = {
      providers: {
        openai: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: ['sk-openai-test'],
          models: [MODEL],
          timeoutMs: 60_000,
        },
      },
      routes: { resume: { targets: [`openai/${MODEL}`] } },
      cache: { backend: 'disabled' },
      redis: { url: `redis://127.0.0.1:${redisPort}`, keyPrefix: `${prefix}:` },
      tasks: {
        queue: { prefix, attempts: 3, backoffMs: 100 },
        worker: { concurrency: 2, lockDurationMs: 5_000, stalledIntervalMs: 5_000 },
      },
    };
    return { prefix, queue, config };
  }

  async function startWorker(
    config: Record<string, unknown>,
    shutdownMs: number,
  ): Promise<GatewayProcess> {
    const worker = await GatewayProcess.start({
      name: 'worker',
      config,
      env: { WORKER_SHUTDOWN_TIMEOUT_MS: String(shutdownMs) },
      main: WORKER_MAIN,
      portVariable: 'WORKER_PORT',
    });
    cleanup.push(() => worker.stop(1_000));
    return worker;
  }

  /** Adds one parse job straight to the queue (what `POST /v1/tasks` would enqueue). */
  async function addJob(queue: Queue): Promise<string> {
    const job = await queue.add(
      'parse',
      {
        type: 'parse',
        input: { resumeText: SAMPLE_RESUME_TEXT },
        requestHash: 'test',
        nonce: randomUUID(),
      },
      { jobId: `job_${randomUUID().replaceAll('-', '')}`, attempts: 3 },
    );
    return job.id!;
  }

  /** Adds a job and waits until the worker has taken it. */
  async function runningJob(queue: Queue): Promise<string> {
    const id = await addJob(queue);
    await pollUntil(
      () => stateOf(queue, id),
      (s) => s === 'active',
      { timeoutMs: 10_000, everyMs: 20 },
    );
    return id;
  }

  async function stateOf(queue: Queue, id: string): Promise<string> {
    return (await queue.getJob(id))!.getState();
  }

  it('finishes a running job on SIGTERM, then exits 0', async () => {
    const { queue, config } = setup();
    fake.enqueue({ text: PARSE_ANSWER, latencyMs: 1_500 }, -1, { model: MODEL });
    const worker = await startWorker(config, 20_000);
    const id = await runningJob(queue);

    const started = Date.now();
    const exit = await worker.kill('SIGTERM');
    expect(exit.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await stateOf(queue, id)).toBe('completed');
    expect(worker.output).toContain('"outcome":"finished"');
  }, 60_000);

  it('releases a job still running at the deadline, without spending an attempt', async () => {
    const { queue, config } = setup();
    fake.enqueue({ text: PARSE_ANSWER, latencyMs: 30_000 }, -1, { model: MODEL });
    const worker = await startWorker(config, 2_000);
    const id = await runningJob(queue);

    const started = Date.now();
    const exit = await worker.kill('SIGTERM');
    const tookMs = Date.now() - started;
    expect(exit.code).toBe(0);
    // The 2 s deadline, plus process exit on a loaded machine.
    expect(tookMs).toBeLessThan(2_000 + 3_000);
    expect(worker.output).toContain('"outcome":"released"');
    // Back in the wait list, for the next worker, with no attempt used.
    expect(await stateOf(queue, id)).toBe('waiting');
    expect((await queue.getJob(id))!.attemptsMade).toBe(0);

    fake.reset();
    fake.enqueue({ text: PARSE_ANSWER }, -1, { model: MODEL });
    await startWorker(config, 5_000);
    await pollUntil(
      () => stateOf(queue, id),
      (s) => s === 'completed',
      { timeoutMs: 20_000, everyMs: 50 },
    );
  }, 60_000);

  it('exits within its deadline when Redis is gone', async () => {
    const proxy = new TcpProxy(6379);
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const { queue, config } = setup(proxy.port);
    (config.tasks as { queue: Record<string, unknown> }).queue.redisUrl =
      `redis://127.0.0.1:${proxy.port}`;
    fake.enqueue({ text: PARSE_ANSWER, latencyMs: 30_000 }, -1, { model: MODEL });
    const worker = await startWorker(config, 3_000);
    const id = await runningJob(queue);

    await proxy.stop();
    const started = Date.now();
    const exit = await worker.kill('SIGTERM');
    expect(Date.now() - started).toBeLessThan(3_000 + 3_000);
    expect(exit.signal).toBeNull();
    // The job stays active (locked) until its lock lapses; stalled recovery takes it then.
    expect(['active', 'waiting']).toContain(await stateOf(queue, id));
  }, 60_000);

  it('warns at start-up unless Redis has maxmemory-policy noeviction', async () => {
    const { config } = setup();
    const probe = new Queue('policy-probe', { connection: CONNECTION });
    const client = (await probe.client) as unknown as Redis;
    const [, before] = (await client.config('GET', 'maxmemory-policy')) as [string, string];
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const worker = await startWorker(config, 2_000);
      await pollUntil(
        () => Promise.resolve(worker.output),
        (out) => out.includes('maxmemory-policy allkeys-lru'),
        { timeoutMs: 10_000, everyMs: 50 },
      );
    } finally {
      await client.config('SET', 'maxmemory-policy', before);
      await probe.close();
    }
  }, 60_000);
});
