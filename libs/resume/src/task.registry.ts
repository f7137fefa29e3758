import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { GatewayError } from '@ai-gateway/core';
import { DEFINED_TASK_HANDLERS } from './definitions/task-definitions.providers';
import type { DefinedTaskHandler } from './definitions/defined-task.handler';
import { TaskError, TaskErrorCode } from './errors/task.error';
import { RESUME_TASK_TYPES } from './resume-task-type.enum';
import { TASK_HANDLER, TASK_NAME } from './task.decorator';
import type { TaskContext, TaskHandler } from './task-handler.interface';
import type { TaskResult } from './task-result';

/** A task whose input passed its checks (and was prepared): ready to run or to queue. */
export interface PreparedTask {
  type: string;
  /** The typed input, as it will be stored in a job. */
  input: unknown;
  /** Characters of text in the input (inline versus queued). */
  size: number;
}

/**
 * Maps each task name to its one handler: the built-in resume tasks, the host's
 * `@Task(...)` providers (found through Nest's discovery, like @nestjs/bullmq finds its
 * processors) and the YAML definitions of `tasks.definitions`. Boot fails (at module
 * init) when two claim one name, a name is malformed, or a built-in is missing, so a
 * worker never accepts a job it cannot run.
 */
@Injectable()
export class TaskRegistry implements OnModuleInit {
  private readonly byName = new Map<string, TaskHandler>();
  private names: string[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(DEFINED_TASK_HANDLERS) private readonly defined: readonly DefinedTaskHandler[],
  ) {}

  onModuleInit(): void {
    const problems: string[] = [];
    const claims = new Map<string, string[]>();
    const claim = (name: string, handler: TaskHandler, source: string): void => {
      if (!TASK_NAME.test(name)) {
        problems.push(`${source}: task name "${name.slice(0, 80)}" must match ${TASK_NAME}`);
        return;
      }
      claims.set(name, [...(claims.get(name) ?? []), source]);
      if (!this.byName.has(name)) this.byName.set(name, handler);
    };

    for (const wrapper of this.discovery.getProviders({ metadataKey: TASK_HANDLER.KEY })) {
      const name = this.discovery.getMetadataByDecorator(TASK_HANDLER, wrapper);
      const source = `provider ${wrapper.name}`;
      if (typeof name !== 'string') problems.push(`${source}: @Task() needs a task name`);
      else if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
        problems.push(`${source}: a task handler must be a singleton provider`);
      } else claim(name, wrapper.instance as TaskHandler, source);
    }
    for (const handler of this.defined) claim(handler.name, handler, handler.source);

    for (const [name, sources] of claims) {
      if (sources.length > 1) {
        problems.push(`task "${name}" is claimed more than once: ${sources.join(', ')}`);
      }
    }
    for (const type of RESUME_TASK_TYPES) {
      if (!claims.has(type)) problems.push(`no handler for the built-in task "${type}"`);
    }
    if (problems.length > 0) {
      throw new TaskError(
        TaskErrorCode.INVALID_DEFINITION,
        `The task registry cannot be built:\n  ${problems.join('\n  ')}`,
      );
    }
    const builtIn = RESUME_TASK_TYPES as readonly string[];
    this.names = [
      ...builtIn,
      ...[...this.byName.keys()].filter((name) => !builtIn.includes(name)).sort(),
    ];
  }

  /** Task names this process can run: the built-ins in their order, then the rest by name. */
  types(): string[] {
    return [...this.names];
  }

  /**
   * The handler of a task type given by a caller or a job payload. An unknown type is
   * the caller's mistake (`INVALID_REQUEST` on `type`), answered with the valid ones.
   */
  get(type: unknown): TaskHandler {
    const handler = typeof type === 'string' ? this.byName.get(type) : undefined;
    if (!handler) {
      const shown = typeof type === 'string' ? `"${type.slice(0, 64)}"` : typeof type;
      throw GatewayError.invalidRequest(
        `Invalid request: 'type' ${shown} is not a task type (expected one of ${this.names.join(', ')})`,
        'type',
      );
    }
    return handler;
  }

  /**
   * Checks a caller's task (type and input) and prepares its input (a resume file becomes
   * text): every caller mistake surfaces here as `INVALID_REQUEST`, before anything runs
   * or is queued.
   */
  async prepare(type: unknown, input: unknown, ctx: TaskContext = {}): Promise<PreparedTask> {
    const handler = this.get(type);
    const valid = handler.validateInput(input);
    const prepared = handler.prepare ? await handler.prepare(valid, ctx) : valid;
    return { type: type as string, input: prepared, size: handler.sizeOf(prepared) };
  }

  /**
   * Runs a prepared task (or a queued job's input). The input is checked again: a job
   * payload crossed a process boundary and is not trusted blindly. The result carries
   * the registered name, whatever the handler wrote.
   */
  async run(task: { type: unknown; input: unknown }, ctx: TaskContext = {}): Promise<TaskResult> {
    const handler = this.get(task.type);
    const result = await handler.run(handler.validateInput(task.input), ctx);
    return { ...result, type: task.type as string };
  }

  /** Validates, prepares and runs in one step (the library's in-process path). */
  async execute(type: unknown, input: unknown, ctx: TaskContext = {}): Promise<TaskResult> {
    return this.run(await this.prepare(type, input, ctx), ctx);
  }
}
