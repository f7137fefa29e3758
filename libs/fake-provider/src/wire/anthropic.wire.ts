import type { FakeExchange } from '../fake-exchange';
import {
  cutConnection,
  paceStream,
  sendJson,
  startEventStream,
  writeSse,
  sendBodyFault,
} from '../fake-exchange';
import type { AnthropicBody } from './anthropic.message';
import {
  FAKE_ANTHROPIC_MODELS,
  errorTypeFor,
  invalidReason,
  answer,
  usage,
  toolUse,
  message,
} from './anthropic.message';
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
  const data = FAKE_ANTHROPIC_MODELS.map((id) => ({
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
