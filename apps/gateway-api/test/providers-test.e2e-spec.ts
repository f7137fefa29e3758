import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { UsageWriter } from '@ai-gateway/core';
import { UsageRepository } from '@ai-gateway/core/testing';
import OpenAI from 'openai';
import type { TestGateway } from './harness';
import { apiErrorOf, startGateway } from './harness';

const ADMIN_KEY = 'admin-selftest-canary-0123456789';
const PROVIDER_KEY = 'sk-selftest-provider-canary-5a4b3c2d';

/** One row of the report, as the client sees it. */
interface SelfTestRow {
  provider: string;
  kind: string;
  model: string | null;
  status: 'ok' | 'error' | 'skipped';
  latencyMs: number | null;
  usage: { prompt: number; completion: number } | null;
  costUsd: number | null;
  fake: boolean;
  validJson?: boolean;
  requestId?: string;
  error?: { code: string; message: string };
  reason?: string;
}

interface SelfTestBody {
  object: 'list';
  data: SelfTestRow[];
  summary: { ok: number; error: number; skipped: number };
}

/**
 * `GET /v1/providers/test` (admin): a tiny prompt through every configured model of every
 * enabled provider, each answer (or failure) reported with latency, tokens and cost.
 */
describe('GET /v1/providers/test (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let admin: OpenAI;

  beforeAll(async () => {
    fake = await startFakeProvider();
    const provider = (model: string) => ({
      kind: 'openai-compatible',
      baseUrl: `${fake.url}/v1`,
      apiKeys: [PROVIDER_KEY],
      models: [model],
      maxRetries: 0,
      modelInfo: { [model]: { inputCostPerMTok: 2.5, outputCostPerMTok: 10 } },
    });
    gateway = await startGateway({
      providers: {
        healthy: provider('h-model'),
        broken: provider('b-model'),
        bare: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1` },
        retired: { ...provider('r-model'), enabled: false },
      },
      auth: { adminKey: ADMIN_KEY, hashSecret: 'hash-secret-for-tests-0123456789' },
    });
    admin = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: ADMIN_KEY, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const selfTest = (query?: Record<string, string>) =>
    admin.get<SelfTestBody>('/providers/test', { query });

  it('reports a healthy model with latency, tokens and exact cost, and a failing one as a result', async () => {
    fake.enqueue(
      { text: '{"ok":true}', usage: { prompt: 1_234, completion: 567 }, latencyMs: 25 },
      1,
      { model: 'h-model' },
    );
    fake.enqueue(
      { status: 500, errorMessage: `upstream broke for ${PROVIDER_KEY}`, latencyMs: 10 },
      1,
      { model: 'b-model' },
    );

    const body = await selfTest();

    expect(body.object).toBe('list');
    expect(body.summary).toEqual({ ok: 1, error: 1, skipped: 1 });
    const [healthy, broken, bare] = body.data;
    expect(body.data).toHaveLength(3); // the disabled provider is not tested
    expect(healthy).toEqual({
      provider: 'healthy',
      kind: 'openai-compatible',
      model: 'h-model',
      status: 'ok',
      latencyMs: expect.any(Number),
      usage: { prompt: 1_234, completion: 567 },
      // 1,234 × $2.50/M + 567 × $10/M = $0.003085 + $0.005670
      costUsd: 0.008755,
      fake: false,
      validJson: true,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(healthy.latencyMs).toBeGreaterThanOrEqual(25);
    expect(broken).toMatchObject({
      provider: 'broken',
      model: 'b-model',
      status: 'error',
      usage: null,
      costUsd: null,
      error: { code: 'server_error', message: expect.stringContaining('upstream broke for') },
    });
    expect(broken.latencyMs).toBeGreaterThanOrEqual(10);
    expect(bare).toMatchObject({ provider: 'bare', model: null, status: 'skipped' });
    expect(bare.reason).toContain('providers.bare.models');
    // Neither the provider key (quoted back in the upstream error) nor the admin key leaks.
    expect(JSON.stringify(body)).not.toContain(PROVIDER_KEY);
    expect(JSON.stringify(body)).not.toContain(ADMIN_KEY);

    // One provider call per model, to the explicit provider only (no fallback).
    expect(fake.requests.map((r) => r.model).sort()).toEqual(['b-model', 'h-model']);

    // Each call went through the real request path: its usage row carries the task.
    await gateway.app.get(UsageWriter).flush();
    const usage = gateway.app.get(UsageRepository);
    expect(await usage.findByRequestId(healthy.requestId!)).toMatchObject({
      task: 'self-test',
      provider: 'healthy',
      model: 'h-model',
      promptTokens: 1_234,
      completionTokens: 567,
      costMicroUsd: 8_755,
      status: 'ok',
    });
    expect(await usage.findByRequestId(broken.requestId!)).toMatchObject({
      task: 'self-test',
      provider: 'broken',
      status: 'server_error',
    });
  });

  it('tests only the provider named in ?provider=', async () => {
    const body = await selfTest({ provider: 'healthy', timeoutMs: '5000' });
    expect(body.data.map((row) => [row.provider, row.status])).toEqual([['healthy', 'ok']]);
    expect(body.data[0].validJson).toBe(false); // the fake echoes "ping" when unscripted
    expect(fake.requests.map((r) => r.model)).toEqual(['h-model']);
  });

  it('gives up on a model past ?timeoutMs= and reports a timeout', async () => {
    fake.enqueue({ latencyMs: 3_000 }, 1, { model: 'h-model' });
    const body = await selfTest({ provider: 'healthy', timeoutMs: '200' });
    expect(body.data[0]).toMatchObject({ status: 'error', error: { code: 'timeout' } });
    expect(body.data[0].latencyMs).toBeGreaterThanOrEqual(200);
    expect(body.data[0].latencyMs).toBeLessThan(3_000);
  });

  it('is admin-only: 401 without a key and with a wrong one, and nothing is called', async () => {
    const anonymous = await fetch(`${gateway.url}/v1/providers/test`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      error: {
        message: expect.any(String),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
    const wrong = await apiErrorOf(gateway.client.get('/providers/test'));
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(wrong.code).toBe('invalid_api_key');
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    [{ timeoutMs: 'soon' }, 'timeoutMs'],
    [{ timeoutMs: '999999' }, 'timeoutMs'],
    [{ provider: 'nope' }, 'provider'],
    [{ model: 'h-model' }, 'model'],
  ])('answers 400 in OpenAI shape for the query %j', async (query, param) => {
    const error = await apiErrorOf(selfTest(query));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe(param);
    expect(error.code).toBe('invalid_request');
    expect(fake.requests).toHaveLength(0);
  });
});
