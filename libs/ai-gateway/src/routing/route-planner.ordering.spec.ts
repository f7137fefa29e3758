import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { ChatRequest } from '../types/unified';
import type { LatencyTracker } from './latency-tracker.service';
import { RoutePlanner } from './route-planner.service';
import { TOOLS, chat, names, plannerFor, thrownBy } from './route-planner.fixtures';
import { draws } from './strategies/strategy.fixtures';

describe(RoutePlanner.name, () => {
  let latency: LatencyTracker;
  let planner: RoutePlanner;

  beforeEach(() => {
    ({ latency, planner } = plannerFor());
  });

  const refused = (request: ChatRequest) => thrownBy(() => planner.plan(request));

  describe('strategies', () => {
    it('orders a cost route by the expected cost of the request, free first', () => {
      expect(names(planner.plan(chat('cheap')))).toEqual([
        'ollama/qwen2',
        'openai/gpt-4o-mini',
        'openai/gpt-4o',
      ]);
    });

    it('orders a latency route by EWMA latency, or by TTFT for streams', () => {
      latency.record('openai', 'gpt-4o', { latencyMs: 400, ttftMs: 50, ok: true });
      latency.record('groq', 'llama-3-70b', { latencyMs: 150, ttftMs: 120, ok: true });
      latency.record('ollama', 'qwen2', { latencyMs: 250, ttftMs: 300, ok: true });
      const random = draws(0.5, 0.5);
      expect(names(planner.plan(chat('fast'), { random }))).toEqual([
        'groq/llama-3-70b',
        'ollama/qwen2',
        'openai/gpt-4o',
      ]);
      expect(names(planner.plan(chat('fast', { stream: true }), { random }))).toEqual([
        'openai/gpt-4o',
        'groq/llama-3-70b',
        'ollama/qwen2',
      ]);
    });

    it('orders a capability route by the smallest window that fits', () => {
      expect(names(planner.plan(chat('fit')))).toEqual([
        'groq/llama-3-70b',
        'ollama/qwen2',
        'openai/gpt-4o',
      ]);
      const longPrompt = chat('fit', {
        messages: [{ role: 'user', content: 'x'.repeat(40_000) }], // 10,000 tokens
      });
      const plan = planner.plan(longPrompt);
      expect(names(plan)).toEqual(['ollama/qwen2', 'openai/gpt-4o']);
      expect(plan.skipped).toEqual([
        { target: { provider: 'groq', model: 'llama-3-70b' }, reason: 'context_window' },
      ]);
    });

    it('rotates a round-robin route one turn per plan, each route on its own counter', () => {
      const firsts: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        firsts.push(names(planner.plan(chat('rr')))[0]);
        firsts.push(names(planner.plan(chat('rr2')))[0]);
      }
      expect(firsts).toEqual([
        'openai/gpt-4o',
        'openai/gpt-4o',
        'groq/llama-3-70b',
        'ollama/qwen2',
        'ollama/qwen2',
        'openai/gpt-4o',
        'openai/gpt-4o',
        'ollama/qwen2',
      ]);
      expect(names(planner.plan(chat('rr')))).toEqual([
        'groq/llama-3-70b',
        'ollama/qwen2',
        'openai/gpt-4o',
      ]);
    });

    it('draws a weighted route with each weight on its own target despite a disabled one', () => {
      // enabled: openai 1, ollama 0, groq 3 (total 4); 0.3 × 4 = 1.2 → groq
      expect(names(planner.plan(chat('split'), { random: draws(0.3) }))).toEqual([
        'groq/llama-3-70b',
        'openai/gpt-4o',
        'ollama/qwen2',
      ]);
      // 0.2 × 4 = 0.8 → openai
      expect(names(planner.plan(chat('split'), { random: draws(0.2) }))).toEqual([
        'openai/gpt-4o',
        'groq/llama-3-70b',
        'ollama/qwen2',
      ]);
    });
  });

  describe('capability filter', () => {
    it('drops models without tools under every strategy, saying why', () => {
      const plan = planner.plan(chat('default', TOOLS));
      expect(names(plan)).toEqual(['openai/gpt-4o', 'groq/llama-3-70b']);
      expect(plan.skipped).toEqual([
        { target: { provider: 'ollama', model: 'qwen2' }, reason: 'no_tools' },
      ]);
      expect(names(planner.plan(chat('llama-3-70b', TOOLS)))).toEqual([
        'groq/llama-3-70b',
        'openai/llama-3-70b',
        'ollama/llama-3-70b',
      ]);
    });

    it('drops models without vision for a request with an image', () => {
      const withImage = chat('default', {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            ],
          },
        ],
      });
      const plan = planner.plan(withImage);
      expect(names(plan)).toEqual(['openai/gpt-4o']);
      expect(plan.skipped.map((s) => s.reason)).toEqual(['no_vision', 'no_vision']);
    });

    it.each([
      ['ollama/qwen2', 'tools', TOOLS, 'ollama/qwen2 does not support tools'],
      [
        'ollama/qwen2',
        'response_format',
        { response_format: { type: 'json_object' } },
        'ollama/qwen2 does not support JSON output',
      ],
      [
        'groq/llama-3-70b',
        'messages',
        { messages: [{ role: 'user', content: 'x'.repeat(32_000) }], max_tokens: 1_000 },
        'groq/llama-3-70b has a 8192-token context window, the request needs about 8000 + 1000',
      ],
    ] as Array<[string, string, Partial<ChatRequest>, string]>)(
      'refuses %s with UNSUPPORTED_FEATURE on param %s when nothing remains',
      (model, param, fields, why) => {
        const error = refused(chat(model, fields));
        expect(error).toMatchObject({
          code: GatewayErrorCode.UNSUPPORTED_FEATURE,
          param,
          retryable: false,
        });
        expect(error.message).toContain(why);
      },
    );

    it('lists every dropped candidate when a route has nothing left', () => {
      // 520,000 + 50 characters of prompt and tools → 130,013 tokens: too big even for gpt-4o
      const huge = chat('split', {
        ...TOOLS,
        messages: [{ role: 'user', content: 'x'.repeat(520_000) }],
      });
      const error = refused(huge);
      expect(error.param).toBe('messages');
      expect(error.message).toBe(
        'No model for "split" can take this request: ' +
          'openai/gpt-4o has a 128000-token context window, the request needs about 130013 + 256 (max output); ' +
          'ollama/qwen2 does not support tools; ' +
          'groq/llama-3-70b has a 8192-token context window, the request needs about 130013 + 256 (max output)',
      );
    });
  });
});
