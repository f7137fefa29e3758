/** The verdict of a task's output checks on one model answer. */
export type OutputCheck<T> =
  | { ok: true; value: T }
  /**
   * `problems`: short, specific sentences ("work[1].name \"Initech\" does not appear in
   * the resume"). They go back to the model in the repair prompt and are counted, never
   * logged: they may quote the resume.
   */
  | { ok: false; problems: string[] };

/**
 * What a task expects a model to answer, and how the answer is judged. The JSON Schema
 * is sent as `response_format: json_schema` (every adapter maps it to its provider's
 * structured output); `check` is the authority, because not every provider enforces a
 * schema and none checks facts (quotes, invented employers).
 */
export interface TaskOutputSpec<TInput, TValue> {
  /** Schema name sent to providers (`[a-z0-9_]{1,64}`). */
  readonly name: string;
  /**
   * Closed JSON Schema of the model's answer: only `type`, `properties`, `required`,
   * `items`, string `enum`, `description`, `minimum`/`maximum`, `minItems`/`maxItems`
   * and `additionalProperties: false` (the subset every provider accepts).
   */
  readonly jsonSchema: Record<string, unknown>;
  /** Validates a parsed answer against the schema and the task's own rules. */
  check(answer: unknown, input: TInput): OutputCheck<TValue>;
}
