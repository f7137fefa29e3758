import type { FakeExchange } from '../fake-exchange';
import {
  cutConnection,
  paceStream,
  sendBodyFault,
  sendJson,
  startEventStream,
  writeSse,
} from '../fake-exchange';
import type { FakePlan, FakePromptFacts } from '../fake-content';
import { contentText, fakeId, planResponse } from '../fake-content';
import type { FakeScript } from '../fake-script';
import { openAiWire } from './openai.wire';
import type { WireFormat } from './wire-format';

type Body = Record<string, unknown>;
type Item = Record<string, unknown>;

/** Reasoning tokens reported when a request asks for `reasoning` and the script names none. */
export const FAKE_REASONING_TOKENS = 16;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const bodyOf = (ex: Pick<FakeExchange, 'body'>): Body => (isRecord(ex.body) ? ex.body : {});
const modelOf = (ex: Pick<FakeExchange, 'body'>): string | undefined => {
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
interface Answer {
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

function answer(body: Body, script: FakeScript): Answer {
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

const outputText = (text: string): Item => ({
  type: 'output_text',
  text,
  annotations: [],
  logprobs: [],
});

function messageItem(a: Answer, text: string, status: string): Item {
  return {
    type: 'message',
    id: a.messageId,
    role: 'assistant',
    status,
    content: text === '' && status === 'in_progress' ? [] : [outputText(text)],
  };
}

/** Every finished output item, in the order OpenAI puts them. */
function outputOf(a: Answer): Item[] {
  const message = a.messageId ? [messageItem(a, a.plan.text, a.status)] : [];
  return [...a.leading, ...message, ...a.calls];
}

function usageOf(a: Answer): Item {
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
function responseObject(body: Body, a: Answer, status: string, output: Item[]): Item {
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
async function streamAnswer(ex: FakeExchange, body: Body, a: Answer): Promise<void> {
  startEventStream(ex.res);
  let sequence = 0;
  const send = (type: string, fields: Item): void =>
    writeSse(ex.res, { type, sequence_number: sequence++, ...fields }, type);
  const output: Item[] = [];
  let open: { index: number; item: Item; text: string } | undefined;

  const closeOpen = (): void => {
    if (!open) return;
    const { index, item, text } = open;
    open = undefined;
    if (item.type === 'message') {
      const at = { item_id: item.id, output_index: index, content_index: 0 };
      send('response.output_text.done', { ...at, text, logprobs: [] });
      send('response.content_part.done', { ...at, part: outputText(text) });
      output[index] = messageItem(a, text, a.status);
    } else {
      output[index] = item;
      send('response.function_call_arguments.done', {
        item_id: item.id,
        output_index: index,
        name: item.name,
        arguments: item.arguments,
      });
    }
    send('response.output_item.done', { output_index: index, item: output[index] });
  };

  const opening = (): void => {
    send('response.created', { response: responseObject(body, a, 'in_progress', []) });
    send('response.in_progress', { response: responseObject(body, a, 'in_progress', []) });
    for (const item of a.leading) {
      const index = output.push(item) - 1;
      if (item.type === 'web_search_call') {
        send('response.output_item.added', {
          output_index: index,
          item: { ...item, status: 'in_progress' },
        });
        for (const phase of ['in_progress', 'searching', 'completed']) {
          send(`response.web_search_call.${phase}`, { output_index: index, item_id: item.id });
        }
      } else send('response.output_item.added', { output_index: index, item });
      send('response.output_item.done', { output_index: index, item });
    }
    if (!a.messageId) return;
    const item = messageItem(a, '', 'in_progress');
    open = { index: output.push(item) - 1, item, text: '' };
    send('response.output_item.added', { output_index: open.index, item });
    send('response.content_part.added', {
      item_id: a.messageId,
      output_index: open.index,
      content_index: 0,
      part: outputText(''),
    });
  };

  const items: Array<() => void> = [opening];
  for (const piece of a.plan.textChunks) {
    items.push(() => {
      if (!open) return;
      open.text += piece;
      send('response.output_text.delta', {
        item_id: a.messageId,
        output_index: open.index,
        content_index: 0,
        delta: piece,
        logprobs: [],
      });
    });
  }
  for (const call of a.calls) {
    const args = String(call.arguments);
    const half = Math.ceil(args.length / 2);
    items.push(() => {
      closeOpen();
      const item = { ...call, arguments: '', status: 'in_progress' };
      open = { index: output.push(item) - 1, item: { ...call }, text: '' };
      send('response.output_item.added', { output_index: open.index, item });
    });
    for (const delta of [args.slice(0, half), args.slice(half)]) {
      items.push(() =>
        send('response.function_call_arguments.delta', {
          item_id: call.id,
          output_index: open?.index,
          delta,
        }),
      );
    }
  }

  const completed = await paceStream(
    ex,
    items.length,
    (index) => items[index](),
    (fault) => {
      if (fault === 'error-event') {
        send('error', {
          code: 'server_error',
          message: 'The server had an error while processing your request.',
          param: null,
        });
        ex.res.end();
      } else if (fault === 'malformed') {
        ex.res.write('event: response.output_text.delta\ndata: {"type": "response.output_text\n\n');
        ex.res.end();
      } else cutConnection(ex.res);
    },
  );
  if (!completed) return;
  closeOpen();
  const final = a.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
  send(final, { response: responseObject(body, a, a.status, output) });
  ex.res.end();
}

/** `POST /v1/responses`: a Response object, or its event stream with `stream: true`. */
async function responses(ex: FakeExchange): Promise<void> {
  const body = bodyOf(ex);
  const a = answer(body, ex.script);
  if (body.stream === true) return streamAnswer(ex, body, a);
  if (sendBodyFault(ex, '{"id":"cut","object":"response","output":[')) return;
  sendJson(ex.res, 200, responseObject(body, a, a.status, outputOf(a)));
}

/**
 * OpenAI's native Responses API (`POST /v1/responses`), as the `openai` SDK's
 * `responses.create` / `responses.stream` read it: the reply of the chat route (script
 * text or echo, tool calls as `function_call` items), a `reasoning` item first when the
 * request asks for reasoning, a `web_search_call` item before the message when it offers
 * the web search tool. Same keys and error shape as the OpenAI wire; routed with it.
 */
export const openAiResponsesWire: WireFormat = {
  name: 'openai',
  routes: [
    {
      method: 'POST',
      pattern: /^\/v1\/responses$/,
      operation: 'responses',
      handle: responses,
      model: modelOf,
      stream: (ex) => bodyOf(ex).stream === true,
    },
  ],
  apiKey: (ex) => openAiWire.apiKey(ex),
  sendError: (ex, status, message, type) => openAiWire.sendError(ex, status, message, type),
};
