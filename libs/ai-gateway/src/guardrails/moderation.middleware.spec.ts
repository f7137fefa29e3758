import { ModerationConfig } from '../config/guardrails-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { ChatResponse } from '../types/unified';
import type { SpecContext } from './middleware.fixtures';
import { middlewareContext } from './middleware.fixtures';
import type { GuardrailCalls, ModerationVerdict } from './guardrail-calls';
import { ModerationGuard, overThreshold } from './moderation.middleware';

const verdict = (scores: Record<string, number>, flagged = false): ModerationVerdict => ({
  flagged,
  categories: Object.fromEntries(Object.entries(scores).map(([c, s]) => [c, s > 0.5])),
  category_scores: scores,
});

function contextFor(route?: string): SpecContext {
  return middlewareContext(
    {
      model: 'm',
      messages: [
        { role: 'system', content: 'operator text is not moderated' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'model text is not moderated' },
        { role: 'tool', tool_call_id: 't', content: 'a tool result' },
      ],
    },
    { route, caller: { keyId: 'k1' } },
  );
}

describe('ModerationGuard', () => {
  it('thresholds per category, else the provider’s own flagged', () => {
    expect(overThreshold(verdict({ violence: 0.4, hate: 0.6 }), { violence: 0.5 })).toBeUndefined();
    expect(overThreshold(verdict({ violence: 0.5 }), { violence: 0.5 })).toBe('violence');
    expect(overThreshold(verdict({ hate: 0.9 }, true), {})).toBe('hate');
    expect(overThreshold(verdict({ hate: 0.9 }, false), {})).toBeUndefined();
  });

  it('sends the users’ messages and tool results, with the request’s caller and no middleware', async () => {
    const moderate = jest.fn<Promise<ModerationVerdict[]>, Parameters<GuardrailCalls['moderate']>>(
      () => Promise.resolve([verdict({ violence: 0.1 }), verdict({ violence: 0.2 })]),
    );
    const guard = new ModerationGuard(
      () => new ModerationConfig(),
      () => ({ moderate, chat: jest.fn() }),
    );
    const context = contextFor();
    await guard.beforeRequest(context);
    expect(moderate).toHaveBeenCalledWith('omni-moderation-latest', ['first', 'a tool result'], {
      requestId: 'r1:moderation',
      caller: { keyId: 'k1' },
      task: 'moderation',
      middleware: false,
    });
    expect(context.decision).toBe('clean');
  });

  it('a route’s thresholds replace the global ones; over one refuses with content_flagged', async () => {
    const settings = Object.assign(new ModerationConfig(), {
      categories: { violence: 0.9 },
      routes: { kids: { violence: 0.2 } },
    });
    const moderate = () => Promise.resolve([verdict({ violence: 0.3 })]);
    const guard = new ModerationGuard(
      () => settings,
      () => ({ moderate, chat: jest.fn() }),
    );
    await expect(guard.beforeRequest(contextFor())).resolves.toBeUndefined();
    const kids = contextFor('kids');
    await expect(guard.beforeRequest(kids)).rejects.toMatchObject({
      code: GatewayErrorCode.CONTENT_FLAGGED,
    });
    expect(kids.decision).toBe('blocked:violence');
  });

  it('with output on, a flagged answer is withheld', async () => {
    const settings = Object.assign(new ModerationConfig(), { output: true, input: false });
    const moderate = jest.fn((_m: string, inputs: string[]) =>
      Promise.resolve(
        inputs.map((t) => verdict({ violence: t.includes('gore') ? 0.95 : 0 }, t.includes('gore'))),
      ),
    );
    const guard = new ModerationGuard(
      () => settings,
      () => ({ moderate, chat: jest.fn() }),
    );
    const context = contextFor();
    await guard.beforeRequest(context);
    expect(moderate).not.toHaveBeenCalled();
    const answer = (content: string) =>
      ({ choices: [{ index: 0, message: { role: 'assistant', content } }] }) as ChatResponse;
    await guard.afterResponse(context, answer('all calm'));
    await expect(guard.afterResponse(context, answer('so much gore'))).rejects.toMatchObject({
      code: GatewayErrorCode.CONTENT_FLAGGED,
    });
    expect(context.decision).toBe('blocked-output:violence');
  });
});
