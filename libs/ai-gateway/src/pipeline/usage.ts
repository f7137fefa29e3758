import type { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { RouteTarget } from '../routing/model-resolver.service';
import type { UsageTokens } from '../types/unified';

interface OpenAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

/** Unified usage from an OpenAI-shaped `usage` object. */
export function usageOf(usage: OpenAiUsage | null | undefined): UsageTokens | undefined {
  if (!usage) return undefined;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  return {
    prompt: usage.prompt_tokens ?? 0,
    completion: usage.completion_tokens ?? 0,
    ...(cached ? { cached } : {}),
    ...(reasoning ? { reasoning } : {}),
  };
}

export function recordUsage(
  metrics: GatewayMetrics,
  target: RouteTarget,
  usage: UsageTokens | undefined,
): void {
  if (!usage) return;
  if (usage.prompt) metrics.recordTokens(target.provider, target.model, 'prompt', usage.prompt);
  if (usage.completion)
    metrics.recordTokens(target.provider, target.model, 'completion', usage.completion);
  if (usage.cached) metrics.recordTokens(target.provider, target.model, 'cached', usage.cached);
}

/** The `model` a request body names, before it is validated (for its span's name). */
export function modelOf(request: unknown): unknown {
  return request !== null && typeof request === 'object'
    ? (request as { model?: unknown }).model
    : undefined;
}
