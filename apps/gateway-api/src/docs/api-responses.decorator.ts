import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import type { ContentObject, SchemaObject } from '@nestjs/swagger';
import type { ApiSchemaName } from './schemas/api-schemas';
import { schemaRef } from './schemas/api-schemas';
import type { JsonSchema } from './schemas/json-schema';

/** Statuses the gateway's error table (`http/error-response.ts`) and its guards answer with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503 | 504;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid request: `error.param` names the field or parameter at fault.',
  401: 'Missing or wrong key (`invalid_api_key`); wrong keys are throttled per client address.',
  403: 'The key may not use this model (`model_not_allowed`).',
  404: "Not found (`not_found`, `model_not_found`); also what another key's object looks like.",
  409: 'An idempotency key reused with a different request.',
  413: 'The body is larger than `server.bodyLimitBytes`.',
  415: 'The body is not of a type this endpoint reads.',
  429: 'A rate limit, budget or queue depth was reached; `Retry-After` says when to retry.',
  500: 'The gateway failed to handle the request.',
  502: 'The provider failed or answered with nothing usable.',
  503: 'No provider, or a store the request needs (Redis, keys, queue), is available right now.',
  504: 'The provider did not answer in time.',
};

/**
 * The schema as `@nestjs/swagger` takes it. Its interfaces are OpenAPI 3.0's (`type` is one
 * string); the document is 3.1, where `type` may list `null` — hence the one cast, here.
 */
export function asSchema(schema: JsonSchema): SchemaObject {
  return schema as SchemaObject;
}

/** `application/json` content of a schema. */
export function jsonContent(schema: JsonSchema): ContentObject {
  return { 'application/json': { schema: asSchema(schema) } };
}

/** The OpenAI-shaped error body on each status (the shared `Error` schema). */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status],
        content: jsonContent(schemaRef('Error')),
      }),
    ),
  );
}

/** A JSON success response whose body is one of the document's schemas (or one of several). */
export function ApiJson(
  status: 200 | 201 | 202,
  schema: ApiSchemaName | readonly ApiSchemaName[],
  description: string,
): MethodDecorator & ClassDecorator {
  const body = typeof schema === 'string' ? schemaRef(schema) : { oneOf: schema.map(schemaRef) };
  return ApiResponse({ status, description, content: jsonContent(body) });
}

/** A JSON request body whose shape is one of the document's schemas. */
export function ApiJsonBody(schema: ApiSchemaName, description?: string): MethodDecorator {
  return ApiBody({ required: true, description, schema: asSchema(schemaRef(schema)) });
}
