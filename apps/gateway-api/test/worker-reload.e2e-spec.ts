import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { TaskQueueName } from '@ai-gateway/resume';
import { PARSE_ANSWER, SAMPLE_RESUME_TEXT } from '@ai-gateway/resume/testing';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TestRedis } from './test-redis';
import { GatewayProcess, WORKER_MAIN, pollUntil } from './gateway-process';

const MODEL = 'gpt-4o-mini';

/**
 * A worker follows a hot reload too: a provider key rotated in the YAML reaches the calls
 * of its jobs after SIGHUP (and after a gateway's reload announced on Redis), without a
 * restart.
 */
describe('worker hot reload (e2e)', () => {
  let fake: FakeProviderServer;
  let dir: string;
  let worker: GatewayProcess | undefined;
  let queue: Queue;
  const prefix = `e2e-worker-reload-${randomUUID().slice(0, 8)}`;

  const configWith = (apiKey: string) => ({
    logging: { level: 'warn' },
    providers: {
      openai: {
        kind: 'openai',
        baseUrl: `${fake.url}/openai/v1`,
        apiKeys: [apiKey],
        models: [MODEL],
      },
    },
    routes: { resume: { targets: [`openai/${MODEL}`] } },
    cache: { backend: 'disabled' },
    redis: { url: 'redis://127.0.0.1:6379', keyPrefix: `${prefix}:` },
    tasks: { queue: { prefix, attempts: 1 } },
  });

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'worker-reload-'));
    queue = new Queue(TaskQueueName.TASKS, {
      connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null },
      prefix,
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    // The run's breaker, tenant and webhook-queue keys.
    await (await TestRedis.open(`${prefix}:`)).close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** One parse job, run to its end; the API key the provider saw. */
  async function keyOfNextJob(): Promise<string | undefined> {
    fake.clearRequests();
    fake.enqueue({ text: PARSE_ANSWER }, 1, { model: MODEL });
    const job = await queue.add(
      'parse',
      {
        type: 'parse',
        input: { resumeText: SAMPLE_RESUME_TEXT },
        requestHash: 'test',
        nonce: randomUUID(),
      },
      { jobId: `job_${randomUUID().replaceAll('-', '')}`, attempts: 1 },
    );
    const state = await pollUntil(
      () => job.getState(),
      (s) => s === 'completed' || s === 'failed',
      { timeoutMs: 20_000 },
    );
    expect(state).toBe('completed');
    return fake.requests.find((r) => r.model === MODEL)?.apiKey;
  }

  it('a rotated provider key is used by the next job after SIGHUP, the old one no longer', async () => {
    const file = join(dir, 'gateway.yaml');
    await writeFile(file, stringify(configWith('sk-old-key')));
    worker = await GatewayProcess.start({
      name: 'worker',
      config: {},
      configFile: file,
      main: WORKER_MAIN,
      portVariable: 'WORKER_PORT',
    });
    expect(await keyOfNextJob()).toBe('sk-old-key');

    await writeFile(file, stringify(configWith('sk-new-key')));
    worker.signal('SIGHUP');
    // The file watch may have reloaded it already; either way the next jobs use the new key.
    const seen = await pollUntil(
      () => keyOfNextJob(),
      (key) => key === 'sk-new-key',
      { timeoutMs: 20_000 },
    );
    expect(seen).toBe('sk-new-key');
    expect(await keyOfNextJob()).toBe('sk-new-key');
    // Still running: SIGHUP is a reload, not a shutdown.
    const health = await fetch(`${worker.url}/health/live`);
    expect(health.status).toBe(200);
  }, 90_000);
});
