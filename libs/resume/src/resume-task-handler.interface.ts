import type { ResponseMeta } from '@ai-gateway/core';
import type { ResumeTaskType } from './resume-task-type.enum';

/** Per-run context a caller (the tasks API, a queue processor) hands to a handler. */
export interface ResumeTaskContext {
  /** Correlates logs and usage rows with the job or HTTP request; generated when absent. */
  requestId?: string;
  /** Cancels the model call (client gone, job cancelled, worker shutting down). */
  signal?: AbortSignal;
  /** Model or route to use instead of the task's default. */
  model?: string;
}

/**
 * One resume task type: checks its input, then runs it. `validateInput` is separate
 * from `run` so a caller can reject a bad request before it is queued.
 */
export interface ResumeTaskHandler<TInput = unknown, TOutput = unknown> {
  readonly type: ResumeTaskType;
  /**
   * Returns the input typed, or throws `GatewayError` `INVALID_REQUEST` whose `param`
   * names the field at fault (`input.<field>`).
   */
  validateInput(input: unknown): TInput;
  run(input: TInput, ctx: ResumeTaskContext): Promise<TOutput>;
}

/** A JSON object as parsed from a model's answer. */
export type JsonObject = Record<string, unknown>;

/**
 * Output of a task answered by one model call. `data` is the model's JSON object as
 * parsed, not yet checked against the task's output schema (a later issue adds that).
 */
export interface ModelTaskOutput {
  data: JsonObject;
  /** Who answered (provider, model, `fake`), latency and usage. */
  meta: ResponseMeta;
}
