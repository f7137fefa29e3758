import { GatewayErrorCode } from '@ai-gateway/core';
import { readWorkerSettings } from './worker-settings';

describe(readWorkerSettings.name, () => {
  it('defaults to port 8081 on all interfaces and a 25 s shutdown deadline', () => {
    expect(readWorkerSettings({})).toEqual({
      port: 8081,
      host: '0.0.0.0',
      shutdownTimeoutMs: 25_000,
    });
  });

  it('reads the environment', () => {
    expect(
      readWorkerSettings({
        WORKER_PORT: '9100',
        WORKER_HOST: '127.0.0.1',
        WORKER_SHUTDOWN_TIMEOUT_MS: '5000',
      }),
    ).toEqual({ port: 9100, host: '127.0.0.1', shutdownTimeoutMs: 5000 });
  });

  it('lists every bad variable at once', () => {
    expect(() =>
      readWorkerSettings({ WORKER_PORT: '80a', WORKER_SHUTDOWN_TIMEOUT_MS: '-1' }),
    ).toThrow(
      expect.objectContaining({
        code: GatewayErrorCode.INVALID_CONFIG,
        message:
          'Invalid worker settings:\n' +
          '  - WORKER_PORT: must be an integer between 0 and 65535 (got "80a")\n' +
          '  - WORKER_SHUTDOWN_TIMEOUT_MS: must be an integer between 100 and 600000 (got "-1")',
      }),
    );
  });
});
