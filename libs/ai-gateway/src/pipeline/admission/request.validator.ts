import { GatewayError } from '../../errors/gateway.error';
import type { ChatRequest, EmbeddingRequest } from '../../types/unified';
import { MAX_JSON_DEPTH, assertJsonDepth } from './json-depth';

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
    if (Array.isArray(content)) contentParts(content, `messages[${i}].content`);
    if (message.role === 'tool' && typeof message.tool_call_id !== 'string') {
      fail(`messages[${i}].tool_call_id`, 'is required for tool messages');
    }
    if (message.name !== undefined && message.name !== null && typeof message.name !== 'string') {
      fail(`messages[${i}].name`, 'must be a string');
    }
    if (message.tool_calls !== undefined && message.tool_calls !== null) {
      toolCalls(message.tool_calls, `messages[${i}].tool_calls`);
    }
    if (message.function_call !== undefined && message.function_call !== null) {
      namedCall(message.function_call, `messages[${i}].function_call`);
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
  if (body.tools !== undefined && body.tools !== null) tools(body.tools);
  if (body.functions !== undefined && body.functions !== null) {
    if (!Array.isArray(body.functions)) fail('functions', 'must be an array');
    body.functions.forEach((fn: unknown, i) => {
      if (!isObject(fn) || typeof fn.name !== 'string' || fn.name === '')
        fail(`functions[${i}].name`, 'is required');
    });
  }
  const toolChoice = body.tool_choice;
  if (
    toolChoice !== undefined &&
    toolChoice !== null &&
    typeof toolChoice !== 'string' &&
    !isObject(toolChoice)
  ) {
    fail('tool_choice', 'must be a string or an object');
  }
  const functionCall = body.function_call;
  if (
    functionCall !== undefined &&
    functionCall !== null &&
    typeof functionCall !== 'string' &&
    (!isObject(functionCall) || typeof functionCall.name !== 'string')
  ) {
    fail('function_call', "must be a string or an object with a 'name'");
  }
  if (body.response_format !== undefined && body.response_format !== null) {
    responseFormat(body.response_format);
  }
  if (body.user !== undefined && body.user !== null && typeof body.user !== 'string')
    fail('user', 'must be a string');
  optionalNumber(body, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
  assertJsonDepth(body, MAX_JSON_DEPTH);
}

/** Content parts: objects with a string `type`; the parts the gateway reads, checked. */
function contentParts(parts: unknown[], path: string): void {
  for (let j = 0; j < parts.length; j++) {
    const part = parts[j];
    if (!isObject(part) || typeof part.type !== 'string') {
      fail(`${path}[${j}]`, "must be an object with a string 'type'");
    }
    if (part.type === 'text' && typeof part.text !== 'string')
      fail(`${path}[${j}].text`, 'must be a string');
    if (part.type === 'image_url') {
      const image = part.image_url;
      if (!(typeof image === 'string' || (isObject(image) && typeof image.url === 'string')))
        fail(`${path}[${j}].image_url.url`, 'must be a string');
    }
  }
}

/** An assistant's tool calls: each a function call (or a custom tool call) with its name. */
function toolCalls(calls: unknown, path: string): void {
  if (!Array.isArray(calls)) fail(path, 'must be an array');
  calls.forEach((call: unknown, k) => {
    if (!isObject(call)) fail(`${path}[${k}]`, 'must be an object');
    if (typeof call.id !== 'string') fail(`${path}[${k}].id`, 'must be a string');
    if (call.type === 'custom') {
      const custom = call.custom;
      if (!isObject(custom) || typeof custom.name !== 'string' || typeof custom.input !== 'string')
        fail(`${path}[${k}].custom`, "must be an object with a string 'name' and 'input'");
      return;
    }
    if (call.type !== undefined && call.type !== 'function')
      fail(`${path}[${k}].type`, "must be 'function' or 'custom'");
    namedCall(call.function, `${path}[${k}].function`);
  });
}

/** `{ name, arguments }` of a function call, both strings. */
function namedCall(call: unknown, path: string): void {
  if (!isObject(call) || typeof call.name !== 'string' || call.name === '')
    fail(`${path}.name`, 'is required');
  if (call.arguments !== undefined && typeof call.arguments !== 'string')
    fail(`${path}.arguments`, 'must be a string of JSON');
}

function tools(list: unknown): void {
  if (!Array.isArray(list)) fail('tools', 'must be an array');
  list.forEach((tool: unknown, i) => {
    if (!isObject(tool) || typeof tool.type !== 'string')
      fail(`tools[${i}]`, "must be an object with a string 'type'");
    if (tool.type === 'function') {
      const fn = tool.function;
      if (!isObject(fn) || typeof fn.name !== 'string' || fn.name === '')
        fail(`tools[${i}].function.name`, 'is required');
      if (fn.parameters !== undefined && fn.parameters !== null && !isObject(fn.parameters))
        fail(`tools[${i}].function.parameters`, 'must be a JSON Schema object');
    } else if (tool.type === 'custom') {
      const custom = tool.custom;
      if (!isObject(custom) || typeof custom.name !== 'string' || custom.name === '')
        fail(`tools[${i}].custom.name`, 'is required');
    }
  });
}

function responseFormat(format: unknown): void {
  if (!isObject(format) || typeof format.type !== 'string') {
    fail('response_format', "must be an object with a 'type'");
  }
  if (format.type === 'json_schema') {
    const spec = format.json_schema;
    if (!isObject(spec) || typeof spec.name !== 'string' || spec.name === '')
      fail('response_format.json_schema.name', 'is required');
    if (spec.schema !== undefined && spec.schema !== null && !isObject(spec.schema))
      fail('response_format.json_schema.schema', 'must be a JSON Schema object');
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
