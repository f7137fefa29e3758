import { assertJsonDepth, MAX_JSON_DEPTH } from '../pipeline/admission/json-depth';
import { inputItemsOf, invalid, isObject } from './responses-input.mapper';
import type { ResponseInputItem } from './responses.types';

/**
 * What only OpenAI's own Responses API can do, found in a request: the field that needs
 * it (`param`) and what it is, for the refusal when no OpenAI provider serves the model.
 */
export interface NativeFeature {
  param: string;
  what: string;
}

/**
 * Top-level fields of OpenAI's Responses API that only its own servers act on: a stored
 * prompt, a server-side conversation, log-probabilities, a cap on built-in tool calls.
 * Any other field the translation does not know stays a 400 naming it on every path.
 */
const NATIVE_FIELDS = [
  'prompt',
  'conversation',
  'top_logprobs',
  'max_tool_calls',
  'prompt_cache_retention',
] as const;

/** Output items of OpenAI's hosted tools (`web_search_call`, `file_search_call`, …). */
export function isHostedToolItem(item: { type?: unknown }): boolean {
  const type = item.type;
  return typeof type === 'string' && type.endsWith('_call') && type !== 'function_call';
}

/**
 * The first feature of a Responses request that runs on OpenAI's servers: a built-in tool
 * (web search, file search, code interpreter, image generation, MCP, computer use…) or a
 * `tool_choice` naming one, hosted-tool items in the input, `include`, reasoning
 * summaries, `truncation: 'auto'`, or a field only OpenAI acts on (`prompt`…). Such a
 * request is forwarded as it is to an OpenAI provider; undefined means any provider can
 * answer it through translation. Background mode is not either: it needs polling a job
 * the gateway does not keep (the translation refuses it).
 */
export function nativeFeatureOf(body: unknown): NativeFeature | undefined {
  if (!isObject(body)) return undefined;
  const tools = body.tools;
  if (Array.isArray(tools)) {
    const i = tools.findIndex((t: unknown) => isObject(t) && t.type !== 'function');
    if (i >= 0) {
      const type = String((tools[i] as { type?: unknown }).type);
      return { param: `tools[${i}].type`, what: `the built-in tool '${type}'` };
    }
  }
  const choice = body.tool_choice;
  if (isObject(choice) && typeof choice.type === 'string' && choice.type !== 'function') {
    return { param: 'tool_choice', what: `tool_choice '${choice.type}'` };
  }
  if (Array.isArray(body.input)) {
    const i = body.input.findIndex((item: unknown) => isObject(item) && isHostedToolItem(item));
    if (i >= 0) {
      const type = String((body.input[i] as { type: unknown }).type);
      return { param: `input[${i}].type`, what: `input items of type '${type}'` };
    }
  }
  if (Array.isArray(body.include) && body.include.length > 0) {
    return { param: 'include', what: "'include'" };
  }
  const reasoning = body.reasoning;
  if (isObject(reasoning) && (reasoning.summary ?? reasoning.generate_summary ?? null) !== null) {
    return { param: 'reasoning.summary', what: 'reasoning summaries' };
  }
  if (body.truncation === 'auto') return { param: 'truncation', what: "truncation 'auto'" };
  for (const field of NATIVE_FIELDS) {
    if (body[field] !== null && body[field] !== undefined) {
      return { param: field, what: `the field '${field}'` };
    }
  }
  return undefined;
}

/** Item types whose `id` OpenAI does not require as input. */
const ID_OPTIONAL = new Set(['message', 'function_call']);

/** A forwarded request's parts the gateway reads itself; the rest travels as sent. */
export interface NativeCall {
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  store: boolean;
  previousResponseId?: string;
  /** This request's `input` as items (what is stored for continuations). */
  input: ResponseInputItem[];
}

/** Checks the few fields the gateway itself relies on; OpenAI checks the rest. */
export function parseNativeCall(raw: unknown): NativeCall {
  if (!isObject(raw)) invalid('body', 'must be a JSON object');
  assertJsonDepth(raw, MAX_JSON_DEPTH);
  const model = raw.model;
  if (typeof model !== 'string' || model.trim() === '')
    invalid('model', 'is required and must be a non-empty string');
  if (model.length > 256) invalid('model', 'must be at most 256 characters');
  const flag = (field: string, fallback: boolean): boolean => {
    const value = raw[field] ?? undefined;
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') invalid(field, 'must be a boolean');
    return value;
  };
  if (flag('background', false))
    invalid('background', 'background responses are not kept by the gateway: leave it false');
  const previous = raw.previous_response_id ?? undefined;
  if (previous !== undefined && (typeof previous !== 'string' || previous === ''))
    invalid('previous_response_id', 'must be a non-empty string');
  return {
    body: raw,
    model,
    stream: flag('stream', false),
    store: flag('store', true),
    previousResponseId: previous,
    input: inputItemsOf(raw.input),
  };
}

/**
 * The body sent upstream: the caller's, with the conversation so far in `input` when it
 * continues a stored response. The gateway keeps conversations itself (so any provider
 * can continue any of them, and ids are checked against the caller's key), so
 * `previous_response_id` never goes upstream. Earlier messages and function calls lose
 * their ids (they may be the gateway's own, which mean nothing to OpenAI, and OpenAI
 * takes them without); reasoning and hosted-tool items keep theirs, which OpenAI needs.
 */
export function forwardedBody(
  call: NativeCall,
  conversation: ResponseInputItem[] | undefined,
): Record<string, unknown> {
  if (conversation === undefined) return call.body;
  const { previous_response_id: _previous, ...body } = call.body;
  return {
    ...body,
    input: conversation.map((item) => {
      const type = typeof item.type === 'string' ? item.type : 'message';
      if (!ID_OPTIONAL.has(type) || item.id === undefined) return item;
      const { id: _id, ...rest } = item;
      return rest;
    }),
  };
}
