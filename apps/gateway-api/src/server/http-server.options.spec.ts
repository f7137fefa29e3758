import { loadGatewayConfig } from '@ai-gateway/core';
import { httpServerOptions } from './http-server.options';

const serverOf = (server: Record<string, unknown>) =>
  loadGatewayConfig({ config: { server }, env: {} }).server;

describe(httpServerOptions.name, () => {
  it('sets request, header and keep-alive timeouts by default; no proxy is trusted', () => {
    const options = httpServerOptions(serverOf({}));
    expect(options).toMatchObject({
      requestTimeout: 60_000,
      keepAliveTimeout: 72_000,
      trustProxy: false,
      http: { requestTimeout: 60_000, headersTimeout: 10_000, connectionsCheckingInterval: 2_500 },
    });
  });

  it('keeps the headers timeout within the request timeout, as Node requires', () => {
    const options = httpServerOptions(
      serverOf({
        requestTimeoutMs: 1_000,
        headersTimeoutMs: 5_000,
        trustedProxies: ['10.0.0.0/8'],
      }),
    );
    expect(options.http).toMatchObject({ headersTimeout: 1_000, connectionsCheckingInterval: 250 });
    expect(options.trustProxy).toEqual(['10.0.0.0/8']);
  });

  it('rejects a request timeout of 0 (never) and unknown metrics access', () => {
    expect(() => serverOf({ requestTimeoutMs: 0, metricsAccess: 'everyone' })).toThrow(
      /server\.requestTimeoutMs[\s\S]*server\.metricsAccess/,
    );
  });
});
