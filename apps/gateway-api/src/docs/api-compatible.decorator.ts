import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { ContentObject } from '@nestjs/swagger';
import type { ErrorStatus } from './api-responses.decorator';
import { ApiErrors, asSchema, jsonContent } from './api-responses.decorator';
import { ANTHROPIC_DOCS_URL, API_TAGS, OPENAI_SPEC_URL } from './api-tags';
import { schemaRef } from './schemas/api-schemas';

/** How a vendor-compatible door is called and what it answers. */
export interface CompatibleEndpoint {
  summary: string;
  /** More than the summary: what the gateway adds or refuses. */
  description?: string;
  /** The request body: JSON (default), a multipart upload, or none. */
  body?: 'json' | 'multipart' | 'none';
  /** `stream: true` answers Server-Sent Events. */
  streams?: boolean;
  /** The answer: a JSON object (default), or the upstream's bytes and content type. */
  answer?: 'json' | 'bytes';
  /** Vendor reference page (default: the vendor's specification). */
  docsUrl?: string;
}

/** What the error table answers on a model call; the guard's 401 is added with the access. */
const CALL_ERRORS: ErrorStatus[] = [400, 403, 404, 413, 415, 429, 500, 502, 503, 504];
/** On a read of a stored object (no body, no model). */
const READ_ERRORS: ErrorStatus[] = [404, 429, 500, 502, 503, 504];

/**
 * A door that speaks OpenAI's API: described briefly, with a link to OpenAI's specification
 * for the shapes (repeating them here would only drift from the source). Its controller
 * carries `@ApiTags(API_TAGS.openai.name)`.
 */
export function ApiOpenAiCompatible(endpoint: CompatibleEndpoint): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: endpoint.summary,
      description: descriptionOf(endpoint, "OpenAI's API"),
      externalDocs: { ...API_TAGS.openai.externalDocs, url: endpoint.docsUrl ?? OPENAI_SPEC_URL },
    }),
    ...bodyOf(endpoint, "As OpenAI's API defines it."),
    ApiResponse({ status: 200, description: 'As OpenAI answers.', content: answerOf(endpoint) }),
    ApiErrors(...errorsOf(endpoint)),
  );
}

/**
 * Anthropic's Messages API: errors leave in Anthropic's shape on this door, the guard's
 * 401 included. Its controller carries `@ApiTags(API_TAGS.anthropic.name)`.
 */
export function ApiAnthropicCompatible(endpoint: CompatibleEndpoint): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: endpoint.summary,
      description: descriptionOf(endpoint, "Anthropic's Messages API"),
      externalDocs: {
        ...API_TAGS.anthropic.externalDocs,
        url: endpoint.docsUrl ?? ANTHROPIC_DOCS_URL,
      },
    }),
    ...bodyOf(endpoint, "As Anthropic's API defines it."),
    ApiResponse({ status: 200, description: 'As Anthropic answers.', content: answerOf(endpoint) }),
    ...[401, ...errorsOf(endpoint)].map((status) =>
      ApiResponse({
        status,
        description: "An error in Anthropic's shape.",
        content: jsonContent(schemaRef('AnthropicError')),
      }),
    ),
  );
}

function descriptionOf(endpoint: CompatibleEndpoint, vendor: string): string {
  const shapes = `Request and answer as ${vendor} defines them (see the external documentation); the gateway routes the model to a configured provider and adds \`x-gateway-*\` headers to the answer.`;
  return endpoint.description ? `${endpoint.description}\n\n${shapes}` : shapes;
}

function errorsOf(endpoint: CompatibleEndpoint): ErrorStatus[] {
  return (endpoint.body ?? 'json') === 'none' ? READ_ERRORS : CALL_ERRORS;
}

function bodyOf(endpoint: CompatibleEndpoint, description: string): MethodDecorator[] {
  switch (endpoint.body ?? 'json') {
    case 'none':
      return [];
    case 'multipart':
      return [
        ApiConsumes('multipart/form-data'),
        ApiBody({ required: true, description, schema: { type: 'object' } }),
      ];
    case 'json':
      return [ApiBody({ required: true, description, schema: { type: 'object' } })];
  }
}

function answerOf(endpoint: CompatibleEndpoint): ContentObject {
  if (endpoint.answer === 'bytes') {
    // The upstream's own content type (audio, JSONL, text): no schema to give.
    return { 'application/octet-stream': {} };
  }
  const json = { 'application/json': { schema: asSchema({ type: 'object' }) } };
  if (!endpoint.streams) return json;
  return {
    ...json,
    'text/event-stream': {
      schema: asSchema({
        type: 'string',
        description: 'Server-Sent Events, with `stream: true`.',
      }),
    },
  };
}
