import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { ResumeTaskContext, ResumeTaskHandler } from './resume-task-handler.interface';
import { RESUME_TASK_TYPES, ResumeTaskType } from './resume-task-type.enum';
import { ResumeTaskRegistry } from './resume-task.registry';
import type { TaskResult } from './task-result';
import { usageOfCalls } from './task-result';

type Input = { text: string };

/** A handler of our own interface that records what it was given (no model involved). */
function handler(
  type: ResumeTaskType,
  runs: Array<{ input: Input; ctx: ResumeTaskContext }> = [],
  prepare?: (input: Input) => Promise<Input>,
): ResumeTaskHandler<Input, string> {
  return {
    type,
    validateInput: (input: unknown) => {
      const text = (input as Partial<Input> | null)?.text;
      if (typeof text !== 'string' || text === '') {
        throw GatewayError.invalidRequest('bad input', 'input.text');
      }
      return { text };
    },
    ...(prepare ? { prepare } : {}),
    sizeOf: (input) => input.text.length,
    run: (input, ctx): Promise<TaskResult<string>> => {
      runs.push({ input, ctx });
      return Promise.resolve({
        type,
        output: `${type}: ${input.text}`,
        model: { provider: 'p', model: 'm', fake: true },
        calls: [],
        usage: usageOfCalls([]),
      });
    },
  };
}

const complete = (...replaced: ResumeTaskHandler[]) => [
  ...replaced,
  ...RESUME_TASK_TYPES.filter((type) => !replaced.some((h) => h.type === type)).map((type) =>
    handler(type),
  ),
];

describe(ResumeTaskRegistry.name, () => {
  it('knows every task type when each has a handler', () => {
    const registry = new ResumeTaskRegistry(complete());
    expect(() => registry.onModuleInit()).not.toThrow();
    expect(registry.types()).toEqual(['parse', 'score', 'optimize', 'test']);
    for (const type of RESUME_TASK_TYPES) expect(registry.get(type).type).toBe(type);
  });

  it('fails at module init naming each task type without a handler', () => {
    const registry = new ResumeTaskRegistry([
      handler(ResumeTaskType.PARSE),
      handler(ResumeTaskType.TEST),
    ]);
    expect(() => registry.onModuleInit()).toThrow(
      expect.objectContaining({
        code: GatewayErrorCode.INTERNAL,
        message:
          'Resume task registry is incomplete: no handler for task type "score"; no handler for task type "optimize"',
      }),
    );
  });

  it('fails at module init when a task type has two handlers', () => {
    const registry = new ResumeTaskRegistry([...complete(), handler(ResumeTaskType.SCORE)]);
    expect(() => registry.onModuleInit()).toThrow('more than one handler for task type "score"');
  });

  it('rejects an unknown task type as the caller’s mistake, on `type`', () => {
    const registry = new ResumeTaskRegistry(complete());
    for (const type of ['translate', 'PARSE', 42, undefined]) {
      expect(() => registry.get(type)).toThrow(
        expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param: 'type' }),
      );
    }
  });

  it('prepare validates, runs the handler’s preparation, and measures the prepared input', async () => {
    const registry = new ResumeTaskRegistry(
      complete(
        handler(ResumeTaskType.PARSE, [], (input) =>
          Promise.resolve({ text: `${input.text} (read from a file)` }),
        ),
      ),
    );
    await expect(registry.prepare('parse', { text: 'cv.txt' })).resolves.toEqual({
      type: 'parse',
      input: { text: 'cv.txt (read from a file)' },
      size: 25,
    });
    await expect(registry.prepare('score', { text: 'cv' })).resolves.toEqual({
      type: 'score',
      input: { text: 'cv' },
      size: 2,
    });
    await expect(registry.prepare('parse', { text: '' })).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      param: 'input.text',
    });
  });

  it('run validates a job payload again before the handler sees it', async () => {
    const runs: Array<{ input: Input; ctx: ResumeTaskContext }> = [];
    const registry = new ResumeTaskRegistry(complete(handler(ResumeTaskType.SCORE, runs)));
    // Wrapped: `run` may throw before it returns its promise; either way the caller awaits.
    const invalid = (async () => registry.run({ type: 'score', input: { text: '' } }))();
    await expect(invalid).rejects.toMatchObject({ code: GatewayErrorCode.INVALID_REQUEST });
    expect(runs).toEqual([]);

    const result = await registry.run(
      { type: 'score', input: { text: 'cv', extra: 'dropped' } },
      { requestId: 'job-7' },
    );
    expect(result.output).toBe('score: cv');
    expect(runs).toEqual([{ input: { text: 'cv' }, ctx: { requestId: 'job-7' } }]);
  });

  it('execute prepares, then runs with the prepared input', async () => {
    const runs: Array<{ input: Input; ctx: ResumeTaskContext }> = [];
    const registry = new ResumeTaskRegistry(
      complete(
        handler(ResumeTaskType.PARSE, runs, (input) =>
          Promise.resolve({ text: input.text.trim() }),
        ),
      ),
    );
    await expect(registry.execute('parse', { text: '  cv  ' })).resolves.toMatchObject({
      type: 'parse',
      output: 'parse: cv',
    });
    expect(runs.map((r) => r.input)).toEqual([{ text: 'cv' }]);
  });
});
