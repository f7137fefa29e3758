import type { Type } from '@nestjs/common';
import { Injectable, Scope } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { DEFINED_TASK_HANDLERS } from './definitions/task-definitions.providers';
import { TaskErrorCode } from './errors/task.error';
import { Task } from './task.decorator';
import type { TaskContext, TaskHandler } from './task-handler.interface';
import { TaskRegistry } from './task.registry';
import type { TaskResult } from './task-result';
import { usageOfCalls } from './task-result';

type Input = { text: string };

/** Every run any recording handler was given, in order. */
const runs: Array<{ task: string; input: Input; ctx: TaskContext }> = [];

/** A handler of our own interface that records what it was given (no model involved). */
abstract class Recording implements TaskHandler<Input, string> {
  protected abstract readonly task: string;

  validateInput(input: unknown): Input {
    const text = (input as Partial<Input> | null)?.text;
    if (typeof text !== 'string' || text === '') {
      throw GatewayError.invalidRequest('bad input', 'input.text');
    }
    return { text };
  }

  sizeOf(input: Input): number {
    return input.text.length;
  }

  run(input: Input, ctx: TaskContext): Promise<TaskResult<string>> {
    runs.push({ task: this.task, input, ctx });
    return Promise.resolve({
      type: 'whatever the handler says',
      output: `${this.task}: ${input.text}`,
      model: { provider: 'p', model: 'm', fake: true },
      calls: [],
      usage: usageOfCalls([]),
    });
  }
}

@Task('parse')
@Injectable()
class Parse extends Recording {
  protected readonly task = 'parse';
  /** Reading a file at enqueue time, as the real parse handler does. */
  prepare(input: Input): Promise<Input> {
    return Promise.resolve({ text: `${input.text.trim()} (read from a file)` });
  }
}
@Task('score')
@Injectable()
class Score extends Recording {
  protected readonly task = 'score';
}
@Task('optimize')
@Injectable()
class Optimize extends Recording {
  protected readonly task = 'optimize';
}
@Task('test')
@Injectable()
class SkillsTest extends Recording {
  protected readonly task = 'test';
}
@Task('contract_review')
@Injectable()
class ContractReview extends Recording {
  protected readonly task = 'contract_review';
}
@Task('contract_review')
@Injectable()
class AnotherContractReview extends Recording {
  protected readonly task = 'contract_review';
}
@Task('Contract Review')
@Injectable()
class BadlyNamed extends Recording {
  protected readonly task = 'Contract Review';
}
@Task('per_request')
@Injectable({ scope: Scope.REQUEST })
class PerRequest extends Recording {
  protected readonly task = 'per_request';
}

const BUILT_INS = [Parse, Score, Optimize, SkillsTest];

/** A real Nest module with these providers; resolves to the initialised registry. */
async function registryWith(handlers: Type[]): Promise<TaskRegistry> {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [...handlers, TaskRegistry, { provide: DEFINED_TASK_HANDLERS, useValue: [] }],
  }).compile();
  await module.init();
  return module.get(TaskRegistry);
}

async function bootFailure(handlers: Type[]): Promise<string> {
  const error = await registryWith(handlers).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: TaskErrorCode.INVALID_DEFINITION });
  return (error as Error).message;
}

describe(TaskRegistry.name, () => {
  beforeEach(() => (runs.length = 0));

  it('finds every @Task provider: the built-ins first, then the others by name', async () => {
    const registry = await registryWith([ContractReview, ...BUILT_INS]);
    expect(registry.types()).toEqual(['parse', 'score', 'optimize', 'test', 'contract_review']);
    expect(registry.get('contract_review')).toBeInstanceOf(ContractReview);
  });

  it('fails at boot naming each built-in task without a handler', async () => {
    const message = await bootFailure([Parse, SkillsTest]);
    expect(message).toContain('no handler for the built-in task "score"');
    expect(message).toContain('no handler for the built-in task "optimize"');
  });

  it('fails at boot when two handlers claim one name, naming both', async () => {
    const message = await bootFailure([...BUILT_INS, ContractReview, AnotherContractReview]);
    expect(message).toContain(
      'task "contract_review" is claimed more than once: provider ContractReview, provider AnotherContractReview',
    );
  });

  it('fails at boot on a malformed name and on a handler that is not a singleton', async () => {
    const message = await bootFailure([...BUILT_INS, BadlyNamed, PerRequest]);
    expect(message).toContain('provider BadlyNamed: task name "Contract Review" must match');
    expect(message).toContain('provider PerRequest: a task handler must be a singleton provider');
  });

  it('rejects an unknown task type as the caller’s mistake on `type`, listing the valid ones', async () => {
    const registry = await registryWith([...BUILT_INS, ContractReview]);
    for (const type of ['translate', 'PARSE', 42, undefined, 'constructor', '__proto__']) {
      expect(() => registry.get(type)).toThrow(
        expect.objectContaining({
          code: GatewayErrorCode.INVALID_REQUEST,
          param: 'type',
          message: expect.stringContaining(
            '(expected one of parse, score, optimize, test, contract_review)',
          ) as string,
        }),
      );
    }
  });

  it('prepare validates, runs the handler’s preparation, and measures the prepared input', async () => {
    const registry = await registryWith(BUILT_INS);
    await expect(registry.prepare('parse', { text: ' cv.txt ' })).resolves.toEqual({
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

  it('run validates a job payload again, and the result carries the registered name', async () => {
    const registry = await registryWith([...BUILT_INS, ContractReview]);
    // Wrapped: `run` may throw before it returns its promise; either way the caller awaits.
    const invalid = (async () => registry.run({ type: 'score', input: { text: '' } }))();
    await expect(invalid).rejects.toMatchObject({ code: GatewayErrorCode.INVALID_REQUEST });
    expect(runs).toEqual([]);

    const result = await registry.run(
      { type: 'contract_review', input: { text: 'nda', extra: 'dropped' } },
      { requestId: 'job-7' },
    );
    expect(result).toMatchObject({ type: 'contract_review', output: 'contract_review: nda' });
    expect(runs).toEqual([
      { task: 'contract_review', input: { text: 'nda' }, ctx: { requestId: 'job-7' } },
    ]);
  });

  it('execute prepares, then runs with the prepared input', async () => {
    const registry = await registryWith(BUILT_INS);
    await expect(registry.execute('parse', { text: '  cv  ' })).resolves.toMatchObject({
      type: 'parse',
      output: 'parse: cv (read from a file)',
    });
    expect(runs.map((r) => r.input)).toEqual([{ text: 'cv (read from a file)' }]);
  });
});
