/**
 * The task engine's own failures, as stable string codes (the wire names of the error
 * body's `code`, so they never change once shipped). Only the gateway app's exception
 * filter turns a code into an HTTP status; the core's `GatewayError` keeps the request
 * path's failures (limits, budgets, providers, caller mistakes on a field).
 */
export enum TaskErrorCode {
  /**
   * Every candidate answered a structured task with output that failed its schema or
   * checks, one repair included. Not retryable: the same models would answer alike.
   */
  INVALID_OUTPUT = 'invalid_model_output',
  /** An `Idempotency-Key` already names a job with a different request. */
  IDEMPOTENCY_CONFLICT = 'idempotency_key_reused',
  /** The job queue (Redis) or the file readers cannot take work now. */
  QUEUE_UNAVAILABLE = 'queue_unavailable',
  /**
   * The set of tasks cannot be built: a YAML definition that does not hold, or two
   * handlers claiming one task name. Raised at boot, never by a request.
   */
  INVALID_DEFINITION = 'invalid_task_definition',
}

export interface TaskErrorOptions {
  /** Whether the same call may succeed later. Defaults from the code. */
  retryable?: boolean;
  /** How long to wait before trying again, in milliseconds (`Retry-After`). */
  retryAfterMs?: number;
  /** Request field or header at fault (OpenAI's `param`). */
  param?: string;
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<TaskErrorCode> = new Set([TaskErrorCode.QUEUE_UNAVAILABLE]);

/**
 * The one exception type of the task engine: a code and never an HTTP status. Messages
 * name tasks, models, jobs and fields, never input text or model answers.
 */
export class TaskError extends Error {
  readonly code: TaskErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly param?: string;

  constructor(code: TaskErrorCode, message: string, options: TaskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TaskError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.retryAfterMs = options.retryAfterMs;
    this.param = options.param;
  }
}

export function isTaskError(error: unknown): error is TaskError {
  return error instanceof TaskError;
}
