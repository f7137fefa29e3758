import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayErrorCode } from './gateway-error-code';
import { GatewayError } from './gateway.error';
import { connectionError, upstreamError } from './http-status-error.mapper';
import { configSecrets, KnownSecrets, knownSecrets, providerSecrets } from './known-secrets';
import { MAX_ERROR_MESSAGE_LENGTH } from './secret-redaction';

describe(KnownSecrets.name, () => {
  it('keeps secrets of 8+ characters, longest first, each once', () => {
    const secrets = new KnownSecrets();
    secrets.add(['short', 'abcdefgh', undefined, null, 'abcdefghijkl', 'abcdefgh']);
    expect(secrets.list()).toEqual(['abcdefghijkl', 'abcdefgh']);
  });

  it('forgets the oldest secret past its bound', () => {
    const secrets = new KnownSecrets();
    secrets.add(Array.from({ length: 1_001 }, (_, i) => `secret-${String(i).padStart(5, '0')}`));
    expect(secrets.list()).toHaveLength(1_000);
    expect(secrets.list()).not.toContain('secret-00000');
    expect(secrets.list()).toContain('secret-01000');
  });
});

describe(configSecrets.name, () => {
  it('lists provider keys, credential headers, the admin key and the signing secrets', () => {
    const config = loadGatewayConfig({
      config: {
        providers: {
          azure: {
            kind: 'openai-compatible',
            baseUrl: 'http://127.0.0.1:1/v1',
            apiKeys: ['provider-key-one', 'provider-key-two'],
            headers: { 'api-key': 'azure-header-key', 'HTTP-Referer': 'https://example.org' },
          },
        },
        auth: { adminKey: 'the-admin-key-0001', hashSecret: 'hash-secret-for-tests-0123456789' },
      },
    });
    // `tasks` is @ai-gateway/resume's section, present when a host loads it.
    const tasks = { webhooks: { secret: 'webhook-signing-secret-01' } };
    expect(configSecrets({ ...config, tasks }).sort()).toEqual(
      [
        'provider-key-one',
        'provider-key-two',
        'azure-header-key',
        'the-admin-key-0001',
        'hash-secret-for-tests-0123456789',
        'webhook-signing-secret-01',
      ].sort(),
    );
    expect(providerSecrets({ apiKeys: [], headers: { 'x-title': 'My app' } })).toEqual([]);
  });
});

/**
 * Every GatewayError message is redacted as it is built, so no path (an adapter's own
 * mapping, an SDK's message, a stream's error event) can hand a key to the caller.
 */
describe('GatewayError redaction', () => {
  const key = 'Vq7NpX2rTz9LmW4kHc6Db';

  beforeAll(() => knownSecrets.add([key]));

  it('removes a known secret and key-shaped tokens from any message', () => {
    const error = new GatewayError(
      GatewayErrorCode.SERVER_ERROR,
      `upstream said ${key} and sk-proj-Ab3dE5fG7hI9jK1lM`,
    );
    expect(error.message).toBe('upstream said [redacted] and [redacted]');
  });

  it('redacts what an upstream error quotes, whatever the status', () => {
    for (const status of [400, 401, 404, 429, 500, 503]) {
      const error = upstreamError({
        provider: 'openai',
        status,
        message: `Incorrect API key provided: ${key}. Bearer ${key}`,
      });
      expect(error.message).not.toContain(key);
      expect(error.message).toContain(`Provider openai answered ${status}`);
    }
  });

  it("redacts a connection error's message when it has no code", () => {
    const error = connectionError('proxy', new Error(`tunnel to https://h/?key=${key} refused`));
    expect(error.code).toBe(GatewayErrorCode.CONNECTION);
    expect(error.message).toBe(
      'Provider proxy is unreachable (tunnel to https://h/?key=[redacted] refused)',
    );
  });

  it('caps a giant upstream message', () => {
    const error = upstreamError({ provider: 'p', status: 502, message: 'x'.repeat(5_000_000) });
    expect(error.message).toHaveLength(MAX_ERROR_MESSAGE_LENGTH + 1);
  });
});
