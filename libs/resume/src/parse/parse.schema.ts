import { requireInputObject, requireText } from '../task-input.validators';

/** Input of the `parse` task. */
export interface ParseTaskInput {
  /** The resume as plain text (extracted from PDF/DOCX by the caller). */
  resumeText: string;
}

const FIELDS = ['resumeText'] as const;

/** Checks a `parse` input; throws `GatewayError` `INVALID_REQUEST` naming the field. */
export function validateParseInput(input: unknown): ParseTaskInput {
  const object = requireInputObject(input, FIELDS);
  return { resumeText: requireText(object, 'resumeText') };
}
