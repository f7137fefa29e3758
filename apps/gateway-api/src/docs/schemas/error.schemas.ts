import type { JsonSchema } from './json-schema';
import { nullable, objectOf, optional, string } from './json-schema';

// The bodies as the app's error filters write them (`http/error-response.ts`,
// `http/anthropic-error.ts`). Restated here, not imported: `http/` reaches the controllers'
// rooms, which import this one. error.schemas.spec.ts checks that the two agree.

/** OpenAI's error body: `OpenAiErrorBody`. */
export interface OpenAiErrorShape {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export const ANTHROPIC_ERROR_TYPES = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'overloaded_error',
] as const;

/** Anthropic's error body: `AnthropicErrorBody`. */
export interface AnthropicErrorShape {
  type: 'error';
  error: {
    type: (typeof ANTHROPIC_ERROR_TYPES)[number];
    message: string;
    details?: { error_code: string; param: string | null };
  };
  request_id?: string;
}

/** Every error of the gateway's own APIs and of its OpenAI-compatible doors. */
const errorSchema: JsonSchema = objectOf<OpenAiErrorShape>()(
  {
    error: objectOf<OpenAiErrorShape['error']>()({
      message: string('What went wrong, for a person; never a key or a prompt.'),
      type: string("OpenAI's error type: invalid_request_error, rate_limit_error, server_error…", {
        examples: ['invalid_request_error'],
      }),
      param: nullable(string('The field or parameter at fault, when there is one.')),
      code: nullable(
        string("The gateway's error code (invalid_api_key, not_found, budget_exceeded, …).", {
          examples: ['invalid_request'],
        }),
      ),
    }),
  },
  "OpenAI's error shape, as every OpenAI client reads it.",
);

/** `/v1/messages` answers in Anthropic's shape, its parse errors included. */
const anthropicErrorSchema: JsonSchema = objectOf<AnthropicErrorShape>()(
  {
    type: string(undefined, { const: 'error' }),
    error: objectOf<AnthropicErrorShape['error']>()({
      type: string("Anthropic's error type.", { enum: ANTHROPIC_ERROR_TYPES }),
      message: string(),
      details: optional(
        objectOf<NonNullable<AnthropicErrorShape['error']['details']>>()({
          error_code: string("The gateway's own error code."),
          param: nullable(string()),
        }),
      ),
    }),
    request_id: optional(string("The gateway's request id (also in x-request-id).")),
  },
  "Anthropic's error shape, as the Anthropic SDKs read it.",
);

export const ERROR_SCHEMAS = {
  Error: errorSchema,
  AnthropicError: anthropicErrorSchema,
} satisfies Record<string, JsonSchema>;
