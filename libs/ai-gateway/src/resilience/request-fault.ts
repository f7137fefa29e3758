import type { ProviderConfig } from '../config/gateway-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { isConnectTimeout } from '../providers/http/timed-connector';
import { streamTimerOf } from './stream-guard';

/** What ended an attempt: the request (its deadline, its caller), the attempt's limit, or an abort. */
export type AttemptStop = 'request' | 'limit' | 'abort';

/** The operations whose attempts the executor runs. */
export type AttemptOperation = 'chat' | 'chat_stream' | 'embeddings' | 'passthrough';

/** How one failed attempt ended, as far as blame is concerned. */
export interface FailedAttempt {
  error: GatewayError;
  /** Which signal ended the attempt, if one did (read before the attempt is cleaned up). */
  stoppedBy?: AttemptStop;
  /** The limit the attempt ran under (the request's own timers may have shortened it). */
  limitMs: number;
  operation: AttemptOperation;
  /** The request's own connect timeout, when it set one. */
  connectTimeoutMs?: number;
}

/**
 * The limit the provider's own settings give one attempt of `operation`: a non-streaming
 * answer is bounded by both the attempt and the first-token timer, a stream's attempt
 * by the first-token timer (the stream then runs on), embeddings by the attempt timer.
 */
export function providerAttemptLimitMs(
  operation: AttemptOperation,
  provider: ProviderConfig,
): number {
  if (operation === 'chat_stream') return provider.firstTokenTimeoutMs;
  if (operation === 'chat') return Math.min(provider.timeoutMs, provider.firstTokenTimeoutMs);
  return provider.timeoutMs;
}

/**
 * Whether a failure belongs to the request rather than to the provider: the caller went
 * away, the request's total deadline ran out, or a timer the caller set shorter than the
 * provider's own fired. Such a failure proves nothing about the provider's health, so it
 * must not move shared state (breakers, key rests, latency statistics, the retry budget):
 * otherwise one tenant with a 1 ms timer switches a provider off for every tenant.
 */
export function isRequestsOwnFailure(attempt: FailedAttempt, provider: ProviderConfig): boolean {
  const { error } = attempt;
  if (error.code === GatewayErrorCode.CANCELLED) return true;
  if (attempt.stoppedBy === 'request') return true;
  if (attempt.stoppedBy === 'limit') {
    return attempt.limitMs < providerAttemptLimitMs(attempt.operation, provider);
  }
  const timer = streamTimerOf(error);
  if (timer?.kind === 'idle') return timer.ms < provider.idleTimeoutMs;
  if (error.code === GatewayErrorCode.TIMEOUT && isConnectTimeout(error.cause)) {
    const own = attempt.connectTimeoutMs;
    return own !== undefined && own < provider.connectTimeoutMs;
  }
  return false;
}

/**
 * Whether a 401/403 may set the key aside for everyone. Only when the model is one the
 * operator vouched for (listed in `models` or `modelInfo`): on a provider that accepts
 * any model the caller picks the model id, and a refusal of that model (a model the key
 * may not use) says nothing about the key. Such a failure still moves the request to the
 * provider's next key; it just does not rest the key for other tenants.
 */
export function authFailureBlamesKey(provider: ProviderConfig, model: string): boolean {
  return provider.models.includes(model) || Object.hasOwn(provider.modelInfo, model);
}

/** Failures that belong to the API key used, not to the provider. */
export function isKeyFailure(error: GatewayError): boolean {
  return (
    error.upstreamStatus !== undefined &&
    (error.code === GatewayErrorCode.AUTH || error.code === GatewayErrorCode.RATE_LIMITED)
  );
}

/** Anything an attempt threw, as the gateway error it ends with. */
export function asGatewayError(error: unknown, provider: string): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError(GatewayErrorCode.INTERNAL, `Unexpected failure calling ${provider}`, {
    provider,
    cause: error,
  });
}
