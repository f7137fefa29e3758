import type { OnApplicationBootstrap } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { TokenEncoding } from './tiktoken-encodings';
import { encodingFor } from './tiktoken-encodings';
import { TokenCounter } from './token-counter.service';

const OPENAI_LIKE = new Set(['openai', 'openai-compatible', 'mistral']);

/**
 * Builds the token encodings a configuration can need before the app serves. On first use
 * each costs ~0.2–0.6 s of one synchronous call: a stall every request in flight would
 * share, on the first request that needs a count. Nothing is built when nothing counts
 * (no budget, token limit, cost cap or gateway keys, whose budgets and limits come at run
 * time): the encodings take 15–35 MB each.
 */
@Injectable()
export class TokenWarmUp implements OnApplicationBootstrap {
  constructor(
    private readonly config: GatewayConfigService,
    private readonly tokens: TokenCounter,
  ) {}

  onApplicationBootstrap(): void {
    this.tokens.warmUp(encodingsNeeded(this.config.current));
  }
}

/** The encodings requests under `config` may be counted with; none when nothing counts. */
export function encodingsNeeded(config: GatewayConfig): TokenEncoding[] {
  if (!countsTokens(config)) return [];
  const needed = new Set<TokenEncoding>(['o200k_base']);
  for (const provider of Object.values(config.providers)) {
    const models = [...(provider.models ?? []), ...Object.keys(provider.modelInfo ?? {})];
    // A provider that takes any model may be asked for an older (cl100k) one.
    if (OPENAI_LIKE.has(provider.kind) && models.length === 0) needed.add('cl100k_base');
    for (const model of models) needed.add(encodingFor(provider.kind, model));
  }
  return [...needed];
}

function countsTokens(config: GatewayConfig): boolean {
  if (config.auth?.enabled) return true;
  const budgets = config.budgets;
  if (
    budgets &&
    (budgets.maxCostPerRequestUsd !== undefined ||
      budgets.defaultUser !== undefined ||
      budgets.defaultTeam !== undefined ||
      Object.keys(budgets.users ?? {}).length > 0 ||
      Object.keys(budgets.teams ?? {}).length > 0)
  ) {
    return true;
  }
  if (Object.values(config.providers).some((p) => p.budget !== undefined)) return true;
  // Token limits anywhere in the rate limits (JSON: any scope with tokensPerMinute).
  return JSON.stringify(config.rateLimits ?? {}).includes('"tokensPerMinute"');
}
