import type { FakeExchange } from '../fake-exchange';
import type { FakePlan, FakePromptFacts } from '../fake-content';
import { contentText, fakeId, planResponse } from '../fake-content';
import type { FakeScript } from '../fake-script';

/**
 * The JSON of OpenAI's own Responses API as the fake answers it: the answer planned from
 * the request (text, web search, reasoning, tool calls), its output items, usage and the
 * Response object. Pure builders, shared by the route, its event stream and batches.
 */
export type Body = Record<string, unknown>;
export type Item = Record<string, unknown>;

/** Reasoning tokens reported when a request asks for `reasoning` and the script names none. */
export const FAKE_REASONING_TOKENS = 16;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export const bodyOf = (ex: Pick<FakeExchange, 'body'>): Body => (isRecord(ex.body) ? ex.body : {});
export const modelOf = (ex: Pick<FakeExchange, 'body'>): string | undefined => {
  const model = bodyOf(ex).model;
  return typeof model === 'string' ? model : undefined;
};

/** The input as items: a string is one user message. */
function inputItems(input: unknown): Item[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  return Array.isArray(input) ? input.filter(isRecord) : [];
}

/** The text an input item carries: message content, a tool's output or a call's arguments. */
function itemText(item: Item): string {
  if (item.content !== undefined) return contentText(item.content);
  if (item.type === 'function_call_output') {
    return typeof item.output === 'string' ? item.output : contentText(item.output);
  }
  if (item.type === 'function_call') return `${String(item.name)}${String(item.arguments)}`;
  return '';
}

/** Prompt facts of a Responses request: the instructions and every input item's text. */
function facts(body: Body): FakePromptFacts {
  const items = inputItems(body.input);
  const lastUser = [...items].reverse().find((item) => item.role === 'user');
  const instructions = typeof body.instructions === 'string' ? body.instructions : '';
  return {
    promptText: [instructions, ...items.map(itemText)].filter((t) => t !== '').join('\n'),
    lastUserText: lastUser ? contentText(lastUser.content) : '',
  };
}

/** Whether the request offers the built-in web search (`web_search`, `…_preview`, dated). */
function wantsWebSearch(body: Body): boolean {
  return (
    Array.isArray(body.tools) &&
    body.tools.some((tool) => isRecord(tool) && String(tool.type).startsWith('web_search'))
  );
}

/** Whether the request asks a reasoning model to reason (`reasoning.effort: 'none'` does not). */
function wantsReasoning(body: Body): boolean {
  return isRecord(body.reasoning) && body.reasoning.effort !== 'none';
}

/** One answer, planned once and shown either whole or as a stream. */
export interface Answer {
  id: string;
  createdAt: number;
  model: string;
  plan: FakePlan;
  reasoningTokens: number;
  /** Items before the message (reasoning, web search), each finished. */
  leading: Item[];
  /** The message's id, when the answer has a message. */
  messageId?: string;
  calls: Item[];
  status: 'completed' | 'incomplete';
}

export function answer(body: Body, script: FakeScript): Answer {
  const promptFacts = facts(body);
  const plan = planResponse(script, promptFacts);
  const reasoning = wantsReasoning(body);
  const leading: Item[] = [];
  if (reasoning) leading.push({ type: 'reasoning', id: fakeId('rs_'), summary: [] });
  if (wantsWebSearch(body)) {
    leading.push({
      type: 'web_search_call',
      id: fakeId('ws_'),
      status: 'completed',
      action: { type: 'search', query: promptFacts.lastUserText },
    });
  }
  return {
    id: fakeId('resp_'),
    createdAt: Math.floor(Date.now() / 1000),
    model: typeof body.model === 'string' ? body.model : 'fake-chat',
    plan,
    reasoningTokens: script.usage?.reasoning ?? (reasoning ? FAKE_REASONING_TOKENS : 0),
    leading,
    // A reply of tool calls only has no message, as OpenAI's.
    messageId: plan.text !== '' || plan.toolCalls.length === 0 ? fakeId('msg_') : undefined,
    calls: plan.toolCalls.map((call) => ({
      type: 'function_call',
      id: fakeId('fc_'),
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
      status: 'completed',
    })),
    status:
      plan.finishReason === 'length' || plan.finishReason === 'content_filter'
        ? 'incomplete'
        : 'completed',
  };
}

export const outputText = (text: string): Item => ({
  type: 'output_text',
  text,
  annotations: [],
  logprobs: [],
});

export function messageItem(a: Answer, text: string, status: string): Item {
  return {
    type: 'message',
    id: a.messageId,
    role: 'assistant',
    status,
    content: text === '' && status === 'in_progress' ? [] : [outputText(text)],
  };
}

/** Every finished output item, in the order OpenAI puts them. */
export function outputOf(a: Answer): Item[] {
  const message = a.messageId ? [messageItem(a, a.plan.text, a.status)] : [];
  return [...a.leading, ...message, ...a.calls];
}

export function usageOf(a: Answer): Item {
  const output = a.plan.usage.completion + a.reasoningTokens;
  return {
    input_tokens: a.plan.usage.prompt,
    input_tokens_details: { cached_tokens: a.plan.usage.cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: a.reasoningTokens },
    total_tokens: a.plan.usage.prompt + output,
  };
}

/** A request field as the Response echoes it, or the API's default when it was not sent. */
const echo = (body: Body, key: string, fallback: unknown): unknown => body[key] ?? fallback;

/** The Response object around the output: the request's settings echoed as OpenAI does. */
export function responseObject(body: Body, a: Answer, status: string, output: Item[]): Item {
  const reasoning = isRecord(body.reasoning) ? body.reasoning : {};
  const done = status === 'completed' || status === 'incomplete';
  return {
    id: a.id,
    object: 'response',
    created_at: a.createdAt,
    status,
    background: echo(body, 'background', false),
    completed_at: status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: null,
    incomplete_details:
      status === 'incomplete'
        ? {
            reason:
              a.plan.finishReason === 'content_filter' ? 'content_filter' : 'max_output_tokens',
          }
        : null,
    instructions: echo(body, 'instructions', null),
    max_output_tokens: echo(body, 'max_output_tokens', null),
    max_tool_calls: echo(body, 'max_tool_calls', null),
    model: a.model,
    output,
    parallel_tool_calls: echo(body, 'parallel_tool_calls', true),
    previous_response_id: echo(body, 'previous_response_id', null),
    prompt_cache_key: echo(body, 'prompt_cache_key', null),
    reasoning: { effort: reasoning.effort ?? null, summary: reasoning.summary ?? null },
    safety_identifier: echo(body, 'safety_identifier', null),
    service_tier: echo(body, 'service_tier', 'default'),
    store: echo(body, 'store', true),
    temperature: echo(body, 'temperature', 1),
    text: echo(body, 'text', { format: { type: 'text' }, verbosity: 'medium' }),
    tool_choice: echo(body, 'tool_choice', 'auto'),
    tools: echo(body, 'tools', []),
    top_logprobs: echo(body, 'top_logprobs', 0),
    top_p: echo(body, 'top_p', 1),
    truncation: echo(body, 'truncation', 'disabled'),
    usage: done ? usageOf(a) : null,
    user: echo(body, 'user', null),
    metadata: echo(body, 'metadata', {}),
  };
}

/**
 * The Response `POST /v1/responses` answers without `stream` for this body and script:
 * what a batch line of that endpoint gets.
 */
export function responseBody(requestBody: unknown, script: FakeScript): Item {
  const body = isRecord(requestBody) ? requestBody : {};
  const a = answer(body, script);
  return responseObject(body, a, a.status, outputOf(a));
}

/**
 * The Responses event stream: `response.created` / `in_progress`, the leading items
 * (reasoning, web search with its `web_search_call.*` events), the message's content part
 * and one `output_text.delta` per text chunk, each function call with its argument deltas,
 * then the `.done` events and `response.completed` (or `.incomplete`) with usage. Paced
 * items as the chat route: the opening, one per text chunk, three per call; a cut stream
 * never sends the final event.
 */
