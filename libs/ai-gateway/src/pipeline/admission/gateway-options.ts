import { GatewayError } from '../../errors/gateway.error';
import type { ChatRequest } from '../../types/unified';
import type { CallOptions } from '../../shared/call-result';

/**
 * Gateway controls may ride in the body as `gateway: { chain, fallback, timeouts }`
 * (for clients that cannot set headers). They are taken out here so they never reach a
 * provider; explicit call options (headers, library callers) win over them.
 */
export function takeGatewayOptions(
  request: ChatRequest,
  options: CallOptions,
): { body: ChatRequest; options: CallOptions } {
  const field = request.gateway;
  if (field === undefined) return { body: request, options };
  const { gateway: _taken, ...body } = request;
  if (field === null || typeof field !== 'object' || Array.isArray(field)) {
    throw GatewayError.invalidRequest("Invalid request: 'gateway' must be an object", 'gateway');
  }
  const g = field as { chain?: unknown; fallback?: unknown; timeouts?: unknown };
  if (
    g.chain !== undefined &&
    (!Array.isArray(g.chain) || g.chain.some((c) => typeof c !== 'string' || c === ''))
  ) {
    throw GatewayError.invalidRequest(
      "Invalid request: 'gateway.chain' must be an array of model names",
      'gateway.chain',
    );
  }
  if (g.fallback !== undefined && typeof g.fallback !== 'boolean') {
    throw GatewayError.invalidRequest(
      "Invalid request: 'gateway.fallback' must be a boolean",
      'gateway.fallback',
    );
  }
  return {
    body: body,
    options: {
      ...options,
      chain: options.chain ?? (g.chain as string[] | undefined),
      allowFallback: options.allowFallback ?? g.fallback,
      timeouts: { ...parseTimeouts(g.timeouts), ...options.timeouts },
    },
  };
}

const TIMEOUT_KEYS = ['totalMs', 'firstTokenMs', 'idleMs', 'attemptMs', 'connectMs'] as const;

function parseTimeouts(value: unknown): CallOptions['timeouts'] {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') {
    throw GatewayError.invalidRequest(
      "Invalid request: 'gateway.timeouts' must be an object",
      'gateway.timeouts',
    );
  }
  const out: NonNullable<CallOptions['timeouts']> = {};
  for (const [key, ms] of Object.entries(value)) {
    if (
      !(TIMEOUT_KEYS as readonly string[]).includes(key) ||
      typeof ms !== 'number' ||
      !Number.isInteger(ms) ||
      ms < 1
    ) {
      throw GatewayError.invalidRequest(
        `Invalid request: 'gateway.timeouts.${key}' must be one of ${TIMEOUT_KEYS.join(', ')} with a positive integer`,
        `gateway.timeouts.${key}`,
      );
    }
    out[key as (typeof TIMEOUT_KEYS)[number]] = ms;
  }
  return out;
}
