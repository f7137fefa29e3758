import { GatewayErrorCode } from '../errors/gateway-error-code';
import { RoutePlanner } from './route-planner.service';
import { chat, names, plannerFor, thrownBy } from './route-planner.fixtures';

/** Issue 13 item 14: every candidate of a plan, fallbacks included, is within the key's scope. */
describe(`${RoutePlanner.name} with a caller's model scope`, () => {
  const { planner } = plannerFor();

  it('drops fallback providers outside a provider-pinned scope (the bypass of issue 13)', () => {
    const plan = planner.plan(chat('openai/llama-3-70b'), {
      allowFallback: true,
      scope: ['openai/llama-3-70b'],
    });
    expect(names(plan)).toEqual(['openai/llama-3-70b']);
    expect(plan.skipped).toEqual([
      { target: { provider: 'groq', model: 'llama-3-70b' }, reason: 'not_allowed' },
      { target: { provider: 'together', model: 'llama-3-70b' }, reason: 'not_allowed' },
      { target: { provider: 'ollama', model: 'llama-3-70b' }, reason: 'not_allowed' },
    ]);
  });

  it('keeps the fallback providers the scope names (exactly or by prefix)', () => {
    const plan = planner.plan(chat('openai/llama-3-70b'), {
      allowFallback: true,
      scope: ['openai/llama-3-70b', 'groq/*', 'ollama/llama-3-70b'],
    });
    expect(names(plan)).toEqual(['openai/llama-3-70b', 'groq/llama-3-70b', 'ollama/llama-3-70b']);
  });

  it('lets a route or a bare model name grant all of its targets', () => {
    expect(names(planner.plan(chat('default'), { scope: ['default'] }))).toEqual([
      'openai/gpt-4o',
      'groq/llama-3-70b',
      'ollama/qwen2',
    ]);
    expect(names(planner.plan(chat('llama-3-70b'), { scope: ['llama-3-70b'] }))).toHaveLength(4);
  });

  it('checks a chain entry by entry: each grants only its own targets', () => {
    const plan = planner.plan(chat('default'), {
      chain: ['openai/gpt-4o', 'ollama/qwen2'],
      scope: ['default', 'openai/gpt-4o', 'ollama/qwen2'],
    });
    expect(names(plan)).toEqual(['openai/gpt-4o', 'ollama/qwen2']);
    const refused = thrownBy(() =>
      planner.plan(chat('default'), {
        chain: ['openai/gpt-4o', 'groq/llama-3-70b'],
        scope: ['default', 'openai/gpt-4o'],
      }),
    );
    expect(refused.code).toBe(GatewayErrorCode.MODEL_NOT_ALLOWED);
    expect(refused.message).toContain("'groq/llama-3-70b'");
  });

  it('refuses a named model outside the scope with model_not_allowed (403)', () => {
    const refused = thrownBy(() => planner.plan(chat('cheap'), { scope: ['default'] }));
    expect(refused.code).toBe(GatewayErrorCode.MODEL_NOT_ALLOWED);
    expect(refused.param).toBe('model');
  });

  it('plans as before without a scope', () => {
    const plan = planner.plan(chat('openai/llama-3-70b'), { allowFallback: true });
    expect(names(plan)).toEqual([
      'openai/llama-3-70b',
      'groq/llama-3-70b',
      'together/llama-3-70b',
      'ollama/llama-3-70b',
    ]);
    expect(plan.skipped).toEqual([]);
  });
});
