import type { FakeExchange } from '../fake-exchange';
import {
  cutConnection,
  paceStream,
  sendBodyFault,
  sendJson,
  startEventStream,
  writeSse,
} from '../fake-exchange';
import type { Answer, Body, Item } from './openai-responses.body';
import {
  answer,
  bodyOf,
  messageItem,
  modelOf,
  outputOf,
  outputText,
  responseObject,
} from './openai-responses.body';
import { openAiWire } from './openai.wire';
import type { WireFormat } from './wire-format';

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
