import { errors } from 'undici';
import { ProviderConfig } from '../config/gateway-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { timeoutError } from '../errors/http-status-error.mapper';
import { connectTimeoutError } from '../providers/http/timed-connector';
import type { FailedAttempt } from './request-fault';
import {
  authFailureBlamesKey,
  isRequestsOwnFailure,
  providerAttemptLimitMs,
} from './request-fault';
import { firstTokenTimeoutError, idleTimeoutError } from './stream-guard';

const provider = Object.assign(new ProviderConfig(), {
  name: 'up',
  kind: 'openai-compatible',
  timeoutMs: 60_000,
  firstTokenTimeoutMs: 20_000,
  idleTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  models: ['listed'],
  modelInfo: { priced: {} },
});

function attempt(partial: Partial<FailedAttempt>): FailedAttempt {
  return {
    error: timeoutError('up', 20_000),
    limitMs: 20_000,
    operation: 'chat_stream',
    ...partial,
  };
}

describe('request fault rules', () => {
  it("takes the provider's own limit per operation", () => {
    expect(providerAttemptLimitMs('chat_stream', provider)).toBe(20_000);
    expect(providerAttemptLimitMs('chat', provider)).toBe(20_000);
    expect(providerAttemptLimitMs('embeddings', provider)).toBe(60_000);
  });

  it('blames the request for its caller, its deadline, and its own shorter timers', () => {
    const own = (partial: Partial<FailedAttempt>): boolean =>
      isRequestsOwnFailure(attempt(partial), provider);
    expect(own({ error: new GatewayError(GatewayErrorCode.CANCELLED, 'gone') })).toBe(true);
    expect(own({ stoppedBy: 'request' })).toBe(true);
    expect(own({ stoppedBy: 'limit', limitMs: 1, error: firstTokenTimeoutError('up', 1) })).toBe(
      true,
    );
    expect(own({ error: idleTimeoutError('up', 50), stoppedBy: 'abort' })).toBe(true);
    const connect = connectTimeoutError('up', 5, new errors.ConnectTimeoutError('slow'));
    expect(own({ error: connect, connectTimeoutMs: 5 })).toBe(true);
  });

  it("blames the provider when its own settings' timers fire, and for its own failures", () => {
    const own = (partial: Partial<FailedAttempt>): boolean =>
      isRequestsOwnFailure(attempt(partial), provider);
    expect(own({ stoppedBy: 'limit', limitMs: 20_000 })).toBe(false);
    // A caller's limit longer than the provider's cannot shield the provider.
    expect(own({ stoppedBy: 'limit', limitMs: 45_000 })).toBe(false);
    expect(own({ error: idleTimeoutError('up', 30_000), stoppedBy: 'abort' })).toBe(false);
    const connect = connectTimeoutError('up', 10_000, new errors.ConnectTimeoutError('slow'));
    expect(own({ error: connect })).toBe(false);
    expect(own({ error: new GatewayError(GatewayErrorCode.SERVER_ERROR, '500') })).toBe(false);
  });

  it('lets a 401/403 rest a key only for models the operator vouched for', () => {
    expect(authFailureBlamesKey(provider, 'listed')).toBe(true);
    expect(authFailureBlamesKey(provider, 'priced')).toBe(true);
    expect(authFailureBlamesKey(provider, 'anything-else')).toBe(false);
    expect(authFailureBlamesKey(provider, 'toString')).toBe(false);
  });
});
