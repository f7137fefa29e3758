import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { ResumeTaskContext, ResumeTaskHandler } from './resume-task-handler.interface';
import { isResumeTaskType, RESUME_TASK_TYPES, ResumeTaskType } from './resume-task-type.enum';
import type { TaskResult } from './task-result';

/** A task whose input passed its checks (and was prepared): ready to run or to queue. */
export interface PreparedTask {
  type: ResumeTaskType;
  /** The typed input, as it will be stored in a job. */
  input: unknown;
  /** Characters of text in the input (inline versus queued). */
  size: number;
}

/** Token of the handler list `ResumeModule` hands to the registry. */
export const RESUME_TASK_HANDLERS = Symbol('RESUME_TASK_HANDLERS');

/**
 * Maps each task type to its one handler. Boot fails (at module init) when a type has
 * no handler or two, so a worker never accepts a job it cannot run.
 */
@Injectable()
export class ResumeTaskRegistry implements OnModuleInit {
  private readonly byType = new Map<ResumeTaskType, ResumeTaskHandler>();
  private readonly duplicates: ResumeTaskType[] = [];

  constructor(@Inject(RESUME_TASK_HANDLERS) handlers: readonly ResumeTaskHandler[]) {
    for (const handler of handlers) {
      if (this.byType.has(handler.type)) this.duplicates.push(handler.type);
      else this.byType.set(handler.type, handler);
    }
  }

  onModuleInit(): void {
    const problems = [
      ...RESUME_TASK_TYPES.filter((type) => !this.byType.has(type)).map(
        (type) => `no handler for task type "${type}"`,
      ),
      ...this.duplicates.map((type) => `more than one handler for task type "${type}"`),
    ];
    if (problems.length > 0) {
      throw new GatewayError(
        GatewayErrorCode.INTERNAL,
        `Resume task registry is incomplete: ${problems.join('; ')}`,
      );
    }
  }

  /** Task types this process can run, in declaration order. */
  types(): ResumeTaskType[] {
    return RESUME_TASK_TYPES.filter((type) => this.byType.has(type));
  }

  /**
   * The handler of a task type given by a caller or a job payload. An unknown type is
   * the caller's mistake (`INVALID_REQUEST` on `type`).
   */
  get(type: unknown): ResumeTaskHandler {
    if (!isResumeTaskType(type)) {
      const shown = typeof type === 'string' ? `"${type.slice(0, 64)}"` : typeof type;
      throw GatewayError.invalidRequest(
        `Invalid request: 'type' ${shown} is not a task type (expected one of ${RESUME_TASK_TYPES.join(', ')})`,
        'type',
      );
    }
    const handler = this.byType.get(type);
    if (!handler) {
      throw new GatewayError(GatewayErrorCode.INTERNAL, `No handler for task type "${type}"`);
    }
    return handler;
  }

  /**
   * Checks a caller's task (type and input) and prepares its input (a resume file becomes
   * text): every caller mistake surfaces here as `INVALID_REQUEST`, before anything runs
   * or is queued.
   */
  async prepare(type: unknown, input: unknown, ctx: ResumeTaskContext = {}): Promise<PreparedTask> {
    const handler = this.get(type);
    const valid = handler.validateInput(input);
    const prepared = handler.prepare ? await handler.prepare(valid, ctx) : valid;
    return { type: handler.type, input: prepared, size: handler.sizeOf(prepared) };
  }

  /**
   * Runs a prepared task (or a queued job's input). The input is checked again: a job
   * payload crossed a process boundary and is not trusted blindly.
   */
  async run(
    task: { type: unknown; input: unknown },
    ctx: ResumeTaskContext = {},
  ): Promise<TaskResult> {
    const handler = this.get(task.type);
    return handler.run(handler.validateInput(task.input), ctx);
  }

  /** Validates, prepares and runs in one step (the library's in-process path). */
  async execute(type: unknown, input: unknown, ctx: ResumeTaskContext = {}): Promise<TaskResult> {
    return this.run(await this.prepare(type, input, ctx), ctx);
  }
}
