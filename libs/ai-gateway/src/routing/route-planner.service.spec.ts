import { Test } from '@nestjs/testing';
import { FALLBACK_REASONS } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { ChatRequest } from '../types/unified';
import { LatencyTracker } from './latency-tracker.service';
import { ModelResolver } from './model-resolver.service';
import { RoutePlanner } from './route-planner.service';
import { chat, names, planConfig, plannerFor, thrownBy } from './route-planner.fixtures';

describe(RoutePlanner.name, () => {
  let config: GatewayConfigService;
  let planner: RoutePlanner;

  const useConfig = (raw: Record<string, unknown>): void => {
    ({ config, planner } = plannerFor(raw));
  };
  beforeEach(() => useConfig(planConfig()));

  const refused = (request: ChatRequest) => thrownBy(() => planner.plan(request));

  describe('resolution', () => {
    it('plans a route in config order with its own policy, disabled providers left out', () => {
      expect(planner.plan(chat('default'))).toEqual({
        candidates: [
          { provider: 'openai', model: 'gpt-4o' },
          { provider: 'groq', model: 'llama-3-70b' },
          { provider: 'ollama', model: 'qwen2' },
        ],
        skipped: [],
        route: 'default',
        strategy: 'priority',
        explicit: false,
        fallbackOn: ['rate_limit', 'timeout'],
        retryBeforeFallback: true,
        deadlineMs: 30_000,
        hedge: { enabled: true, delayMs: 500, minDelayMs: 50 },
      });
    });

    it('plans a bare model over the providers listing it by priority, then config order', () => {
      const plan = planner.plan(chat('llama-3-70b'));
      expect(names(plan)).toEqual([
        'groq/llama-3-70b',
        'together/llama-3-70b',
        'openai/llama-3-70b',
        'ollama/llama-3-70b',
      ]);
      expect(plan).toMatchObject({ route: undefined, strategy: 'priority', explicit: false });
    });

    it('plans an explicit provider/model as that target alone', () => {
      const plan = planner.plan(chat('openai/llama-3-70b'));
      expect(names(plan)).toEqual(['openai/llama-3-70b']);
      expect(plan.explicit).toBe(true);
    });

    it('adds the other enabled providers listing the model when fallback is allowed', () => {
      const plan = planner.plan(chat('openai/llama-3-70b'), { allowFallback: true });
      expect(names(plan)).toEqual([
        'openai/llama-3-70b',
        'groq/llama-3-70b',
        'together/llama-3-70b',
        'ollama/llama-3-70b',
      ]);
      expect(plan.explicit).toBe(true);
      expect(names(planner.plan(chat('ollama/qwen2'), { allowFallback: true }))).toEqual([
        'ollama/qwen2',
      ]);
    });

    it('replaces the resolution with the caller chain, expanding routes, each target once', () => {
      const plan = planner.plan(chat('cheap'), {
        chain: ['ollama/qwen2', 'default', 'llama-3-70b'],
      });
      expect(names(plan)).toEqual([
        'ollama/qwen2',
        'openai/gpt-4o',
        'groq/llama-3-70b',
        'together/llama-3-70b',
        'openai/llama-3-70b',
        'ollama/llama-3-70b',
      ]);
      // The caller's order wins over the route's cost strategy; the route's policy stays.
      expect(plan).toMatchObject({ route: 'cheap', strategy: 'priority', explicit: false });
      expect(planner.plan(chat('gpt-4o'), { chain: ['groq/llama-3-70b'] }).route).toBeUndefined();
      expect(names(planner.plan(chat('default'), { chain: [] }))).toHaveLength(3);
      // A request's model name is never mistaken for an inherited property of the routes map.
      const odd = planner.plan(chat('constructor'), { chain: ['groq/llama-3-70b'] });
      expect(odd).toMatchObject({ route: undefined, deadlineMs: 120_000 });
    });

    it('refuses an unknown model or chain entry with MODEL_NOT_FOUND', () => {
      expect(refused(chat('nope')).code).toBe(GatewayErrorCode.MODEL_NOT_FOUND);
      expect(() => planner.plan(chat('default'), { chain: ['default', 'nobody/x'] })).toThrow(
        expect.objectContaining({ code: GatewayErrorCode.MODEL_NOT_FOUND }),
      );
    });
  });

  describe('policy defaults', () => {
    it('takes fallbackOn and the deadline from routing when the route sets none', () => {
      for (const model of ['cheap', 'llama-3-70b', 'groq/llama-3-70b']) {
        expect(planner.plan(chat(model))).toMatchObject({
          fallbackOn: [...FALLBACK_REASONS],
          retryBeforeFallback: false,
          deadlineMs: 120_000,
          hedge: { enabled: false, minDelayMs: 50 },
        });
      }
    });

    it('follows a configured routing section', () => {
      useConfig({ ...planConfig(), routing: { fallbackOn: ['timeout'], deadlineMs: 5_000 } });
      expect(planner.plan(chat('cheap'))).toMatchObject({
        fallbackOn: ['timeout'],
        deadlineMs: 5_000,
      });
      expect(planner.plan(chat('default'))).toMatchObject({
        fallbackOn: ['rate_limit', 'timeout'],
        deadlineMs: 30_000,
      });
    });
  });

  it('is built by Nest from its injectable dependencies and sees config reloads', async () => {
    const module = await Test.createTestingModule({
      providers: [
        RoutePlanner,
        LatencyTracker,
        ModelResolver,
        { provide: GatewayConfigService, useValue: config },
      ],
    }).compile();
    const injected = module.get(RoutePlanner);
    expect(names(injected.plan(chat('default')))).toHaveLength(3);

    config.replace(
      loadGatewayConfig({
        config: {
          providers: { ollama: { kind: 'ollama', models: ['phi3'] } },
          routes: { default: ['ollama/phi3'] },
        },
        env: {},
      }),
    );
    expect(names(injected.plan(chat('default')))).toEqual(['ollama/phi3']);
  });
});
