import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { AiGatewayService, UsageWriter } from '@ai-gateway/core';
import type { UsageRequestsPage, UsageSummary } from '@ai-gateway/core';
import type { TestGateway } from './harness';
import { startGateway } from './harness';

const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };

/** The calls sent: id, caller, model, usage the fake reports. */
const CALLS = [
  { id: 'usage-e2e-1', user: 'alice', model: 'cheap/c-model', prompt: 1_000, completion: 200 },
  { id: 'usage-e2e-2', user: 'alice', model: 'cheap/c-model', prompt: 2_000, completion: 100 },
  { id: 'usage-e2e-3', user: 'bob', model: 'cheap/c-model', prompt: 500, completion: 50 },
  { id: 'usage-e2e-4', user: 'bob', model: 'unknown/u-model', prompt: 300, completion: 30 },
];

/** Issue 4 (part): `GET /v1/usage/summary` and `/v1/usage/requests` over the usage log. */
describe('usage analytics (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  /** x-gateway-cost-usd of each call, in micro-dollars (null: unpriced). */
  const costs = new Map<string, number | null>();

  const get = async (path: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${gateway.url}${path}`);
    return { status: response.status, body: await response.json() };
  };

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      providers: {
        cheap: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          models: ['c-model'],
          maxRetries: 0,
          modelInfo: { 'c-model': { inputCostPerMTok: 2.5, outputCostPerMTok: 10 } },
        },
        unknown: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['u-model'] },
      },
    });
    for (const call of CALLS) {
      fake.enqueue({ usage: { prompt: call.prompt, completion: call.completion } });
      const { response } = await gateway.client.chat.completions
        .create(
          { model: call.model, ...ask },
          { headers: { 'x-request-id': call.id, 'x-gateway-user': call.user } },
        )
        .withResponse();
      const cost = response.headers.get('x-gateway-cost-usd');
      costs.set(call.id, cost === 'unpriced' ? null : Math.round(Number(cost) * 1_000_000));
    }
    await gateway.app.get(UsageWriter).flush();
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it('sums each user’s requests, tokens and cost (the cost headers, to the micro-dollar)', async () => {
    // 1,000 × $2.50/M + 200 × $10/M = $0.0045; 2,000 / 100 → $0.006; 500 / 50 → $0.00175.
    expect([...costs.values()]).toEqual([4_500, 6_000, 1_750, null]);
    const { status, body } = await get('/v1/usage/summary?period=24h&groupBy=user');
    expect(status).toBe(200);
    const summary = body as UsageSummary;
    expect(summary.groupBy).toBe('user');
    expect(Date.parse(summary.period.to) - Date.parse(summary.period.from)).toBe(86_400_000);
    expect(summary.groups).toEqual([
      expect.objectContaining({
        key: 'alice',
        requests: 2,
        promptTokens: 3_000,
        completionTokens: 300,
        totalTokens: 3_300,
        costUsd: (costs.get('usage-e2e-1')! + costs.get('usage-e2e-2')!) / 1_000_000,
        unpricedRequests: 0,
        errorRate: 0,
      }),
      expect.objectContaining({
        key: 'bob',
        requests: 2,
        promptTokens: 800,
        completionTokens: 80,
        totalTokens: 880,
        costUsd: costs.get('usage-e2e-3')! / 1_000_000,
        unpricedRequests: 1, // the unpriced model's call: never counted as $0 silently
        errorRate: 0,
      }),
    ]);
    expect(summary.groups.map((g) => g.costUsd)).toEqual([0.0105, 0.00175]);
  });

  it('pages through the requests newest first, two at a time', async () => {
    const first = await get('/v1/usage/requests?limit=2');
    expect(first.status).toBe(200);
    const page = first.body as UsageRequestsPage;
    expect(page.data.map((row) => [row.clientRequestId, row.userId, row.costUsd])).toEqual([
      ['usage-e2e-4', 'bob', null],
      ['usage-e2e-3', 'bob', 0.00175],
    ]);
    expect(page.data[0]).toMatchObject({
      provider: 'unknown',
      model: 'u-model',
      promptTokens: 300,
      completionTokens: 30,
      status: 'ok',
      priced: false,
    });
    expect(Number.isNaN(Date.parse(page.data[0].createdAt))).toBe(false);
    expect(typeof page.nextCursor).toBe('string');

    const second = (await get(`/v1/usage/requests?limit=2&cursor=${page.nextCursor}`))
      .body as UsageRequestsPage;
    expect(second.data.map((row) => row.clientRequestId)).toEqual(['usage-e2e-2', 'usage-e2e-1']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('serves the same figures to a host app through gateway.analytics', async () => {
    const http = (await get('/v1/usage/summary?period=24h')).body as UsageSummary;
    const library = await gateway.app.get(AiGatewayService).analytics.summary({ period: '24h' });
    expect(library.groups).toEqual(http.groups);
    expect(library.groups[0]).toMatchObject({ key: null, requests: 4, costUsd: 0.01225 });
  });

  it.each([
    ['groupBy=users', 'groupBy', "Invalid 'groupBy': use time or one of"],
    ['period=2h', 'period', "Invalid 'period': use one of 1h, 24h, 7d, 30d"],
    ['period=24h&from=2025-01-01', 'period', "Invalid 'period': give either"],
    ['from=2025-02-01&to=2025-01-01', 'from', "Invalid 'from': must be before 'to'"],
    ['from=2024-01-01&to=2025-06-01', 'to', "Invalid 'to': at most 366 days"],
    ['from=yesterday', 'from', "Invalid 'from': an ISO-8601 time"],
    ['user=a&user=b', 'user', "Invalid 'user': give it once"],
    ['colour=red', 'colour', "Unknown parameter 'colour'"],
  ])(
    'GET /v1/usage/summary?%s → 400 on %s in the OpenAI error shape',
    async (query, param, message) => {
      const { status, body } = await get(`/v1/usage/summary?${query}`);
      expect(status).toBe(400);
      expect(body).toEqual({
        error: {
          message: expect.stringContaining(message) as string,
          type: 'invalid_request_error',
          code: 'invalid_request',
          param,
        },
      });
    },
  );

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['groupBy=user', 'groupBy'],
  ])('GET /v1/usage/requests?%s → 400 on %s', async (query, param) => {
    const { status, body } = await get(`/v1/usage/requests?${query}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_request', param },
    });
  });
});
