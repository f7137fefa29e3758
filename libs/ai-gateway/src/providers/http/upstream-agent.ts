import { Agent } from 'undici';
import type { ProviderConfig } from '../../config/gateway-config.schema';

/**
 * One keep-alive connection pool per provider. Pipelining stays off (1): most LLM
 * servers do not support it, and a slow streamed answer would block the ones behind it.
 */
export function createUpstreamAgent(config: ProviderConfig): Agent {
  return new Agent({
    connections: config.maxConnections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connect: { timeout: config.connectTimeoutMs },
    // The per-attempt deadline is enforced by the caller's AbortSignal; these only stop
    // undici's own defaults (300 s) from cutting long generations short.
    headersTimeout: config.timeoutMs,
    bodyTimeout: config.timeoutMs,
  });
}
