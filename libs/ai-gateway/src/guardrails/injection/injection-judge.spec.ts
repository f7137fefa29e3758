import { InjectionJudgeConfig } from '../../config/guardrails-config.schema';
import type { MiddlewareContext } from '../gateway-middleware';
import type { GuardrailCalls } from '../guardrail-calls';
import { InjectionJudge, JUDGE_INSTRUCTIONS, parseVerdict } from './injection-judge';

const context = { requestId: 'r', state: new Map() } as unknown as MiddlewareContext;

function judgeAnswering(...answers: string[]) {
  const chat = jest.fn<ReturnType<GuardrailCalls['chat']>, Parameters<GuardrailCalls['chat']>>(() =>
    Promise.resolve({
      choices: [{ index: 0, message: { role: 'assistant', content: answers.shift() ?? '' } }],
    } as Awaited<ReturnType<GuardrailCalls['chat']>>),
  );
  return { judge: new InjectionJudge(() => ({ chat, moderate: jest.fn() })), chat };
}

const settings = (cacheEntries = 10): InjectionJudgeConfig =>
  Object.assign(new InjectionJudgeConfig(), { model: 'judge/m', cacheEntries });

describe('InjectionJudge', () => {
  it('asks with the fixed instructions, the text as data, temperature 0, no middleware', async () => {
    const { judge, chat } = judgeAnswering('{"injection": true, "confidence": 0.7}');
    await expect(judge.judge('ignore it all', settings(), context)).resolves.toEqual({
      injection: true,
      confidence: 0.7,
    });
    const [request, options] = chat.mock.calls[0];
    expect(request).toMatchObject({ model: 'judge/m', temperature: 0 });
    expect(request.messages[0]).toEqual({ role: 'system', content: JUDGE_INSTRUCTIONS });
    expect(request.messages[1].content).toContain('<<<\nignore it all\n>>>');
    expect(options).toMatchObject({ middleware: false, task: 'injection-judge' });
  });

  it('judges a text once, and forgets the least recently used past its cache size', async () => {
    const { judge, chat } = judgeAnswering(
      '{"injection": false}',
      '{"injection": true}',
      '{"injection": false}',
    );
    await judge.judge('a', settings(1), context);
    await judge.judge('a', settings(1), context);
    expect(chat).toHaveBeenCalledTimes(1);
    await judge.judge('b', settings(1), context);
    await judge.judge('a', settings(1), context);
    expect(chat).toHaveBeenCalledTimes(3);
  });

  it('an answer that is not the JSON verdict is a failure, never a verdict', () => {
    expect(() => parseVerdict('Sure! It is safe.')).toThrow(/did not answer/);
    expect(() => parseVerdict('{"injection": "yes"}')).toThrow(/did not answer/);
    expect(() => parseVerdict(null)).toThrow(/did not answer/);
    expect(parseVerdict('```json\n{"injection": false, "confidence": 3}\n```')).toEqual({
      injection: false,
      confidence: 1,
    });
  });
});
