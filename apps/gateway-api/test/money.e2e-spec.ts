import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { UsageWriter } from '@ai-gateway/core';
import { UsageRepository } from '@ai-gateway/core/testing';
import OpenAI from 'openai';
import type { TestGateway } from './harness';
import { apiErrorOf, startGateway } from './harness';

const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };

/** Issue 4 (part): costs from the price table, provider caps and caller budgets on the request path. */
describe('costs and budgets (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider();
    const priced = (model: string, extra: Record<string, unknown> = {}) => ({
      kind: 'openai-compatible',
      baseUrl: `${fake.url}/v1`,
      models: [model],
      maxRetries: 0,
      modelInfo: { [model]: { inputCostPerMTok: 2.5, outputCostPerMTok: 10 } },
      ...extra,
    });
    gateway = await startGateway({
      providers: {
        pricey: priced('p-model', { budget: { dailyUsd: 0.01 } }),
        cheap: priced('c-model'),
        unknown: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['u-model'] },
        luxury: {
          ...priced('l-model'),
          modelInfo: { 'l-model': { inputCostPerMTok: 100, outputCostPerMTok: 400 } },
        },
      },
      routes: {
        capped: { targets: ['pricey/p-model', 'cheap/c-model'] },
        premium: { targets: ['luxury/l-model', 'cheap/c-model'] },
      },
      budgets: { users: { alice: { dailyUsd: 0.01 } } },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('prices a call from the price table, to the micro-dollar, in the cost header', async () => {
    fake.enqueue({ usage: { prompt: 1_234, completion: 567 } });
    const { response } = await gateway.client.chat.completions
      .create({ model: 'cheap/c-model', ...ask })
      .withResponse();
    // 1,234 × $2.50/M + 567 × $10/M = $0.003085 + $0.005670 = $0.008755
    expect(response.headers.get('x-gateway-cost-usd')).toBe('0.008755');
  });

  it('writes one usage row per request with tokens, cost, price source and the trace', async () => {
    fake.enqueue({ usage: { prompt: 1_234, completion: 567 } });
    await gateway.client.chat.completions.create(
      { model: 'capped', ...ask },
      { headers: { 'x-request-id': 'money-row-1', 'x-gateway-user': 'bob' } },
    );
    await gateway.app.get(UsageWriter).flush();
    const row = await gateway.app.get(UsageRepository).findByClientRequestId('money-row-1');
    expect(row).toMatchObject({
      clientRequestId: 'money-row-1',
      userId: 'bob',
      route: 'capped',
      provider: 'cheap',
      model: 'c-model',
      promptTokens: 1_234,
      completionTokens: 567,
      costMicroUsd: 8_755,
      priced: true,
      priceSource: 'config',
      status: 'ok',
      attempts: 1, // calls sent; the skipped candidate is in the chain
      fallbackChain: 'pricey/p-model=skipped:budget_cap, cheap/c-model=ok',
      budgetNote: 'a provider over its budget cap was skipped',
      stream: false,
    });
  });

  it('says an unpriced model is unpriced, never $0', async () => {
    const { response } = await gateway.client.chat.completions
      .create({ model: 'unknown/u-model', ...ask })
      .withResponse();
    expect(response.headers.get('x-gateway-cost-usd')).toBe('unpriced');
  });

  it('skips a provider whose cap cannot take the worst case, and the chain goes on', async () => {
    // Worst case without max_tokens: 4,096 output tokens × $10/M ≈ $0.041 > the $0.01 daily cap.
    const { response } = await gateway.client.chat.completions
      .create({ model: 'capped', ...ask })
      .withResponse();
    expect(response.headers.get('x-gateway-provider')).toBe('cheap');
    expect(response.headers.get('x-gateway-trace')).toBe(
      'pricey/p-model=skipped:budget_cap, cheap/c-model=ok',
    );
    expect(fake.requests.filter((r) => r.model === 'p-model')).toHaveLength(0);

    // A small max_tokens fits the cap: the provider serves again.
    const small = await gateway.client.chat.completions
      .create({ model: 'capped', max_tokens: 100, ...ask })
      .withResponse();
    expect(small.response.headers.get('x-gateway-provider')).toBe('pricey');
  });

  it('a user over budget gets 429 budget_exceeded and no provider is called', async () => {
    const error = await apiErrorOf(
      gateway.client.chat.completions.create(
        { model: 'cheap/c-model', ...ask },
        { headers: { 'x-gateway-user': 'alice' } },
      ),
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('budget_exceeded');
    expect(error.message).toContain('user "alice" daily budget of $0.01');
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(0);

    // Within budget (small max_tokens), alice is served.
    const ok = await gateway.client.chat.completions.create(
      { model: 'cheap/c-model', max_tokens: 50, ...ask },
      { headers: { 'x-gateway-user': 'alice' } },
    );
    expect(ok.choices[0].message.content).toBe('hello');
  });

  it('maxCostPerRequest: a model whose worst case exceeds the cap is skipped', async () => {
    // max_tokens 100: luxury's worst case ≈ 100 × $400/M = $0.04 > $0.01; cheap's ≈ $0.001.
    const { response } = await gateway.client.chat.completions
      .create(
        { model: 'premium', max_tokens: 100, ...ask },
        { headers: { 'x-gateway-max-cost-usd': '0.01' } },
      )
      .withResponse();
    expect(response.headers.get('x-gateway-trace')).toBe(
      'luxury/l-model=skipped:max_cost, cheap/c-model=ok',
    );
    expect(fake.requests.map((r) => r.model)).toEqual(['c-model']);
    // Without the cap the first target serves.
    const open = await gateway.client.chat.completions
      .create({ model: 'premium', max_tokens: 100, ...ask })
      .withResponse();
    expect(open.response.headers.get('x-gateway-provider')).toBe('luxury');

    const bad = await apiErrorOf(
      gateway.client.chat.completions.create(
        { model: 'premium', ...ask },
        { headers: { 'x-gateway-max-cost-usd': 'cheap' } },
      ),
    );
    expect(bad.status).toBe(400);
    expect(bad.param).toBe('x-gateway-max-cost-usd');
  });

  it('a request refused before routing still gets its usage row', async () => {
    const refused = await apiErrorOf(
      gateway.client.chat.completions.create(
        { model: 'cheap/c-model', messages: [] },
        { headers: { 'x-request-id': 'money-refused-1', 'x-gateway-user': 'carol' } },
      ),
    );
    expect(refused.status).toBe(400);
    await gateway.app.get(UsageWriter).flush();
    expect(
      await gateway.app.get(UsageRepository).findByClientRequestId('money-refused-1'),
    ).toMatchObject({
      userId: 'carol',
      route: 'cheap/c-model',
      provider: null,
      status: 'invalid_request',
      errorCode: 'invalid_request',
      attempts: 0,
    });
  });
});
