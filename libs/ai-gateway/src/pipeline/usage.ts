import type { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { RouteTarget } from '../routing/model-resolver.service';
import type { UsageTokens } from '../types/unified';

interface OpenAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

/** Unified usage from an OpenAI-shaped `usage` object. */
export function usageOf(usage: OpenAiUsage | null | undefined): UsageTokens | undefined {
  if (!usage) return undefined;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  return {
    prompt: usage.prompt_tokens ?? 0,
    completion: usage.completion_tokens ?? 0,
    ...(cached ? { cached } : {}),
  };
}

export function recordUsage(
  metrics: GatewayMetrics,
  target: RouteTarget,
  usage: UsageTokens | undefined,
): void {
  if (!usage) return;
  const labels = { provider: target.provider, model: target.model };
  if (usage.prompt) metrics.tokens.inc({ ...labels, kind: 'prompt' }, usage.prompt);
  if (usage.completion) metrics.tokens.inc({ ...labels, kind: 'completion' }, usage.completion);
  if (usage.cached) metrics.tokens.inc({ ...labels, kind: 'cached' }, usage.cached);
}
