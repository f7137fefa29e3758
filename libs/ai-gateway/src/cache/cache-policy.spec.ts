import { loadGatewayConfig } from '../config/gateway-config.loader';
import type { ChatRequest } from '../types/unified';
import { cachePolicyOf } from './cache-policy';

const cacheConfig = (cache: Record<string, unknown> = {}) =>
  loadGatewayConfig({ config: { cache }, env: {} }).cache;
const body = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'm',
  temperature: 0,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe('cachePolicyOf', () => {
  it('caches deterministic requests with the configured defaults', () => {
    expect(cachePolicyOf(cacheConfig(), body(), undefined)).toEqual({
      use: true,
      read: true,
      store: true,
      maxAgeMs: undefined,
      ttlMs: 3_600_000,
      strategy: 'full_request',
      shared: false,
      semantic: 'off',
      semanticThreshold: undefined,
    });
    expect(cachePolicyOf(cacheConfig(), body({ temperature: 1, seed: 3 }), undefined).use).toBe(
      true,
    );
  });

  it('skips sampled requests and tools unless allowed', () => {
    expect(cachePolicyOf(cacheConfig(), body({ temperature: undefined }), undefined)).toEqual({
      use: false,
      reason: 'not-deterministic',
    });
    expect(
      cachePolicyOf(
        cacheConfig({ requireDeterministic: false }),
        body({ temperature: 1 }),
        undefined,
      ).use,
    ).toBe(true);
    const tools = [{ type: 'function' as const, function: { name: 'f' } }];
    expect(cachePolicyOf(cacheConfig(), body({ tools }), undefined)).toEqual({
      use: false,
      reason: 'tools',
    });
    expect(
      cachePolicyOf(
        cacheConfig({ routes: { m: { allowTools: true } } }),
        body({ tools }),
        undefined,
      ).use,
    ).toBe(true);
  });

  it('applies route overrides and the caller directives', () => {
    const config = cacheConfig({
      semantic: 'shadow',
      routes: {
        m: {
          ttlSeconds: 60,
          hashStrategy: 'content',
          shared: true,
          semantic: 'on',
          semanticThreshold: 0.9,
        },
      },
    });
    expect(
      cachePolicyOf(config, body(), { mode: 'refresh', noStore: true, maxAgeSeconds: 30 }),
    ).toMatchObject({
      use: true,
      read: false,
      store: false,
      maxAgeMs: 30_000,
      ttlMs: 60_000,
      strategy: 'content',
      shared: true,
      semantic: 'on',
      semanticThreshold: 0.9,
    });
    expect(cachePolicyOf(config, body({ model: 'other' }), { semantic: false })).toMatchObject({
      semantic: 'off',
    });
    expect(cachePolicyOf(config, body(), { mode: 'skip' })).toEqual({
      use: false,
      reason: 'requested',
    });
    expect(cachePolicyOf(cacheConfig({ backend: 'disabled' }), body(), undefined)).toEqual({
      use: false,
      reason: 'disabled',
    });
    expect(
      cachePolicyOf(cacheConfig({ routes: { m: { enabled: false } } }), body(), undefined),
    ).toEqual({ use: false, reason: 'disabled' });
  });

  it('the loader rejects bad cache settings in one pass', () => {
    expect(() =>
      loadGatewayConfig({
        config: {
          cache: { backend: 'redis', hashStrategy: 'x', routes: { a: { ttlSeconds: 0 } } },
        },
        env: {},
      }),
    ).toThrow(
      /cache\.hashStrategy[\s\S]*cache\.routes\.a\.ttlSeconds[\s\S]*cache\.backend: redis needs redis\.url/,
    );
  });
});
