import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { FakeProviderServer, FakeScript } from '@ai-gateway/fake-provider';
import type { TaskJobView, TaskResult } from '@ai-gateway/resume';
import { validate as validateJsonResume } from '@jsonresume/schema';
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  INVALID_JSON_ANSWER,
  JOB_DESCRIPTION,
  OPTIMIZE_ANSWER,
  OPTIMIZE_ANSWER_INVENTED_EMPLOYER,
  PARSE_ANSWER,
  SAMPLE_RESUME_TEXT,
  SCORE_ANSWER,
  SCORE_EXPECTED,
  TEST_ANSWER,
} from '@ai-gateway/resume/testing';
import { pollUntil } from './gateway-process';
import type { TestGateway } from './harness';
import { apiErrorOf, startGateway } from './harness';

const GEMINI = 'gemini-2.0-flash';
const OPENAI = 'gpt-4o-mini';
const ADMIN_KEY = 'admin-key-for-the-tasks-e2e';
const WEBHOOK_SECRET = 'whsec-tasks-e2e-0123456789';

type InlineResult = TaskResult & { object: 'task.result' };

/**
 * Issue 7, must-shows 1 and 3: each task end to end through `POST /v1/tasks` with the
 * official client, against the fake provider scripted with realistic model output
 * (Gemini first in the route, OpenAI second); invalid JSON once then valid; a provider
 * that keeps failing; an optimize answer that invents an employer; jobs, idempotency,
 * 400s, failed-job inspection and re-runs, and signed webhooks with retries. Without
 * Redis the jobs run in-process (the embedded default's driver).
 */
describe('resume tasks through the HTTP API (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let hooks: Server;
  let hookUrl: string;
  let hookStatuses: number[] = [];
  const deliveries: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

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
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks/tasks`;
    gateway = await startGateway({
      providers: {
        gemini: {
          kind: 'gemini',
          baseUrl: `${fake.url}/gemini`,
          apiKeys: ['gemini-test'],
          models: [GEMINI],
          maxRetries: 0,
          modelInfo: { [GEMINI]: { inputCostPerMTok: 0.1, outputCostPerMTok: 0.4 } },
        },
        openai: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: ['sk-openai-test'],
          models: [OPENAI],
          maxRetries: 0,
          modelInfo: { [OPENAI]: { inputCostPerMTok: 0.15, outputCostPerMTok: 0.6 } },
        },
      },
      routes: { resume: { targets: [`gemini/${GEMINI}`, `openai/${OPENAI}`] } },
      // Every task here must reach the provider (the cache's part is libs/resume's int-spec).
      cache: { backend: 'disabled' },
      auth: { adminKey: ADMIN_KEY, hashSecret: 'tasks-e2e-hash-secret-0123456789' },
      tasks: {
        queue: { attempts: 2, backoffMs: 20 },
        webhooks: {
          secret: WEBHOOK_SECRET,
          attempts: 3,
          backoffMs: 20,
          timeoutMs: 2_000,
          // The test receiver listens on loopback, which webhooks may not reach unless listed.
          allowedHosts: ['127.0.0.1'],
        },
      },
    });
  });

  afterEach(() => {
    fake.reset();
    deliveries.length = 0;
    hookStatuses = [];
  });

  afterAll(async () => {
    await gateway.close();
    await fake.close();
    await new Promise((resolve) => hooks.close(resolve));
  });

  const script = (model: string, s: FakeScript, times = 1): void =>
    fake.enqueue(s, times, { model });

  const runTask = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    gateway.client.post<InlineResult>('/tasks', { body, headers });

  const modelCalls = (model: string) =>
    fake.requests.filter((r) => r.operation === 'chat' && r.model === model);

  async function finished(id: string): Promise<TaskJobView> {
    return pollUntil(
      () => gateway.client.get<TaskJobView>(`/jobs/${id}`),
      (job) => job.state === 'completed' || job.state === 'failed',
      { timeoutMs: 20_000, everyMs: 20 },
    );
  }

  it('parse: repairs invalid JSON once, and the output validates against @jsonresume/schema', async () => {
    script(GEMINI, { text: INVALID_JSON_ANSWER });
    script(GEMINI, { text: PARSE_ANSWER });
    const result = await runTask({ type: 'parse', input: { resumeText: SAMPLE_RESUME_TEXT } });

    expect(result).toMatchObject({ object: 'task.result', type: 'parse' });
    expect(result.model).toEqual({ provider: 'gemini', model: GEMINI, fake: false });
    expect(result.calls.map((c) => [c.provider, c.repair, c.outcome])).toEqual([
      ['gemini', false, 'invalid'],
      ['gemini', true, 'valid'],
    ]);
    const output = result.output as { resume: unknown; confidence: Record<string, number> };
    const errors = await new Promise((resolve) =>
      validateJsonResume(output.resume, (err: unknown) => resolve(err)),
    );
    expect(errors).toBeNull();
    expect(Object.keys(output.confidence).length).toBeGreaterThan(0);
    for (const value of Object.values(output.confidence)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    // The repair went to the same model, with its bad answer and what was wrong with it.
    const [, repair] = modelCalls(GEMINI);
    expect(JSON.stringify(repair.body)).toContain('Your answer was rejected');
    expect(result.usage.totalTokens).toBeGreaterThan(0);
    expect(result.usage.costMicroUsd).toBeGreaterThan(0);
  });

  it('score: a provider that keeps failing falls back; the arithmetic is done in code', async () => {
    script(GEMINI, { status: 500 }, -1);
    script(OPENAI, { text: SCORE_ANSWER });
    const result = await runTask({
      type: 'score',
      input: { resumeText: SAMPLE_RESUME_TEXT, jobDescription: JOB_DESCRIPTION },
    });

    expect(result.model.provider).toBe('openai');
    expect(modelCalls(GEMINI).length).toBeGreaterThanOrEqual(1);
    expect(result.output).toMatchObject(SCORE_EXPECTED);
  });

  it('optimize: an answer that invents an employer is rejected; the next provider answers', async () => {
    script(GEMINI, { text: OPTIMIZE_ANSWER_INVENTED_EMPLOYER }, 2);
    script(OPENAI, { text: OPTIMIZE_ANSWER });
    const result = await runTask({
      type: 'optimize',
      input: { resumeText: SAMPLE_RESUME_TEXT, jobDescription: JOB_DESCRIPTION },
    });

    expect(result.calls.map((c) => [c.provider, c.repair, c.outcome])).toEqual([
      ['gemini', false, 'invalid'],
      ['gemini', true, 'invalid'],
      ['openai', false, 'valid'],
    ]);
    const output = result.output as { resume: { work: Array<{ name: string }> } };
    expect(JSON.stringify(output.resume)).not.toContain('"Globex');
    expect(output.resume.work.length).toBeGreaterThan(0);
  });

  it('optimize: when every provider invents, the caller gets invalid_model_output, never the JSON', async () => {
    script(GEMINI, { text: OPTIMIZE_ANSWER_INVENTED_EMPLOYER }, 2);
    script(OPENAI, { text: OPTIMIZE_ANSWER_INVENTED_EMPLOYER }, 2);
    const error = await apiErrorOf(
      runTask({
        type: 'optimize',
        input: { resumeText: SAMPLE_RESUME_TEXT, jobDescription: JOB_DESCRIPTION },
      }),
    );
    expect(error.status).toBe(502);
    expect(error.error).toMatchObject({ code: 'invalid_model_output', type: 'api_error' });
    expect(modelCalls(GEMINI)).toHaveLength(2);
    expect(modelCalls(OPENAI)).toHaveLength(2);
  });

  it('test: a skills test with the questions asked for', async () => {
    script(GEMINI, { text: TEST_ANSWER });
    const expected = (JSON.parse(TEST_ANSWER) as { questions: unknown[] }).questions.length;
    const result = await runTask({
      type: 'test',
      input: { resumeText: SAMPLE_RESUME_TEXT, jobDescription: JOB_DESCRIPTION, count: expected },
    });
    const output = result.output as {
      questions: Array<{
        question: string;
        skill: string;
        difficulty: string;
        expectedAnswerPoints: string[];
      }>;
    };
    expect(output.questions).toHaveLength(expected);
    for (const q of output.questions) {
      expect(q.skill).not.toBe('');
      expect(['easy', 'medium', 'hard']).toContain(q.difficulty);
      expect(q.expectedAnswerPoints.length).toBeGreaterThan(0);
    }
  });

  it('async: 202 with a job id, then the result by polling GET /v1/jobs/:id', async () => {
    script(GEMINI, { text: PARSE_ANSWER, latencyMs: 50 });
    const { data, response } = await gateway.client
      .post<TaskJobView>('/tasks', {
        body: { type: 'parse', input: { resumeText: SAMPLE_RESUME_TEXT }, async: true },
      })
      .withResponse();
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/v1/jobs/${data.id}`);
    expect(data).toMatchObject({ object: 'task.job', type: 'parse', state: 'queued' });

    const job = await finished(data.id);
    expect(job).toMatchObject({ state: 'completed', progress: 100, attempts: 1 });
    expect(job.result?.output).toMatchObject({ resume: { basics: { name: 'Richard Hendriks' } } });
  });

  it('the same Idempotency-Key twice makes one job; reused for another request it is a 409', async () => {
    script(GEMINI, { text: PARSE_ANSWER, latencyMs: 50 }, -1);
    const body = { type: 'parse', input: { resumeText: SAMPLE_RESUME_TEXT } };
    const headers = { 'Idempotency-Key': 'resume-upload-42' };
    const first = await gateway.client
      .post<TaskJobView>('/tasks', { body, headers })
      .withResponse();
    const second = await gateway.client
      .post<TaskJobView>('/tasks', { body, headers })
      .withResponse();
    expect(first.response.status).toBe(202);
    expect(second.response.status).toBe(200);
    expect(second.data.id).toBe(first.data.id);
    await finished(first.data.id);
    expect(modelCalls(GEMINI)).toHaveLength(1);

    const conflict = await apiErrorOf(
      gateway.client.post('/tasks', {
        body: { type: 'parse', input: { resumeText: `${SAMPLE_RESUME_TEXT}\nchanged` } },
        headers,
      }),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.error).toMatchObject({ code: 'idempotency_key_reused' });
  });

  it.each([
    ['a missing resume', { type: 'parse', input: {} }, 'input.resumeText'],
    ['an unknown type', { type: 'translate', input: {} }, 'type'],
    ['a bad async flag', { type: 'parse', input: { resumeText: 'cv' }, async: 'yes' }, 'async'],
    ['an unknown field', { type: 'parse', input: { resumeText: 'cv' }, priority: 1 }, 'priority'],
    [
      'a bad webhook URL',
      { type: 'parse', input: { resumeText: 'cv' }, webhook_url: 'ftp://x' },
      'webhook_url',
    ],
  ])('invalid input (%s) is a 400 at enqueue, never a job', async (_case, body, param) => {
    const error = await apiErrorOf(
      gateway.client.post('/tasks', { body: { async: true, ...body } }),
    );
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_request',
      param,
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('lists failed jobs and re-runs one for the admin', async () => {
    script(GEMINI, { text: OPTIMIZE_ANSWER_INVENTED_EMPLOYER }, 2);
    script(OPENAI, { text: OPTIMIZE_ANSWER_INVENTED_EMPLOYER }, 2);
    const job = await gateway.client.post<TaskJobView>('/tasks', {
      body: {
        type: 'optimize',
        input: { resumeText: SAMPLE_RESUME_TEXT, jobDescription: JOB_DESCRIPTION },
        async: true,
      },
    });
    const failed = await finished(job.id);
    // Invalid output is final: no retry spent on it.
    expect(failed).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'invalid_model_output', retryable: false },
    });
    const list = await gateway.client.get<{ data: TaskJobView[] }>('/jobs', {
      query: { state: 'failed' },
    });
    expect(list.data.map((j) => j.id)).toContain(job.id);

    const refused = await apiErrorOf(gateway.client.post(`/jobs/${job.id}/retry`));
    expect(refused.status).toBe(401);

    script(GEMINI, { text: OPTIMIZE_ANSWER });
    const rerun = await gateway.client
      .post<TaskJobView>(`/jobs/${job.id}/retry`, {
        headers: { Authorization: `Bearer ${ADMIN_KEY}` },
      })
      .withResponse();
    expect(rerun.response.status).toBe(202);
    expect(await finished(job.id)).toMatchObject({ state: 'completed' });
  });

  it('calls the webhook, signed, and retries it until the receiver takes it', async () => {
    script(GEMINI, { text: PARSE_ANSWER });
    hookStatuses = [503];
    const job = await gateway.client.post<TaskJobView>('/tasks', {
      body: { type: 'parse', input: { resumeText: SAMPLE_RESUME_TEXT }, webhook_url: hookUrl },
    });
    await pollUntil(
      () => Promise.resolve(deliveries.length),
      (n) => n >= 2,
      { timeoutMs: 10_000, everyMs: 10 },
    );
    expect(deliveries).toHaveLength(2);
    for (const { headers, body } of deliveries) {
      expect(headers['x-gateway-delivery']).toBe(`${job.id}:completed`);
      const [t, v1] = String(headers['x-gateway-signature']).split(',');
      const timestamp = t.slice('t='.length);
      const mac = createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${body}`).digest('hex');
      expect(v1).toBe(`v1=${mac}`);
      expect(JSON.parse(body)).toMatchObject({ id: job.id, state: 'completed' });
    }
  });
});
