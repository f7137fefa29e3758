import Anthropic from '@anthropic-ai/sdk';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { randomBytes } from 'node:crypto';
import { createGatewayKey } from './gateway-admin';
import type { TestGateway } from './harness';
import { DATABASE_URL, dropSchema, startGateway } from './harness';

const ADMIN_KEY = 'admin-messages-errors-0123456789';
const hello = { max_tokens: 16, messages: [{ role: 'user' as const, content: 'hello' }] };

/** The SDK error a call failed with; fails the test when the call succeeded. */
async function sdkErrorOf(
  call: Promise<unknown>,
): Promise<InstanceType<typeof Anthropic.APIError>> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Anthropic.APIError)) {
    throw new Error(`expected an Anthropic API error, got ${String(error) || 'a success'}`);
  }
  return error;
}

/**
 * Issue 15: every error of the Messages door is in Anthropic's shape
 * (`{"type":"error","error":{"type","message"}}`) with the status the Anthropic SDK maps to
 * its error classes — validation, the key (401), scope (403), unknown model (404), the
 * key's rate limit (429), upstream failures.
 */
describe('Anthropic Messages API errors (e2e, official Anthropic SDK)', () => {
  const schema = `messages_err_e2e_${randomBytes(5).toString('hex')}`;
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let client: Anthropic;
  let key: string;

  const raw = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      providers: {
        openai: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: ['sk-openai-test'],
          models: ['gpt-4o-mini'],
          maxRetries: 0,
        },
      },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: 'hash-secret-for-tests-0123456789' },
      usage: { databaseUrl: DATABASE_URL, schema },
    });
    key = (await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'errors' })).key;
    client = new Anthropic({ baseURL: gateway.url, apiKey: key, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await dropSchema(schema);
  });
  beforeEach(() => fake.reset());

  it('a request without max_tokens is a 400 invalid_request_error naming it, in Anthropic’s shape', async () => {
    const error = await sdkErrorOf(
      client.messages.create({
        model: 'openai/gpt-4o-mini',
        messages: hello.messages,
      } as unknown as Anthropic.MessageCreateParamsNonStreaming),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.error).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringContaining('max_tokens'),
        details: { error_code: 'invalid_request', param: 'max_tokens' },
      },
      request_id: expect.any(String),
    });
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    [{ container: 'c1' }, 'container'],
    [{ thinking: { type: 'enabled', budget_tokens: 2048 } }, 'thinking'],
    [{ tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0].type'],
  ])('a field it cannot carry (%j) is a 400 naming it', async (extra, named) => {
    const { status, body } = await raw({ model: 'openai/gpt-4o-mini', ...hello, ...extra });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringContaining(`'${named}'`),
        details: { param: named },
      },
    });
  });

  it('a body that is not JSON, and an unknown path under /v1/messages, answer in Anthropic’s shape', async () => {
    const broken = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: '{"model": "openai/gpt-4o-mini", "max_tokens": ',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
    const unknown = await fetch(`${gateway.url}/v1/messages/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
  });

  it('a wrong key is a 401 authentication_error', async () => {
    const wrong = new Anthropic({ baseURL: gateway.url, apiKey: 'gk_wrong', maxRetries: 0 });
    const error = await sdkErrorOf(
      wrong.messages.create({ model: 'openai/gpt-4o-mini', ...hello }),
    );
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('an unknown model is a 404 not_found_error (create, stream and countTokens)', async () => {
    for (const call of [
      client.messages.create({ model: 'nobody/none', ...hello }),
      client.messages.stream({ model: 'nobody/none', ...hello }).finalMessage(),
      client.messages.countTokens({ model: 'no-such-model', messages: hello.messages }),
    ]) {
      const error = await sdkErrorOf(call);
      expect(error).toBeInstanceOf(Anthropic.NotFoundError);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    }
  });

  it("a model outside the key's scope is a 403 permission_error", async () => {
    const scoped = await createGatewayKey(gateway.url, ADMIN_KEY, {
      name: 'scoped',
      allowedModels: ['openai/other'],
    });
    const sdk = new Anthropic({ baseURL: gateway.url, apiKey: scoped.key, maxRetries: 0 });
    const error = await sdkErrorOf(sdk.messages.create({ model: 'openai/gpt-4o-mini', ...hello }));
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(error.error).toMatchObject({ error: { type: 'permission_error' } });
  });

  it("the key's rate limit is a 429 rate_limit_error with Retry-After", async () => {
    const limited = await createGatewayKey(gateway.url, ADMIN_KEY, {
      name: 'limited',
      limits: { requestsPerMinute: 1 },
    });
    const sdk = new Anthropic({ baseURL: gateway.url, apiKey: limited.key, maxRetries: 0 });
    await sdk.messages.create({ model: 'openai/gpt-4o-mini', ...hello });
    const error = await sdkErrorOf(sdk.messages.create({ model: 'openai/gpt-4o-mini', ...hello }));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('an upstream failure (no fallback left) is an api_error with the decision trace', async () => {
    fake.enqueue({ status: 500, errorMessage: 'boom' }, 1, { format: 'openai' });
    const error = await sdkErrorOf(
      client.messages.create({ model: 'openai/gpt-4o-mini', ...hello }),
    );
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(error.headers?.get('x-gateway-trace')).toContain('openai/gpt-4o-mini=server_error');
  });
});
