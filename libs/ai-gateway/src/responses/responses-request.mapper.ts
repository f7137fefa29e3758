import { assertJsonDepth, MAX_JSON_DEPTH } from '../pipeline/admission/json-depth';
import {
  inputItemsOf,
  invalid,
  isObject,
  messagesOfItems,
  unsupported,
} from './responses-input.mapper';
import { metadataOf, optionalBoolean, optionalNumber, optionalString } from './request-fields';
import type { ResponseInputItem, ResponseObject } from './responses.types';

/** What a Responses request asks for, checked, in the parts the gateway uses. */
export interface ResponsesCall {
  model: string;
  stream: boolean;
  /** Keep the response (OpenAI's default: true). */
  store: boolean;
  previousResponseId?: string;
  instructions?: string;
  /** This request's `input` as items (what is stored for continuations). */
  input: ResponseInputItem[];
  /** Chat request fields besides `model`, `messages` and `stream`. */
  params: Record<string, unknown>;
  /** The request's settings as the Response object echoes them. */
  echo: Pick<
    ResponseObject,
    | 'instructions'
    | 'max_output_tokens'
    | 'metadata'
    | 'parallel_tool_calls'
    | 'previous_response_id'
    | 'reasoning'
    | 'store'
    | 'temperature'
    | 'text'
    | 'tool_choice'
    | 'tools'
    | 'top_p'
    | 'user'
  >;
}

/** Fields mapped below; any other is refused naming it (never silently dropped). */
const CARRIED = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'text',
  'max_output_tokens',
  'temperature',
  'top_p',
  'metadata',
  'stream',
  'store',
  'previous_response_id',
  'user',
  'parallel_tool_calls',
  'reasoning',
  'truncation',
  'include',
  'background',
  'service_tier',
  'safety_identifier',
  'prompt_cache_key',
  'stream_options',
  'gateway',
]);

/** Chat fields that ride along unchanged: the provider's adapter carries or refuses them. */
const PASSED = ['service_tier', 'safety_identifier', 'prompt_cache_key', 'gateway'] as const;

/**
 * Checks a `POST /v1/responses` body and maps it onto the unified chat request: function
 * tools, `tool_choice`, `text.format` (→ `response_format`), `max_output_tokens`,
 * sampling, `reasoning.effort`. Built-in tools, stored prompts, background mode and any
 * field the gateway does not carry are 400s naming the field.
 */
export function parseResponsesRequest(raw: unknown): ResponsesCall {
  if (!isObject(raw)) invalid('body', 'must be a JSON object');
  const body = raw;
  assertJsonDepth(body, MAX_JSON_DEPTH);
  for (const field of Object.keys(body)) {
    if (!CARRIED.has(field) && body[field] !== null && body[field] !== undefined) {
      unsupported(field, `Responses field '${field}' is not supported by the gateway`);
    }
  }
  const given = (field: string): unknown => body[field] ?? undefined;
  const model = given('model');
  if (typeof model !== 'string' || model.trim() === '')
    invalid('model', 'is required and must be a non-empty string');
  if (model.length > 256) invalid('model', 'must be at most 256 characters');
  const input = inputItemsOf(given('input'));
  // Checked now, so a bad item is a 400 naming it before anything is looked up or spent.
  messagesOfItems(input, 'input', 'skip');

  const params: Record<string, unknown> = {};
  const instructions = optionalString(body, 'instructions');
  const maxOutput = optionalNumber(body, 'max_output_tokens', 1, 10_000_000, true);
  if (maxOutput !== undefined) params.max_completion_tokens = maxOutput;
  const temperature = optionalNumber(body, 'temperature', 0, 2);
  if (temperature !== undefined) params.temperature = temperature;
  const topP = optionalNumber(body, 'top_p', 0, 1);
  if (topP !== undefined) params.top_p = topP;
  const user = optionalString(body, 'user');
  if (user !== undefined) params.user = user;
  const parallel = optionalBoolean(body, 'parallel_tool_calls');
  if (parallel !== undefined) params.parallel_tool_calls = parallel;
  for (const field of PASSED) if (given(field) !== undefined) params[field] = body[field];

  const tools = toolsOf(given('tools'));
  if (tools.chat.length > 0) params.tools = tools.chat;
  const toolChoice = given('tool_choice');
  const choice = toolChoice === undefined ? undefined : toolChoiceOf(toolChoice);
  // Without tools a choice says nothing, and chat APIs refuse one.
  if (choice !== undefined && tools.chat.length > 0) params.tool_choice = choice;
  const text = textOf(given('text'));
  Object.assign(params, text.params);
  const reasoning = reasoningOf(given('reasoning'));
  if (reasoning) params.reasoning_effort = reasoning;
  refuseModes(body);

  const previous = optionalString(body, 'previous_response_id');
  const store = optionalBoolean(body, 'store') ?? true;
  return {
    model,
    stream: optionalBoolean(body, 'stream') ?? false,
    store,
    previousResponseId: previous,
    instructions,
    input,
    params,
    echo: {
      instructions: instructions ?? null,
      max_output_tokens: maxOutput ?? null,
      metadata: metadataOf(given('metadata')),
      parallel_tool_calls: parallel ?? true,
      previous_response_id: previous ?? null,
      reasoning: { effort: reasoning ?? null, summary: null },
      store,
      temperature: temperature ?? null,
      text: { format: text.format },
      tool_choice: toolChoice ?? 'auto',
      tools: tools.echo,
      top_p: topP ?? null,
      user: user ?? null,
    },
  };
}

/** Built-in (hosted) tools need OpenAI's own servers; only function tools are carried. */
function toolsOf(value: unknown): { chat: unknown[]; echo: unknown[] } {
  if (value === undefined) return { chat: [], echo: [] };
  if (!Array.isArray(value)) invalid('tools', 'must be an array');
  const chat = value.map((tool: unknown, i) => {
    if (!isObject(tool) || typeof tool.type !== 'string')
      invalid(`tools[${i}]`, "must be an object with a string 'type'");
    if (tool.type !== 'function') {
      unsupported(
        `tools[${i}].type`,
        `Tool type '${tool.type}' is not supported: built-in tools run on OpenAI's servers; the gateway carries function tools`,
      );
    }
    if (typeof tool.name !== 'string' || tool.name === '')
      invalid(`tools[${i}].name`, 'is required');
    const parameters = tool.parameters ?? undefined;
    if (parameters !== undefined && !isObject(parameters))
      invalid(`tools[${i}].parameters`, 'must be a JSON Schema object');
    const description = tool.description ?? undefined;
    if (description !== undefined && typeof description !== 'string')
      invalid(`tools[${i}].description`, 'must be a string');
    const strict = tool.strict ?? undefined;
    if (strict !== undefined && typeof strict !== 'boolean')
      invalid(`tools[${i}].strict`, 'must be a boolean');
    return {
      type: 'function',
      function: {
        name: tool.name,
        ...(description !== undefined ? { description } : {}),
        ...(parameters !== undefined ? { parameters } : {}),
        ...(strict !== undefined ? { strict } : {}),
      },
    };
  });
  return { chat, echo: value };
}

function toolChoiceOf(value: unknown): unknown {
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  if (isObject(value) && value.type === 'function') {
    if (typeof value.name !== 'string' || value.name === '')
      invalid('tool_choice.name', 'is required');
    return { type: 'function', function: { name: value.name } };
  }
  if (isObject(value) && typeof value.type === 'string') {
    unsupported(
      'tool_choice',
      `tool_choice of type '${value.type}' is not supported: use auto, none, required or a function`,
    );
  }
  return invalid('tool_choice', "must be 'auto', 'none', 'required' or { type: 'function', name }");
}

/** `text.format` → `response_format`; `text.verbosity` → chat's `verbosity`. */
function textOf(value: unknown): {
  params: Record<string, unknown>;
  format: Record<string, unknown>;
} {
  if (value === undefined) return { params: {}, format: { type: 'text' } };
  if (!isObject(value)) invalid('text', 'must be an object');
  for (const key of Object.keys(value)) {
    if (key !== 'format' && key !== 'verbosity')
      unsupported(`text.${key}`, `Responses field 'text.${key}' is not supported by the gateway`);
  }
  const params: Record<string, unknown> = {};
  if (value.verbosity !== undefined && value.verbosity !== null) {
    if (!['low', 'medium', 'high'].includes(value.verbosity as string))
      invalid('text.verbosity', "must be 'low', 'medium' or 'high'");
    params.verbosity = value.verbosity;
  }
  const format = value.format ?? undefined;
  if (format === undefined) return { params, format: { type: 'text' } };
  if (!isObject(format) || typeof format.type !== 'string')
    invalid('text.format', "must be an object with a 'type'");
  switch (format.type) {
    case 'text':
      break;
    case 'json_object':
      params.response_format = { type: 'json_object' };
      break;
    case 'json_schema': {
      if (typeof format.name !== 'string' || format.name === '')
        invalid('text.format.name', 'is required');
      if (!isObject(format.schema)) invalid('text.format.schema', 'must be a JSON Schema object');
      const { type: _type, ...spec } = format;
      params.response_format = { type: 'json_schema', json_schema: spec };
      break;
    }
    default:
      invalid('text.format.type', "must be 'text', 'json_object' or 'json_schema'");
  }
  return { params, format };
}

/** `reasoning.effort` where the target takes it (adapters refuse it where not). */
function reasoningOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) invalid('reasoning', 'must be an object');
  const summary = value.summary ?? value.generate_summary ?? undefined;
  if (summary !== undefined)
    unsupported('reasoning.summary', 'Reasoning summaries are not supported by the gateway');
  const effort = value.effort ?? undefined;
  if (effort === undefined) return undefined;
  if (typeof effort !== 'string') invalid('reasoning.effort', 'must be a string');
  return effort;
}

/** Modes that need OpenAI's own servers: refused unless asked for their off value. */
function refuseModes(body: Record<string, unknown>): void {
  const truncation = body.truncation ?? undefined;
  if (truncation !== undefined && truncation !== 'disabled')
    unsupported('truncation', "Only truncation 'disabled' is supported by the gateway");
  if ((body.background ?? false) !== false)
    unsupported('background', 'Background responses are not supported by the gateway');
  const include = body.include ?? undefined;
  if (include !== undefined && (!Array.isArray(include) || include.length > 0))
    unsupported('include', "'include' is not supported by the gateway");
  const streamOptions = body.stream_options ?? undefined;
  if (streamOptions !== undefined && !isObject(streamOptions))
    invalid('stream_options', 'must be an object');
}
