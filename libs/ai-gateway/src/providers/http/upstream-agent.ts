import { Agent } from 'undici';
import type { ProviderConfig } from '../../config/gateway-config.schema';
import { createTimedConnector } from './timed-connector';

/**
 * One keep-alive connection pool per provider. Pipelining stays off (1): most LLM
 * servers do not support it, and a slow streamed answer would block the ones behind it.
 * `connectTimeoutMs` defaults to the provider's; a request with its own connect timeout
 * gets a pool of its own (see `UpstreamAgentCache`).
 */
export function createUpstreamAgent(
  config: ProviderConfig,
  connectTimeoutMs: number = config.connectTimeoutMs,
): Agent {
  return new Agent({
    connections: config.maxConnections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connect: createTimedConnector(connectTimeoutMs),
    // The per-attempt deadline is enforced by the caller's AbortSignal; these only stop
    // undici's own defaults (300 s) from cutting long generations short.
    headersTimeout: config.timeoutMs,
    bodyTimeout: config.timeoutMs,
  });
}
