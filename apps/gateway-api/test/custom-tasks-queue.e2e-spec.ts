import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { TaskQueueName } from '@ai-gateway/resume';
import type { TaskJobView } from '@ai-gateway/resume';
import { Queue } from 'bullmq';
import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import {
  INVENTED_EVIDENCE,
  INVOICE_CHECK_YAML,
  PASS_ANSWER,
  SOUND_INVOICE,
} from './custom-tasks.fixtures';
import { GatewayProcess, WORKER_MAIN, pollUntil } from './gateway-process';
import { DATABASE_URL } from './harness';
import { REDIS_URL } from './test-redis';

const GEMINI = 'gemini-2.0-flash';
const OPENAI = 'gpt-4o-mini';
const CONNECTION = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
const WEBHOOK_SECRET = 'whsec-custom-tasks-0123456789';

/**
 * Issue 14: the YAML-only `invoice_check` queued through the deployed path — the gateway
 * process enqueues on BullMQ, a worker process (both run from dist/ with the same
 * `tasks.definitions`) runs it, including the repair and the fallback to the next
 * provider, writes one usage row per model call under the task's name, and delivers the
 * signed completion webhook (BullMQ retrying it after the receiver's 503).
 */
describe('a YAML task as a job on the worker (e2e)', () => {
  let fake: FakeProviderServer;
  let db: DataSource;
  let hooks: Server;
  let hookUrl: string;
  const hookStatuses = [503];
  const deliveries: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body });
        res.writeHead(hookStatuses.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks/invoices`;
    db = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
    await db.initialize();
  });
  afterAll(async () => {
    while (cleanup.length > 0) await cleanup.pop()!().catch(() => undefined);
    await db.destroy();
    await fake.close();
    await new Promise((resolve) => hooks.close(resolve));
  });

  it('runs invoice_check on a worker: repair, next provider, result, usage rows, webhook', async () => {
    const id = randomUUID().slice(0, 8);
    const prefix = `e2e-custom-tasks-${id}`;
    const schema = `custom_tasks_${id}`;
    await db.query(`CREATE SCHEMA "${schema}"`);
    cleanup.push(() => db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    const provider = (kind: string, path: string, key: string, model: string) => ({
      kind,
      baseUrl: `${fake.url}${path}`,
      apiKeys: [key],
      models: [model],
      maxRetries: 0,
      modelInfo: { [model]: { inputCostPerMTok: 0.1, outputCostPerMTok: 0.4 } },
    });
    const config = {
      providers: {
        gemini: provider('gemini', '/gemini', 'gemini-test', GEMINI),
        openai: provider('openai', '/openai/v1', 'sk-openai-test', OPENAI),
      },
      routes: { invoices: { targets: [`gemini/${GEMINI}`, `openai/${OPENAI}`] } },
      cache: { backend: 'disabled' },
      redis: { keyPrefix: `${prefix}:` },
      usage: { schema, flushIntervalMs: 100 },
      tasks: {
        definitions: [INVOICE_CHECK_YAML],
        routes: { invoice_check: 'invoices' },
        queue: { prefix, attempts: 2, backoffMs: 100 },
        // The test's receiver listens on loopback, which webhooks reach only when listed.
        webhooks: {
          secret: WEBHOOK_SECRET,
          attempts: 3,
          backoffMs: 50,
          allowedHosts: ['127.0.0.1'],
        },
      },
    };
    const env = { REDIS_URL, DATABASE_URL };
    const gateway = await GatewayProcess.start({ name: 'gateway', config, env });
    cleanup.push(() => gateway.stop());
    const worker = await GatewayProcess.start({
      name: 'worker',
      config,
      env,
      main: WORKER_MAIN,
      portVariable: 'WORKER_PORT',
    });
    cleanup.push(() => worker.stop());
    cleanup.push(async () => {
      for (const name of [TaskQueueName.TASKS, TaskQueueName.WEBHOOKS]) {
        const queue = new Queue(name, { connection: CONNECTION, prefix });
        await queue.obliterate({ force: true });
        await queue.close();
      }
    });
    expect(worker.output).toMatch(/"tasks":\["parse","score","optimize","test","invoice_check"\]/);

    fake.enqueue({ text: JSON.stringify(INVENTED_EVIDENCE) }, 2, { model: GEMINI });
    fake.enqueue({ text: JSON.stringify(PASS_ANSWER) }, 1, { model: OPENAI });
    const response = await fetch(`${gateway.url}/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'invoice_check',
        input: { invoiceText: SOUND_INVOICE },
        webhook_url: hookUrl,
      }),
    });
    expect(response.status).toBe(202);
    const { id: jobId } = (await response.json()) as TaskJobView;

    const job = await pollUntil(
      () => gateway.client.get<TaskJobView>(`/jobs/${jobId}`),
      (view) => view.state === 'completed' || view.state === 'failed',
      { timeoutMs: 30_000, everyMs: 50 },
    );
    expect(job).toMatchObject({
      state: 'completed',
      attempts: 1,
      result: { type: 'invoice_check', output: PASS_ANSWER, model: { provider: 'openai' } },
    });
    expect(job.result?.calls.map((c) => [c.provider, c.repair, c.outcome])).toEqual([
      ['gemini', false, 'invalid'],
      ['gemini', true, 'invalid'],
      ['openai', false, 'valid'],
    ]);

    // One usage row per model call, under the task's name and the job's id.
    const rows = await pollUntil(
      () =>
        db.query<Array<{ provider: string; request_id: string }>>(
          `SELECT provider, request_id FROM "${schema}".usage_log
            WHERE task = 'invoice_check' ORDER BY created_at, request_id`,
        ),
      (found) => found.length >= 3,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect(rows.map((row) => row.provider)).toEqual(['gemini', 'gemini', 'openai']);
    expect(rows.every((row) => row.request_id.startsWith(`${jobId}_r1_`))).toBe(true);

    // The completion webhook: refused once (503), delivered by BullMQ's retry, signed.
    await pollUntil(
      () => Promise.resolve(deliveries.length),
      (n) => n >= 2,
      { timeoutMs: 20_000, everyMs: 20 },
    );
    expect(deliveries).toHaveLength(2);
    for (const { headers, body } of deliveries) {
      expect(headers['x-gateway-delivery']).toBe(`${jobId}:completed`);
      const [t, v1] = String(headers['x-gateway-signature']).split(',');
      const mac = createHmac('sha256', WEBHOOK_SECRET)
        .update(`${t.slice('t='.length)}.${body}`)
        .digest('hex');
      expect(v1).toBe(`v1=${mac}`);
      expect(JSON.parse(body)).toMatchObject({
        id: jobId,
        state: 'completed',
        result: { type: 'invoice_check', output: PASS_ANSWER },
      });
    }
  }, 120_000);
});
