import type { Caller } from '@ai-gateway/core';
import type { TaskResult } from './task-result';

/** Per-run context a caller (the tasks API, a queue processor) hands to a handler. */
export interface TaskContext {
  /** Correlates logs and usage rows with the job or HTTP request; generated when absent. */
  requestId?: string;
  /** Cancels the model call (client gone, job cancelled, worker shutting down). */
  signal?: AbortSignal;
  /** Model or route to use instead of the task's default. */
  model?: string;
  /** Who asked (gateway key, user, team): budgets, limits and usage rows follow it. */
  caller?: Caller;
}

/**
 * One task type: checks its input, then runs it. A class implementing it becomes a task
 * with `@Task('<name>')` (see `task.decorator.ts`); a YAML definition becomes one without
 * code. `validateInput` is separate from `run` so a caller can reject a bad request
 * before it is queued (a bad input is a 400 at enqueue, never a failed job).
 */
export interface TaskHandler<TInput = unknown, TOutput = unknown> {
  /**
   * Returns the input typed, or throws `GatewayError` `INVALID_REQUEST` whose `param`
   * names the field at fault (`input.<field>`). Synchronous and without I/O.
   */
  validateInput(input: unknown): TInput;
  /**
   * Optional asynchronous preparation at enqueue time (a PDF or DOCX becomes text), so a
   * job stores what it runs on and an unreadable file is the caller's 400, not a failed
   * job. Its result must pass `validateInput` again.
   */
  prepare?(input: TInput, ctx?: TaskContext): Promise<TInput>;
  /** Characters of text the input carries (decides inline versus queued). */
  sizeOf(input: TInput): number;
  run(input: TInput, ctx: TaskContext): Promise<TaskResult<TOutput>>;
}
