import type { ChatRequest, ChatResponse } from '../types/unified';
import { middlewareContext } from './middleware.fixtures';
import type { MiddlewareContext } from './gateway-middleware';
import { RequestLogger, sampled } from './request-logger.middleware';

function contextFor(requestId: string): MiddlewareContext {
  const messages: ChatRequest['messages'] = [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'my secret plan' },
  ];
  return middlewareContext({ model: 'm', messages }, { requestId });
}

describe('RequestLogger', () => {
  const answer = {
    model: 'm',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } }],
    usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
  } as ChatResponse;

  it('logs counts and ids, never the text unless logging.logPrompts is on', () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = { log: (line: Record<string, unknown>) => lines.push(line) };
    const quiet = new RequestLogger(
      () => ({ sampleRate: 1 }),
      () => false,
      log,
    );
    const context = contextFor('r1');
    quiet.beforeRequest(context);
    quiet.afterResponse(context, answer);
    expect(lines[0]).toMatchObject({ msg: 'request', messages: 2, textChars: 17 });
    expect(lines[1]).toMatchObject({ msg: 'response', promptTokens: 5, completionTokens: 1 });
    expect(JSON.stringify(lines)).not.toContain('secret');
    const loud = new RequestLogger(
      () => ({ sampleRate: 1 }),
      () => true,
      log,
    );
    loud.beforeRequest(contextFor('r2'));
    expect(lines[2]).toMatchObject({ prompt: 'my secret plan' });
  });

  it('samples by request id: both lines of a request or neither, near the rate', () => {
    expect(sampled('any', 1)).toBe(true);
    expect(sampled('any', 0)).toBe(false);
    let kept = 0;
    for (let i = 0; i < 10_000; i++) if (sampled(`req-${i}`, 0.1)) kept++;
    expect(kept).toBeGreaterThan(800);
    expect(kept).toBeLessThan(1_200);
    const lines: unknown[] = [];
    const logger = new RequestLogger(
      () => ({ sampleRate: 0 }),
      () => false,
      { log: (l: unknown) => lines.push(l) },
    );
    const context = contextFor('r3');
    logger.beforeRequest(context);
    logger.afterResponse(context, answer);
    logger.afterStream(context, true);
    expect(lines).toEqual([]);
  });
});
