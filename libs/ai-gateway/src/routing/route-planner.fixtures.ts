import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayError } from '../errors/gateway.error';
import type { ChatRequest } from '../types/unified';
import { LatencyTracker } from './latency-tracker.service';
import { ModelResolver } from './model-resolver.service';
import type { RoutePlan } from './route-planner.service';
import { RoutePlanner } from './route-planner.service';

// Test helpers shared by the RoutePlanner specs: five providers (one disabled) whose model
// info exercises every capability reason, and one route per strategy.

const compatible = (name: string, extra: Record<string, unknown>) => ({
  kind: 'openai-compatible',
  baseUrl: `http://${name}:8000/v1`,
  ...extra,
});
const ALL = ['tools', 'json', 'vision'];

export const planConfig = (): Record<string, unknown> => ({
  providers: {
    openai: compatible('openai', {
      priority: 2,
      models: ['gpt-4o', 'gpt-4o-mini', 'llama-3-70b'],
      modelInfo: {
        'gpt-4o': {
          contextWindow: 128_000,
          inputCostPerMTok: 2.5,
          outputCostPerMTok: 10,
          features: ALL,
        },
        'gpt-4o-mini': {
          contextWindow: 128_000,
          inputCostPerMTok: 0.15,
          outputCostPerMTok: 0.6,
          features: ALL,
        },
      },
    }),
    groq: compatible('groq', {
      priority: 1,
      models: ['llama-3-70b'],
      modelInfo: { 'llama-3-70b': { contextWindow: 8_192, features: ['tools', 'json'] } },
    }),
    together: compatible('together', {
      priority: 1,
      models: ['llama-3-70b'],
      modelInfo: { 'llama-3-70b': { contextWindow: 8_192, features: ['json'] } },
    }),
    ollama: {
      kind: 'ollama',
      priority: 5,
      models: ['llama-3-70b', 'qwen2'],
      modelInfo: {
        qwen2: { contextWindow: 32_768, inputCostPerMTok: 0, outputCostPerMTok: 0, features: [] },
      },
    },
    offline: compatible('offline', { enabled: false, models: ['llama-3-70b'] }),
  },
  routes: {
    default: {
      targets: ['openai/gpt-4o', 'groq/llama-3-70b', 'offline/llama-3-70b', 'ollama/qwen2'],
      fallbackOn: ['rate_limit', 'timeout'],
      retryBeforeFallback: true,
      deadlineMs: 30_000,
      hedge: { enabled: true, delayMs: 500 },
    },
    cheap: { targets: ['openai/gpt-4o', 'ollama/qwen2', 'openai/gpt-4o-mini'], strategy: 'cost' },
    fast: { targets: ['openai/gpt-4o', 'groq/llama-3-70b', 'ollama/qwen2'], strategy: 'latency' },
    fit: { targets: ['openai/gpt-4o', 'ollama/qwen2', 'groq/llama-3-70b'], strategy: 'capability' },
    rr: { targets: ['openai/gpt-4o', 'groq/llama-3-70b', 'ollama/qwen2'], strategy: 'round-robin' },
    rr2: { targets: ['openai/gpt-4o', 'ollama/qwen2'], strategy: 'round-robin' },
    split: {
      targets: ['openai/gpt-4o', 'offline/llama-3-70b', 'ollama/qwen2', 'groq/llama-3-70b'],
      strategy: 'weighted',
      weights: [1, 5, 0, 3],
    },
  },
});

export const chat = (model: string, fields: Partial<ChatRequest> = {}): ChatRequest => ({
  model,
  messages: [{ role: 'user', content: 'Hello there' }],
  ...fields,
});
export const names = (plan: RoutePlan): string[] =>
  plan.candidates.map((t) => `${t.provider}/${t.model}`);
export const TOOLS = {
  tools: [{ type: 'function', function: { name: 'lookup' } }],
} as Partial<ChatRequest>;

export interface PlannerUnderTest {
  config: GatewayConfigService;
  latency: LatencyTracker;
  planner: RoutePlanner;
}

export function plannerFor(raw: Record<string, unknown> = planConfig()): PlannerUnderTest {
  const config = new GatewayConfigService(loadGatewayConfig({ config: raw, env: {} }));
  const latency = new LatencyTracker();
  return { config, latency, planner: new RoutePlanner(config, latency, new ModelResolver(config)) };
}

/** The GatewayError a call throws (fails the test when it throws nothing or something else). */
export function thrownBy(call: () => unknown): GatewayError {
  try {
    call();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError, nothing was thrown');
}
