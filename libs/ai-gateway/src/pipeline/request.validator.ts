import { GatewayError } from '../errors/gateway.error';
import type { ChatRequest, EmbeddingRequest } from '../types/unified';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function fail(param: string, message: string): never {
  throw GatewayError.invalidRequest(`Invalid request: '${param}' ${message}`, param);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalNumber(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  integer = false,
): void {
  const value = body[field];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || Number.isNaN(value)) fail(field, 'must be a number');
  if (integer && !Number.isInteger(value)) fail(field, 'must be an integer');
  if (value < min || value > max) fail(field, `must be between ${min} and ${max}`);
}

function requireModel(body: Record<string, unknown>): void {
  if (typeof body.model !== 'string' || body.model.trim() === '')
    fail('model', 'is required and must be a non-empty string');
  if (body.model.length > 256) fail('model', 'must be at most 256 characters');
}

/**
 * Checks what the gateway itself relies on, fast (this runs on every request) and
 * naming the field at fault. Fields it does not know are left for the provider.
 */
export function validateChatRequest(body: unknown): asserts body is ChatRequest {
  if (!isObject(body)) fail('body', 'must be a JSON object');
  requireModel(body);
  const messages = body.messages;
  if (!Array.isArray(messages)) fail('messages', 'is required and must be an array');
  if (messages.length === 0) fail('messages', 'must contain at least one message');
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isObject(message)) fail(`messages[${i}]`, 'must be an object');
    if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
      fail(`messages[${i}].role`, `must be one of ${[...ROLES].join(', ')}`);
    }
    const content = message.content;
    const contentOk =
      typeof content === 'string' ||
      Array.isArray(content) ||
      ((content === null || content === undefined) &&
        message.role === 'assistant' &&
        (message.tool_calls !== undefined || message.function_call !== undefined));
    if (!contentOk) fail(`messages[${i}].content`, 'must be a string or an array of content parts');
    if (message.role === 'tool' && typeof message.tool_call_id !== 'string') {
      fail(`messages[${i}].tool_call_id`, 'is required for tool messages');
    }
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean')
    fail('stream', 'must be a boolean');
  if (
    body.stream_options !== undefined &&
    body.stream_options !== null &&
    !isObject(body.stream_options)
  ) {
    fail('stream_options', 'must be an object');
  }
  optionalNumber(body, 'temperature', 0, 2);
  optionalNumber(body, 'top_p', 0, 1);
  optionalNumber(body, 'max_tokens', 1, 10_000_000, true);
  optionalNumber(body, 'max_completion_tokens', 1, 10_000_000, true);
  optionalNumber(body, 'n', 1, 128, true);
  optionalNumber(body, 'presence_penalty', -2, 2);
  optionalNumber(body, 'frequency_penalty', -2, 2);
  const stop = body.stop;
  if (stop !== undefined && stop !== null) {
    const list = typeof stop === 'string' ? [stop] : stop;
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string'))
      fail('stop', 'must be a string or an array of strings');
  }
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) fail('tools', 'must be an array');
    body.tools.forEach((tool: unknown, i) => {
      if (!isObject(tool)) fail(`tools[${i}]`, 'must be an object');
      const fn = tool.function;
      if (
        tool.type === 'function' &&
        (!isObject(fn) || typeof fn.name !== 'string' || fn.name === '')
      ) {
        fail(`tools[${i}].function.name`, 'is required');
      }
    });
  }
  if (body.response_format !== undefined && body.response_format !== null) {
    if (!isObject(body.response_format) || typeof body.response_format.type !== 'string') {
      fail('response_format', "must be an object with a 'type'");
    }
  }
}

export function validateEmbeddingRequest(body: unknown): asserts body is EmbeddingRequest {
  if (!isObject(body)) fail('body', 'must be a JSON object');
  requireModel(body);
  const input = body.input;
  const valid =
    (typeof input === 'string' && input !== '') ||
    (Array.isArray(input) &&
      input.length > 0 &&
      (input.every((item) => typeof item === 'string') ||
        input.every((item) => typeof item === 'number') ||
        input.every((item) => Array.isArray(item) && item.every((t) => typeof t === 'number'))));
  if (!valid)
    fail('input', 'must be a non-empty string, array of strings, or array of token arrays');
  if (
    body.encoding_format !== undefined &&
    body.encoding_format !== 'float' &&
    body.encoding_format !== 'base64'
  ) {
    fail('encoding_format', "must be 'float' or 'base64'");
  }
  optionalNumber(body, 'dimensions', 1, 65_536, true);
}
