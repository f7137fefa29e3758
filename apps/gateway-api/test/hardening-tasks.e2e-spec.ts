import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import type { TaskJobView } from '@ai-gateway/resume';
import { promises as dns } from 'node:dns';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import OpenAI from 'openai';
import { PARSE_ANSWER, SAMPLE_RESUME_TEXT } from '@ai-gateway/resume/testing';
import { pollUntil } from './gateway-process';
import type { TestGateway } from './harness';
import { apiErrorOf, startGateway } from './harness';

const MODEL = 'gpt-4o-mini';
const FLAKY = 'flaky-model';
const SECRET = 'whsec-hardening-tasks-0123456789';

jest.setTimeout(30_000);

/**
 * Issue 13, items 9 and 12 through the HTTP API (jobs run in-process, as without Redis):
 * webhooks never reach the gateway's own networks — refused at submit when the address is
 * literal, at send time when a name resolves there, a loopback receiver seeing nothing —
 * while an allow-listed loopback receiver is delivered to; and `POST /v1/tasks` that makes
 * a job is held to the caller's rate limits and to its per-key queue depth.
 */
describe('task hardening: webhook destinations and enqueue limits (e2e)', () => {
  let fake: FakeProviderServer;
  let closed: TestGateway;
  let open: TestGateway;
  let receiver: Server;
  let port: number;
  const received: string[] = [];

  const configWith = (webhooks: Record<string, unknown>) => ({
    providers: {
      openai: {
        kind: 'openai',
        baseUrl: `${fake.url}/openai/v1`,
        apiKeys: ['sk-openai-test'],
        models: [MODEL],
        maxRetries: 0,
      },
      flaky: {
        kind: 'openai-compatible',
        baseUrl: `${fake.url}/v1`,
        models: [FLAKY],
        maxRetries: 0,
      },
    },
    routes: { resume: { targets: [`openai/${MODEL}`] } },
    cache: { backend: 'disabled' },
    rateLimits: { users: { limited: { requestsPerMinute: 5 } } },
    tasks: {
      // A failed run waits a minute before its retry: the job stays open meanwhile.
      queue: { attempts: 2, backoffMs: 60_000, maxJobsPerKey: 6 },
      webhooks: { secret: SECRET, attempts: 2, backoffMs: 20, timeoutMs: 2_000, ...webhooks },
    },
  });

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
    receiver = createServer((req, res) => {
      received.push(req.url ?? '');
      req.resume();
      res.writeHead(200).end();
    });
    // Every local address, IPv4 and IPv6: whatever a refused webhook aimed at would land here.
    await new Promise<void>((resolve) => receiver.listen(0, '::', resolve));
    port = (receiver.address() as AddressInfo).port;
    closed = await startGateway(configWith({}));
    open = await startGateway(configWith({ allowedHosts: ['127.0.0.1'] }));
  });
  beforeEach(() => {
    fake.reset();
    fake.enqueue({ text: PARSE_ANSWER }, -1, { model: MODEL });
    fake.enqueue({ status: 503, errorMessage: 'busy' }, -1, { model: FLAKY });
  });
  afterAll(async () => {
    await closed?.close();
    await open?.close();
    await fake?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const clientOf = (gateway: TestGateway, user: string): OpenAI =>
    new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'unused',
      maxRetries: 0,
      defaultHeaders: { 'x-gateway-user': user },
    });
  /** `gateway_task_webhooks_total` by outcome, from the gateway's /metrics. */
  async function webhookOutcomes(gateway: TestGateway): Promise<Record<string, number>> {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const count = (outcome: string): number =>
      Number(
        new RegExp(`^gateway_task_webhooks_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(
          text,
        )?.[1] ?? 0,
      );
    return { delivered: count('delivered'), retried: count('retried'), failed: count('failed') };
  }

  /** Jobs on the closed gateway in `state`, else in every state. */
  async function totalJobs(state?: string): Promise<number> {
    const states = state ? [state] : ['queued', 'running', 'retrying', 'completed', 'failed'];
    const lists = await Promise.all(
      states.map((s) =>
        clientOf(closed, 'admin').get<{ data: unknown[] }>(`/jobs?state=${s}&limit=100`),
      ),
    );
    return lists.reduce((n, list) => n + list.data.length, 0);
  }
  const parse = (extra: Record<string, unknown> = {}) => ({
    type: 'parse',
    input: { resumeText: SAMPLE_RESUME_TEXT },
    ...extra,
  });

  it.each([
    'http://127.0.0.1:PORT/a',
    'http://localhost:PORT/b',
    'http://[::1]:PORT/c',
    'http://0x7f000001:PORT/d',
    'http://2130706433:PORT/e',
    'http://127.1:PORT/f',
    'http://0.0.0.0:PORT/g',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://10.0.0.1/h',
    'http://192.168.1.1/i',
    'http://127.0.0.1:6379/',
    'http://[::ffff:127.0.0.1]:PORT/j',
  ])('refuses webhook_url %s with a 400 and makes no job', async (template) => {
    const url = template.replace('PORT', String(port));
    const error = await apiErrorOf(
      clientOf(closed, 'hooks').post('/tasks', { body: parse({ webhook_url: url }) }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe('webhook_url');
    const jobs = await clientOf(closed, 'hooks').get<{ data: unknown[] }>('/jobs?state=queued');
    expect(jobs.data).toEqual([]);
    expect(received).toEqual([]);
  });

  it('resolves a name at send time and never connects when it resolves to loopback', async () => {
    const name = hostname();
    const addresses = await dns.lookup(name, { all: true });
    // The machine's own name resolves to a local address (here: /etc/hosts → 127.0.0.1).
    expect(addresses.every((a) => /^(127\.|::1$)/.test(a.address))).toBe(true);
    const job = await clientOf(closed, 'hooks').post<TaskJobView>('/tasks', {
      body: parse({ webhook_url: `http://${name}:${port}/by-name` }),
    });
    // The delivery is given up at once (a refused destination is not retried).
    await pollUntil(
      () => webhookOutcomes(closed),
      (outcomes) => outcomes.failed >= 1,
      { timeoutMs: 15_000, everyMs: 20 },
    );
    expect(await webhookOutcomes(closed)).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(job.webhookUrl).toBe(`http://${name}:${port}/by-name`);
    expect(received).toEqual([]);
  });

  it('delivers to a loopback receiver the allow-list names', async () => {
    const job = await clientOf(open, 'hooks').post<TaskJobView>('/tasks', {
      body: parse({ webhook_url: `http://127.0.0.1:${port}/allowed` }),
    });
    await pollUntil(
      () => Promise.resolve(received.length),
      (n) => n >= 1,
      { timeoutMs: 15_000, everyMs: 20 },
    );
    expect(received).toEqual(['/allowed']);
    expect(job.webhookUrl).toBe(`http://127.0.0.1:${port}/allowed`);
    received.length = 0;
  });

  it('holds POST /v1/tasks to the caller: 5 requests/minute enqueue 5 jobs, the rest 429 with Retry-After', async () => {
    const client = clientOf(closed, 'limited');
    const before = await totalJobs();
    const completedBefore = await totalJobs('completed');
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () =>
        client
          .post<TaskJobView>('/tasks', { body: parse({ async: true }) })
          .withResponse()
          .then(
            ({ response }) => ({ status: response.status, error: undefined }),
            (error: InstanceType<typeof OpenAI.APIError>) => ({ status: error.status, error }),
          ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 202)).toHaveLength(5);
    const refused = outcomes.filter((o) => o.status === 429);
    expect(refused).toHaveLength(7);
    for (const { error } of refused) {
      expect(error?.code).toBe('rate_limit_exceeded');
      expect(Number(error?.headers?.get('retry-after'))).toBeGreaterThan(0);
    }
    // Auth is off: the job list shows every job; the burst added exactly five.
    expect(await totalJobs()).toBe(before + 5);
    // Their runs are not charged again: all five complete within the same minute.
    await pollUntil(
      () => totalJobs('completed'),
      (n) => n >= completedBefore + 5,
      { timeoutMs: 15_000, everyMs: 20 },
    );
  });

  it('refuses a key at its queue-depth cap with a 429 while another key still enqueues', async () => {
    const flooder = clientOf(closed, 'flooder');
    // Each run fails (503) and waits a minute for its retry: the jobs stay open.
    for (let i = 0; i < 6; i++) {
      const { response } = await flooder
        .post('/tasks', { body: parse({ async: true, model: `flaky/${FLAKY}` }) })
        .withResponse();
      expect(response.status).toBe(202);
    }
    const full = await apiErrorOf(
      flooder.post('/tasks', { body: parse({ async: true, model: `flaky/${FLAKY}` }) }),
    );
    expect(full.status).toBe(429);
    expect(full.code).toBe('rate_limit_exceeded');
    expect(full.message).toContain('tasks.queue.maxJobsPerKey');
    expect(Number(full.headers?.get('retry-after'))).toBeGreaterThan(0);

    const { response } = await clientOf(closed, 'someone-else')
      .post('/tasks', { body: parse({ async: true }) })
      .withResponse();
    expect(response.status).toBe(202);
  });
});
