import { optionalStringList, requireInputObject } from '../task-input.validators';

/** Input of the `test` task. */
export interface TestTaskInput {
  /** Models or routes to probe; the task's default model when absent. */
  models?: string[];
}

const FIELDS = ['models'] as const;

/** Bounded so one request cannot fan out into an unbounded number of paid calls. */
export const MAX_PROBED_MODELS = 20;

/**
 * Checks a `test` input (which may be omitted); throws `GatewayError` `INVALID_REQUEST`
 * naming the field.
 */
export function validateTestInput(input: unknown): TestTaskInput {
  if (input === undefined || input === null) return {};
  const object = requireInputObject(input, FIELDS);
  const models = optionalStringList(object, 'models', {
    maxItems: MAX_PROBED_MODELS,
    maxChars: 256,
  });
  return models ? { models } : {};
}
