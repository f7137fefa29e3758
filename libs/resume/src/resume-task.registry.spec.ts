import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { ResumeTaskHandler } from './resume-task-handler.interface';
import { RESUME_TASK_TYPES, ResumeTaskType } from './resume-task-type.enum';
import { ResumeTaskRegistry } from './resume-task.registry';

/** A handler of our own interface that records its runs (no model involved). */
function handler(
  type: ResumeTaskType,
  runs: unknown[] = [],
): ResumeTaskHandler<{ ok: true }, string> {
  return {
    type,
    validateInput: (input: unknown) => {
      if (input !== 'good') throw GatewayError.invalidRequest('bad input', 'input');
      return { ok: true };
    },
    run: (input) => {
      runs.push(input);
      return Promise.resolve(`${type} done`);
    },
  };
}

describe(ResumeTaskRegistry.name, () => {
  it('knows every task type when each has a handler', () => {
    const registry = new ResumeTaskRegistry(RESUME_TASK_TYPES.map((type) => handler(type)));
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
    const registry = new ResumeTaskRegistry([
      ...RESUME_TASK_TYPES.map((type) => handler(type)),
      handler(ResumeTaskType.SCORE),
    ]);
    expect(() => registry.onModuleInit()).toThrow('more than one handler for task type "score"');
  });

  it('rejects an unknown task type as the caller’s mistake, on `type`', () => {
    const registry = new ResumeTaskRegistry(RESUME_TASK_TYPES.map((type) => handler(type)));
    for (const type of ['translate', 'PARSE', 42, undefined]) {
      expect(() => registry.get(type)).toThrow(
        expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param: 'type' }),
      );
    }
  });

  it('execute validates before running, and runs with the validated input', async () => {
    const runs: unknown[] = [];
    const registry = new ResumeTaskRegistry([
      handler(ResumeTaskType.PARSE, runs),
      ...RESUME_TASK_TYPES.slice(1).map((type) => handler(type)),
    ]);

    await expect(registry.execute('parse', 'bad')).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
    });
    expect(runs).toEqual([]);

    await expect(registry.execute('parse', 'good')).resolves.toBe('parse done');
    expect(runs).toEqual([{ ok: true }]);
  });
});
