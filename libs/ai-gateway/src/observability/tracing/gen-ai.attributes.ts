import type { ProviderKind } from '../../config/provider-config.schema';

/**
 * Attribute names of the OpenTelemetry GenAI semantic conventions (development status, as
 * of semconv 1.41) and the gateway's own (`gateway.*`). Kept here rather than imported from
 * `@opentelemetry/semantic-conventions/incubating`, which the library does not depend on.
 */
export const GenAi = {
  OPERATION: 'gen_ai.operation.name',
  PROVIDER: 'gen_ai.provider.name',
  REQUEST_MODEL: 'gen_ai.request.model',
  RESPONSE_MODEL: 'gen_ai.response.model',
  INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  TOKEN_TYPE: 'gen_ai.token.type',
  INPUT_MESSAGES: 'gen_ai.input.messages',
  ERROR_TYPE: 'error.type',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
} as const;

export const Gateway = {
  PROVIDER: 'gateway.provider',
  ROUTE: 'gateway.route',
  OUTCOME: 'gateway.attempt.outcome',
  RETRY: 'gateway.attempt.retry',
  HEDGED: 'gateway.attempt.hedged',
  KEY_ID: 'gateway.attempt.key_id',
  ATTEMPTS: 'gateway.attempts',
  CACHE_STATUS: 'gateway.cache.status',
  CACHE_REASON: 'gateway.cache.reason',
  CACHE_SIMILARITY: 'gateway.cache.similarity',
  COST_USD: 'gateway.cost_usd',
  REQUEST_ID: 'gateway.request_id',
  GUARDRAILS: 'gateway.guardrails',
} as const;

/** `gen_ai.provider.name` of a provider kind: the well-known value where the conventions have one. */
const PROVIDER_NAMES: Readonly<Record<ProviderKind, string | undefined>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  mistral: 'mistral_ai',
  ollama: 'ollama',
  'openai-compatible': undefined,
  fake: undefined,
};

/** The conventions' provider name, else the configured provider's own name. */
export function genAiProviderName(kind: ProviderKind | undefined, configName: string): string {
  return (kind && PROVIDER_NAMES[kind]) ?? configName;
}

/** `gen_ai.operation.name` of a gateway operation. */
export function genAiOperation(operation: string): string {
  return operation === 'embeddings' ? 'embeddings' : 'chat';
}

const servers = new Map<string, { address: string; port: number } | null>();

/** `server.address` / `server.port` of a provider's base URL (parsed once per URL). */
export function serverOf(baseUrl: string | undefined): { address: string; port: number } | null {
  if (!baseUrl) return null;
  let server = servers.get(baseUrl);
  if (server === undefined) {
    try {
      const url = new URL(baseUrl);
      const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
      server = { address: url.hostname, port };
    } catch {
      server = null;
    }
    if (servers.size < 1_000) servers.set(baseUrl, server);
  }
  return server;
}
