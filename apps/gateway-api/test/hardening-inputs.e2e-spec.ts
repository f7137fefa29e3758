import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { BudgetService, levelsOf } from '@ai-gateway/core/testing';
import { randomBytes } from 'node:crypto';
import type { TestGateway } from './harness';
import { DATABASE_URL, dropSchema, providersFor, startGateway } from './harness';

const ask = [{ role: 'user', content: 'hello' }];
const cursorOf = (position: unknown[]): string =>
  Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

/** A body whose unknown field nests `depth` objects deep. */
function nested(depth: number): Record<string, unknown> {
  let inner: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i++) inner = { a: inner };
  return inner;
}

/** Built as text: JSON.stringify itself would overflow the stack on the deepest bodies. */
function deepJson(model: string, depth: number, extra = ''): string {
  return `{"model":${JSON.stringify(model)},"messages":[{"role":"user","content":"hi"}]${extra},"x_deep":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

/**
 * Issue 13, item 8: caller inputs that ended in a 5xx or no answer at all, some leaking the
 * caller's concurrency lease and budget hold. Each must be a 4xx in OpenAI's error shape,
 * and the caller (one request at a time, a small budget) must be able to call again after.
 */
describe('hostile chat inputs (e2e)', () => {
  const schema = `inputs_e2e_${randomBytes(5).toString('hex')}`;
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider();
    const providers = providersFor(fake);
    gateway = await startGateway({
      providers: {
        ...providers,
        any: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, maxRetries: 0 },
      },
      rateLimits: { users: { solo: { concurrentRequests: 1 } } },
      budgets: { users: { solo: { dailyUsd: 1 } } },
      // PostgreSQL: where a NUL or a year past 9999 in a query used to be a 500.
      usage: { databaseUrl: DATABASE_URL, schema },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await dropSchema(schema);
  });
  beforeEach(() => fake.reset());

  const post = (body: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gateway-user': 'solo', ...headers },
      body,
      signal: AbortSignal.timeout(20_000),
    });

  async function expectReleased(): Promise<void> {
    const budgets = gateway.app.get(BudgetService);
    const [usage] = await budgets.usage(levelsOf('user', 'solo', { dailyUsd: 1 }));
    expect(usage.reservedMicroUsd).toBe(0);
    // One request at a time: a leaked lease would refuse this one with 429.
    const ok = await post(JSON.stringify({ model: 'any/ok', messages: ask }));
    expect(ok.status).toBe(200);
  }

  const bodies: Array<[string, Record<string, unknown>]> = [];
  for (const model of [
    'any/m',
    'openai/gpt-4o-mini',
    'anthropic/claude-x',
    'gemini/gemini-x',
    'ollama/llama',
  ]) {
    bodies.push(
      [
        `${model}: response_format json_schema without json_schema`,
        { model, messages: ask, response_format: { type: 'json_schema' } },
      ],
      [
        `${model}: assistant tool_calls "x"`,
        { model, messages: [...ask, { role: 'assistant', tool_calls: 'x' }, ...ask] },
      ],
      [
        `${model}: assistant tool_calls 5`,
        { model, messages: [...ask, { role: 'assistant', tool_calls: 5 }, ...ask] },
      ],
      [
        `${model}: assistant tool_calls [{}]`,
        { model, messages: [...ask, { role: 'assistant', tool_calls: [{}] }, ...ask] },
      ],
      [`${model}: tools [{type:custom}]`, { model, messages: ask, tools: [{ type: 'custom' }] }],
      [`${model}: functions 5`, { model, messages: ask, functions: 5 }],
      [`${model}: functions [null]`, { model, messages: ask, functions: [null] }],
      [`${model}: content [null, 5]`, { model, messages: [{ role: 'user', content: [null, 5] }] }],
    );
  }

  it.each(bodies)('%s → 4xx, admission released', async (_name, body) => {
    const response = await post(JSON.stringify(body));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const json = (await response.json()) as { error: { message: string; type: string } };
    expect(typeof json.error.message).toBe('string');
    await expectReleased();
  });

  it.each([
    ['cacheable', ',"temperature":0'],
    ['not cacheable', ',"temperature":0.7'],
  ])('unknown fields nested 10,000 deep (%s) → 400, admission released', async (_n, extra) => {
    const response = await post(deepJson('any/deep', 10_000, extra));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBeDefined();
    await expectReleased();
  });

  it('a body nested 60 deep is still served (the bound leaves real JSON alone)', async () => {
    const response = await post(JSON.stringify({ model: 'any/ok', messages: ask, x: nested(60) }));
    expect(response.status).toBe(200);
  });

  it.each(['any/Ā', 'any/😀', 'any/a\u0007b'])(
    'model id %j not allowed in a header → answered (JSON and stream), admission released',
    async (model) => {
      const json = await post(JSON.stringify({ model, messages: ask }));
      expect(json.status).toBeLessThan(500);
      await json.text();
      const stream = await post(JSON.stringify({ model, messages: ask, stream: true }));
      expect(stream.status).toBeLessThan(500);
      const text = await stream.text();
      if (stream.status === 200) expect(text).toContain('data: [DONE]');
      await expectReleased();
    },
  );

  it.each([
    ['cursor with a time past year 9999', `cursor=${cursorOf([1e15, 'x'])}`],
    ['cursor with a NUL in its id', `cursor=${cursorOf([1, 'a\u0000b'])}`],
    ['cursor of garbage', 'cursor=%00%01'],
    ['user filter with NUL', 'user=a%00b'],
    ['model filter with NUL', 'model=%00'],
    ['from out of range', 'from=99999999999999999999'],
  ])('/v1/usage/requests with %s → 400', async (_n, query) => {
    const response = await fetch(`${gateway.url}/v1/usage/requests?${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
  });
});
