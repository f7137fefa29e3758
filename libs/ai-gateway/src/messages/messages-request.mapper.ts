import type {
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { ChatRequest } from '../types/unified';
import { toChatMessages, toSystemMessage } from './messages-content.mapper';
import {
  absent,
  invalid,
  isObject,
  numberAt,
  onlyKnownKeys,
  stringAt,
  uncarried,
} from './messages-fields';

/**
 * Fields of `POST /v1/messages` the gateway translates; `cache_control` (automatic prompt
 * caching) is a cost hint and accepted without effect. Anything else — `container`,
 * `mcp_servers`, `service_tier`, `context_management`, … — is refused, named.
 */
const CREATE_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'stop_sequences',
  'temperature',
  'top_p',
  'top_k',
  'metadata',
  'stream',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'cache_control',
]);

/** Fields of `POST /v1/messages/count_tokens` (no output settings: nothing is generated). */
const COUNT_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'cache_control',
]);

const TOOL_KEYS: ReadonlySet<string> = new Set([
  'type',
  'name',
  'description',
  'input_schema',
  'strict',
  'cache_control',
]);
const TOOL_CHOICE_KEYS: ReadonlySet<string> = new Set([
  'type',
  'name',
  'disable_parallel_tool_use',
]);
const OUTPUT_CONFIG_KEYS: ReadonlySet<string> = new Set(['format', 'effort']);

/**
 * `POST /v1/messages` as a unified chat request: Anthropic's required `max_tokens`, its
 * turns and blocks (messages-content.mapper.ts), tools and tool choice, sampling and stop
 * settings. `top_k` travels as a field of its own: providers that cannot carry it refuse
 * it by name (`unsupported_feature`). Extended `thinking` cannot come back through the
 * unified answer (it has no thinking blocks), so only `{type: 'disabled'}` is accepted.
 */
export function toChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) invalid('body', 'must be a JSON object');
  onlyKnownKeys(body, CREATE_FIELDS, '');
  const chat = commonFields(body);
  const maxTokens = numberAt(body.max_tokens, 'max_tokens', 1, 10_000_000, true);
  if (maxTokens === undefined) invalid('max_tokens', 'is required');
  chat.max_tokens = maxTokens;
  const stop = body.stop_sequences;
  if (!absent(stop)) {
    if (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string' || s === '')) {
      invalid('stop_sequences', 'must be an array of non-empty strings');
    }
    if (stop.length > 0) chat.stop = stop as string[];
  }
  const temperature = numberAt(body.temperature, 'temperature', 0, 1);
  if (temperature !== undefined) chat.temperature = temperature;
  const topP = numberAt(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) chat.top_p = topP;
  const topK = numberAt(body.top_k, 'top_k', 0, 1_000_000, true);
  if (topK !== undefined) chat.top_k = topK;
  if (!absent(body.stream) && typeof body.stream !== 'boolean')
    invalid('stream', 'must be a boolean');
  if (body.stream === true) {
    // The usage chunk is what message_delta reports: always asked for, never shown as such.
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  // Who the call is for is the caller's business (its key decides whether it counts).
  metadata(body.metadata);
  return chat;
}

/** `POST /v1/messages/count_tokens` as the unified request its prompt is counted from. */
export function toCountTokensRequest(body: unknown): ChatRequest {
  if (!isObject(body)) invalid('body', 'must be a JSON object');
  onlyKnownKeys(body, COUNT_FIELDS, '');
  return commonFields(body);
}

/** What both endpoints read: model, system + turns, tools, tool choice, thinking, output. */
function commonFields(body: Record<string, unknown>): ChatRequest {
  const model = stringAt(body.model, 'model', { required: true, nonEmpty: true }) as string;
  if (model.length > 256) invalid('model', 'must be at most 256 characters');
  const system = toSystemMessage(body.system);
  const messages = toChatMessages(body.messages);
  const chat: ChatRequest = { model, messages: system ? [system, ...messages] : messages };
  const tools = toTools(body.tools);
  if (tools.length > 0) chat.tools = tools;
  if (!absent(body.tool_choice)) {
    const { choice, parallel } = toToolChoice(body.tool_choice);
    chat.tool_choice = choice;
    if (parallel === false && tools.length > 0) chat.parallel_tool_calls = false;
  }
  thinking(body.thinking);
  outputConfig(body.output_config, chat);
  return chat;
}

/** Client tools as function tools; Anthropic's server tools run only on its platform. */
function toTools(tools: unknown): ChatCompletionTool[] {
  if (absent(tools)) return [];
  if (!Array.isArray(tools)) invalid('tools', 'must be an array');
  return tools.map((tool: unknown, i): ChatCompletionTool => {
    const at = `tools[${i}]`;
    if (!isObject(tool)) invalid(at, 'must be an object');
    if (!absent(tool.type) && tool.type !== 'custom') {
      const type = typeof tool.type === 'string' ? tool.type : JSON.stringify(tool.type);
      uncarried(`${at}.type`, `'${type}' is a server tool of Anthropic's platform`);
    }
    onlyKnownKeys(tool, TOOL_KEYS, at);
    const name = stringAt(tool.name, `${at}.name`, { required: true, nonEmpty: true }) as string;
    const description = stringAt(tool.description, `${at}.description`);
    if (!isObject(tool.input_schema)) invalid(`${at}.input_schema`, 'must be a JSON Schema object');
    if (!absent(tool.strict) && typeof tool.strict !== 'boolean') {
      invalid(`${at}.strict`, 'must be a boolean');
    }
    return {
      type: 'function',
      function: {
        name,
        ...(description === undefined ? {} : { description }),
        parameters: tool.input_schema,
        ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}),
      },
    };
  });
}

/** `auto`, `any` (OpenAI's `required`), `tool` (a named function) or `none`. */
function toToolChoice(choice: unknown): {
  choice: ChatCompletionToolChoiceOption;
  parallel?: boolean;
} {
  if (!isObject(choice)) invalid('tool_choice', 'must be an object');
  onlyKnownKeys(choice, TOOL_CHOICE_KEYS, 'tool_choice');
  const serial = choice.disable_parallel_tool_use;
  if (!absent(serial) && typeof serial !== 'boolean') {
    invalid('tool_choice.disable_parallel_tool_use', 'must be a boolean');
  }
  const parallel = serial === true ? false : undefined;
  switch (choice.type) {
    case 'auto':
      return { choice: 'auto', parallel };
    case 'any':
      return { choice: 'required', parallel };
    case 'none':
      return { choice: 'none' };
    case 'tool': {
      const name = stringAt(choice.name, 'tool_choice.name', { required: true, nonEmpty: true });
      return { choice: { type: 'function', function: { name: name as string } }, parallel };
    }
    default:
      return invalid('tool_choice.type', "must be one of 'auto', 'any', 'tool', 'none'");
  }
}

function thinking(value: unknown): void {
  if (absent(value)) return;
  if (!isObject(value) || typeof value.type !== 'string') {
    invalid('thinking', "must be an object with a string 'type'");
  }
  if (value.type === 'disabled') return;
  uncarried(
    'thinking',
    'extended thinking blocks cannot come back through the unified path; send {"type":"disabled"} or leave it out',
  );
}

/** `format: json_schema` is OpenAI's `response_format`; `effort` its `reasoning_effort`. */
function outputConfig(value: unknown, chat: ChatRequest): void {
  if (absent(value)) return;
  if (!isObject(value)) invalid('output_config', 'must be an object');
  onlyKnownKeys(value, OUTPUT_CONFIG_KEYS, 'output_config');
  const format = value.format;
  if (!absent(format)) {
    if (!isObject(format) || format.type !== 'json_schema') {
      invalid('output_config.format.type', "must be 'json_schema'");
    }
    onlyKnownKeys(format, new Set(['type', 'schema']), 'output_config.format');
    if (!isObject(format.schema)) {
      invalid('output_config.format.schema', 'must be a JSON Schema object');
    }
    // Anthropic enforces the schema (constrained decoding): OpenAI's strict mode.
    chat.response_format = {
      type: 'json_schema',
      json_schema: { name: 'output', schema: format.schema, strict: true },
    };
  }
  const effort = stringAt(value.effort, 'output_config.effort', { nonEmpty: true });
  if (effort !== undefined) chat.reasoning_effort = effort as ChatRequest['reasoning_effort'];
}

/**
 * `metadata.user_id`, Anthropic's only metadata field: checked here, read by the caller
 * (the HTTP app makes it the usage row's user where the gateway key allows it). It is not
 * sent upstream: providers' own user fields differ in length and meaning.
 */
function metadata(value: unknown): void {
  if (absent(value)) return;
  if (!isObject(value)) invalid('metadata', 'must be an object');
  onlyKnownKeys(value, new Set(['user_id']), 'metadata');
  stringAt(value.user_id, 'metadata.user_id');
}
