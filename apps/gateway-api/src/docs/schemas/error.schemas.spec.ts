import type { AnthropicErrorBody } from '../../http/anthropic-error';
import { anthropicErrorTypeOf, toAnthropicError } from '../../http/anthropic-error';
import type { OpenAiErrorBody } from '../../http/error-response';
import { errorBody } from '../../http/error-response';
import type { AnthropicErrorShape, OpenAiErrorShape } from './error.schemas';
import { ANTHROPIC_ERROR_TYPES, ERROR_SCHEMAS } from './error.schemas';
import type { JsonSchema } from './json-schema';

/** True only when each type is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Compile-time: the documented shapes are the ones the error filters write.
const openAiShapeAgrees: Same<OpenAiErrorShape, OpenAiErrorBody> = true;
const anthropicShapeAgrees: Same<AnthropicErrorShape, AnthropicErrorBody> = true;

/** Every property path of a value, checked against the schema's properties. */
function undocumented(value: unknown, schema: JsonSchema, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const property = schema.properties?.[key];
    if (!property) return [`${path}${key}`];
    return undocumented(inner, property, `${path}${key}.`);
  });
}

describe('ERROR_SCHEMAS', () => {
  it('agree with the error bodies the app writes (types)', () => {
    expect([openAiShapeAgrees, anthropicShapeAgrees]).toEqual([true, true]);
  });

  it("describe every field of OpenAI's error body, all of them required", () => {
    const body = errorBody('Bad thing', 'invalid_request_error', 'invalid_request', 'model');

    expect(undocumented(body, ERROR_SCHEMAS.Error)).toEqual([]);
    expect(ERROR_SCHEMAS.Error.properties?.error.required).toEqual([
      'message',
      'type',
      'param',
      'code',
    ]);
  });

  it("describe every field of Anthropic's error body, and every error type it uses", () => {
    const failure = { status: 400, body: errorBody('Bad', 'invalid_request_error', 'x', 'y') };
    const { body } = toAnthropicError(failure, 'req-1');
    const statuses = [400, 401, 403, 404, 413, 429, 500, 502, 503, 504, 529];

    expect(undocumented(body, ERROR_SCHEMAS.AnthropicError)).toEqual([]);
    for (const status of statuses) {
      expect(ANTHROPIC_ERROR_TYPES).toContain(anthropicErrorTypeOf(status));
    }
  });
});
