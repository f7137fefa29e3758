import type { FakeExchange } from '../fake-exchange';
import {
  cutConnection,
  paceStream,
  sendJson,
  startEventStream,
  writeSse,
  sendBodyFault,
} from '../fake-exchange';
import type { FakePlan, FakePromptFacts } from '../fake-content';
import { planResponse } from '../fake-content';
import type { WireFormat } from './wire-format';

/**
 * Anthropic's Messages API as `@anthropic-ai/sdk` speaks it: `POST /v1/messages` (JSON or
 * SSE with named events), `GET /v1/models` (cursor page), errors as
 * `{ type: 'error', error: { type, message } }`. The SDK sends the key as a bearer token,
 * older clients as `x-api-key`; both are accepted (`x-api-key` wins, as upstream).
 *
 * Like API version 2026-10-21, it rejects requests without `max_tokens` or `messages` and
 * ones that carry sampling parameters. Scripted text containing one of the request's
 * `stop_sequences` is cut there and answered with `stop_reason: 'stop_sequence'`.
 */

interface AnthropicBlock {
  type?: string;
  text?: string;
  content?: unknown;
}
interface AnthropicBody {
  model?: string;
  stream?: boolean;
  max_tokens?: unknown;
  system?: string | AnthropicBlock[];
  messages?: Array<{ role?: string; content?: string | AnthropicBlock[] }>;
  stop_sequences?: string[];
}
type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

const FAKE_MODELS = ['claude-fake', 'fake-chat', 'echo'];
const REMOVED_SAMPLING_PARAMS = ['temperature', 'top_p', 'top_k'];

const STOP_REASONS: Readonly<Record<FakePlan['finishReason'], StopReason>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/** Error `type` of each status, as Anthropic documents them. */
function errorTypeFor(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    402: 'billing_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    504: 'timeout_error',
    529: 'overloaded_error',
  };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** Text of a string or block content, tool results included (they are prompt too). */
function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as AnthropicBlock[])
    .map((block) => (typeof block.text === 'string' ? block.text : blockText(block.content)))
    .join('');
}

function facts(body: AnthropicBody): FakePromptFacts {
  const messages = body.messages ?? [];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  return {
    promptText: [blockText(body.system), ...messages.map((m) => blockText(m.content))].join('\n'),
    lastUserText: blockText(lastUser?.content),
  };
}

/** What the request breaks, in the API's words; undefined when it is acceptable. */
function invalidReason(body: AnthropicBody): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) {
    return 'max_tokens: Field required';
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return 'messages: at least one message is required';
  }
  const removed = REMOVED_SAMPLING_PARAMS.find((param) => param in body);
  return removed ? `${removed}: Extra inputs are not permitted` : undefined;
}

interface Answer {
  plan: FakePlan;
  text: string;
  stopReason: StopReason;
  stopSequence: string | null;
  toolIds: string[];
}

function answer(ex: FakeExchange, body: AnthropicBody): Answer {
  const plan = planResponse(ex.script, facts(body));
  const toolIds = plan.toolCalls.map(
    (_call, index) => ex.script.toolCalls?.[index]?.id ?? `toolu_fake_${index}`,
  );
  const hit = (body.stop_sequences ?? [])
    .map((sequence) => ({ sequence, at: plan.text.indexOf(sequence) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  if (hit && plan.toolCalls.length === 0) {
    return {
      plan,
      text: plan.text.slice(0, hit.at),
      stopReason: 'stop_sequence',
      stopSequence: hit.sequence,
      toolIds,
    };
  }
  return {
    plan,
    text: plan.text,
    stopReason: STOP_REASONS[plan.finishReason],
    stopSequence: null,
    toolIds,
  };
}

/** Anthropic's `input_tokens` excludes cache reads, unlike OpenAI's `prompt_tokens`. */
function usage(plan: FakePlan, outputTokens = plan.usage.completion): Record<string, unknown> {
  return {
    input_tokens: Math.max(0, plan.usage.prompt - plan.usage.cached),
    output_tokens: outputTokens,
    cache_read_input_tokens: plan.usage.cached,
    cache_creation_input_tokens: 0,
    cache_creation: null,
    server_tool_use: null,
    service_tier: 'standard',
  };
}

function toolInput(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
}

function toolUse(a: Answer, n: number, input: unknown): unknown {
  const call = a.plan.toolCalls[n];
  return { type: 'tool_use', id: a.toolIds[n], name: call.name, input, caller: { type: 'direct' } };
}

/** A whole message; a stream's message_start carries the same with no content yet. */
function message(id: string, model: string, a: Answer, streaming = false): unknown {
  const content: unknown[] = [];
  if (a.text !== '' || a.plan.toolCalls.length === 0) {
    content.push({ type: 'text', text: a.text, citations: null });
  }
  a.plan.toolCalls.forEach((call, n) => content.push(toolUse(a, n, toolInput(call.arguments))));
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: streaming ? [] : content,
    stop_reason: streaming ? null : a.stopReason,
    stop_sequence: streaming ? null : a.stopSequence,
    stop_details: null,
    container: null,
    usage: usage(a.plan, streaming ? 1 : undefined),
  };
}

async function messages(ex: FakeExchange): Promise<void> {
  const body = (ex.body ?? {}) as AnthropicBody;
  const invalid = invalidReason(body);
  if (invalid) {
    anthropicWire.sendError(ex, 400, invalid);
    return;
  }
  const a = answer(ex, body);
  const id = `msg_fake_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const model = body.model ?? 'claude-fake';

  if (!body.stream) {
    if (sendBodyFault(ex, '{"id":"cut","type":"message","content":[')) return;
    sendJson(ex.res, 200, message(id, model, a), { 'request-id': `req_fake_${id.slice(9)}` });
    return;
  }

  startEventStream(ex.res);
  const send = (type: string, data: Record<string, unknown> = {}): void =>
    writeSse(ex.res, { type, ...data }, type);
  // One item per text chunk and three per tool call (start, two argument halves), so
  // `faultAfterChunks` counts like the OpenAI wire: item 0 opens the message.
  const items: Array<() => void> = [];
  let openBlock = -1;
  const closeOpenBlock = (): void => {
    if (openBlock >= 0) send('content_block_stop', { index: openBlock });
  };
  items.push(() => {
    send('message_start', { message: message(id, model, a, true) });
    send('ping');
  });
  const textChunks = a.text === a.plan.text ? a.plan.textChunks : a.text === '' ? [] : [a.text];
  textChunks.forEach((piece, index) =>
    items.push(() => {
      if (index === 0) {
        openBlock = 0;
        send('content_block_start', {
          index: 0,
          content_block: { type: 'text', text: '', citations: null },
        });
      }
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } });
    }),
  );
  a.plan.toolCalls.forEach((call, n) => {
    const index = (textChunks.length > 0 ? 1 : 0) + n;
    const half = Math.ceil(call.arguments.length / 2);
    items.push(() => {
      closeOpenBlock();
      openBlock = index;
      send('content_block_start', { index, content_block: toolUse(a, n, {}) });
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } });
    });
    for (const part of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
      const delta = { type: 'input_json_delta', partial_json: part };
      items.push(() => send('content_block_delta', { index, delta }));
    }
  });
  items.push(() => {
    closeOpenBlock();
    send('message_delta', {
      delta: {
        stop_reason: a.stopReason,
        stop_sequence: a.stopSequence,
        stop_details: null,
        container: null,
      },
      usage: usage(a.plan),
    });
    send('message_stop');
  });

  const completed = await paceStream(
    ex,
    items.length,
    (index) => items[index](),
    (fault) => {
      if (fault === 'error-event') {
        send('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
        ex.res.end();
      } else if (fault === 'malformed') {
        ex.res.write(
          'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": {\n\n',
        );
        ex.res.end();
      } else cutConnection(ex.res);
    },
  );
  if (completed) ex.res.end();
}

function listModels(ex: FakeExchange): void {
  const data = FAKE_MODELS.map((id) => ({
    type: 'model',
    id,
    display_name: `Fake ${id}`,
    created_at: '2025-01-01T00:00:00Z',
    deprecated_at: null,
    lifecycle: 'active',
    capabilities: null,
    line: null,
    max_input_tokens: 200_000,
    max_tokens: 64_000,
  }));
  sendJson(ex.res, 200, {
    data,
    has_more: false,
    first_id: data[0].id,
    last_id: data[data.length - 1].id,
  });
}

export const anthropicWire: WireFormat = {
  name: 'anthropic',
  routes: [
    {
      method: 'POST',
      pattern: /^\/v1\/messages$/,
      operation: 'chat',
      handle: messages,
      model: (ex) => (ex.body as AnthropicBody | undefined)?.model,
      stream: (ex) => (ex.body as AnthropicBody | undefined)?.stream === true,
    },
    { method: 'GET', pattern: /^\/v1\/models$/, operation: 'models', handle: listModels },
  ],
  apiKey: (ex) => {
    const key = ex.req.headers['x-api-key'];
    if (typeof key === 'string' && key !== '') return key;
    const auth = ex.req.headers.authorization;
    return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
  },
  sendError: (ex, status, message, type) => {
    const requestId = `req_fake_${Date.now().toString(36)}`;
    sendJson(
      ex.res,
      status,
      {
        type: 'error',
        error: { type: type ?? errorTypeFor(status), message },
        request_id: requestId,
      },
      { 'request-id': requestId },
    );
  },
};
