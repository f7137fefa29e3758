import { isGatewayError } from '../errors/gateway.error';
import type { ChatChunk } from '../types/unified';
import { outputItemId, responseShell, responseUsageOf, statusOf } from './responses-output.mapper';
import type { ResponsesCall } from './responses-request.mapper';
import type {
  ResponseFunctionCallItem,
  ResponseMessageItem,
  ResponseObject,
  ResponseOutputItem,
  ResponseOutputText,
  ResponseStreamEvent,
  ResponseUsage,
} from './responses.types';

type OpenItem =
  | { kind: 'message'; index: number; item: ResponseMessageItem; text: string }
  | { kind: 'call'; index: number; item: ResponseFunctionCallItem };

const outputText = (text = ''): ResponseOutputText => ({
  type: 'output_text',
  text,
  annotations: [],
  logprobs: [],
});

/**
 * Turns unified chat chunks into the Responses event sequence, numbering every event:
 * `response.created` / `in_progress`, then per output item `output_item.added`, its
 * content part and text deltas (messages) or argument deltas (function calls), the
 * matching `.done` events, and at the end `response.completed` (or `.incomplete`), or
 * `response.failed` after a cut. One item is open at a time, as OpenAI streams them.
 */
export class ResponseEventBuilder {
  private sequence = 0;
  private readonly output: ResponseOutputItem[] = [];
  private open?: OpenItem;
  /** Chat tool-call index → its function_call item. */
  private readonly calls = new Map<number, ResponseFunctionCallItem>();
  private finishReason: string | null = null;
  private usage: ResponseUsage | null = null;
  private model: string;

  constructor(
    private readonly id: string,
    private readonly call: ResponsesCall,
    private readonly createdAt: number,
  ) {
    this.model = call.model;
  }

  /** The opening pair; the model is the provider's when the first chunk names it. */
  start(model: string | undefined): ResponseStreamEvent[] {
    if (model) this.model = model;
    return [
      this.event('response.created', { response: this.snapshot('in_progress') }),
      this.event('response.in_progress', { response: this.snapshot('in_progress') }),
    ];
  }

  chunk(chunk: ChatChunk): ResponseStreamEvent[] {
    const events: ResponseStreamEvent[] = [];
    if (chunk.usage) this.usage = responseUsageOf(chunk.usage);
    const choice = chunk.choices[0];
    if (!choice) return events;
    const delta = choice.delta;
    if (typeof delta?.content === 'string' && delta.content !== '') {
      const open = this.open?.kind === 'message' ? this.open : this.openMessage(events);
      open.text += delta.content;
      events.push(
        this.event('response.output_text.delta', {
          item_id: open.item.id,
          output_index: open.index,
          content_index: 0,
          delta: delta.content,
          logprobs: [],
        }),
      );
    }
    for (const toolCall of delta?.tool_calls ?? []) {
      let item = this.calls.get(toolCall.index);
      if (!item) item = this.openCall(toolCall.index, toolCall, events);
      const piece = toolCall.function?.arguments;
      if (!piece) continue;
      item.arguments += piece;
      // A delta for a call already closed (providers that interleave calls) is kept in its
      // arguments only: its done events were sent, and a late delta would contradict them.
      if (this.open?.kind === 'call' && this.open.item === item) {
        events.push(
          this.event('response.function_call_arguments.delta', {
            item_id: item.id,
            output_index: this.open.index,
            delta: piece,
          }),
        );
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return events;
  }

  /** Closes the open item and builds the final response (status from the finish reason). */
  finish(): { events: ResponseStreamEvent[]; response: ResponseObject } {
    const events: ResponseStreamEvent[] = [];
    this.close(events);
    const response: ResponseObject = {
      ...this.snapshot('completed'),
      ...statusOf(this.finishReason),
      usage: this.usage,
    };
    return { events, response };
  }

  /** The last event of a completed stream: `response.completed` or `response.incomplete`. */
  final(response: ResponseObject): ResponseStreamEvent {
    const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return this.event(type, { response });
  }

  /** `response.failed` after a cut: the output so far, the error's code and message. */
  failed(error: unknown): ResponseStreamEvent {
    const code = isGatewayError(error) ? error.code : 'server_error';
    const message = isGatewayError(error) ? error.message : 'The response stream failed';
    const response: ResponseObject = {
      ...this.snapshot('failed'),
      error: { code, message },
      usage: this.usage,
    };
    return this.event('response.failed', { response });
  }

  /** The next sequence number (the writer's own `error` event after a failure takes it). */
  nextSequence(): number {
    return this.sequence++;
  }

  private openMessage(events: ResponseStreamEvent[]): OpenItem & { kind: 'message' } {
    this.close(events);
    const item: ResponseMessageItem = {
      type: 'message',
      id: outputItemId('msg', this.id, this.output.length),
      status: 'in_progress',
      role: 'assistant',
      content: [],
    };
    const open = { kind: 'message' as const, index: this.output.length, item, text: '' };
    this.output.push(item);
    this.open = open;
    events.push(
      this.event('response.output_item.added', {
        output_index: open.index,
        item: { ...item, content: [] },
      }),
      this.event('response.content_part.added', {
        item_id: item.id,
        output_index: open.index,
        content_index: 0,
        part: outputText(),
      }),
    );
    return open;
  }

  private openCall(
    index: number,
    toolCall: { id?: string; function?: { name?: string } },
    events: ResponseStreamEvent[],
  ): ResponseFunctionCallItem {
    this.close(events);
    const id = outputItemId('fc', this.id, this.output.length);
    const item: ResponseFunctionCallItem = {
      type: 'function_call',
      id,
      call_id: toolCall.id || `call_${id.slice(3)}`,
      name: toolCall.function?.name ?? '',
      arguments: '',
      status: 'in_progress',
    };
    this.calls.set(index, item);
    this.open = { kind: 'call', index: this.output.length, item };
    this.output.push(item);
    events.push(
      this.event('response.output_item.added', {
        output_index: this.open.index,
        item: { ...item },
      }),
    );
    return item;
  }

  private close(events: ResponseStreamEvent[]): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    const { item, index } = open;
    item.status = 'completed';
    if (open.kind === 'message') {
      const part = outputText(open.text);
      open.item.content = [part];
      const at = { item_id: item.id, output_index: index, content_index: 0 };
      events.push(
        this.event('response.output_text.done', { ...at, text: open.text, logprobs: [] }),
        this.event('response.content_part.done', { ...at, part }),
      );
    } else {
      events.push(
        this.event('response.function_call_arguments.done', {
          item_id: item.id,
          output_index: index,
          name: open.item.name,
          arguments: open.item.arguments,
        }),
      );
    }
    events.push(
      this.event('response.output_item.done', {
        output_index: index,
        item: copyItem(item),
      }),
    );
  }

  private snapshot(status: ResponseObject['status']): ResponseObject {
    const output = this.output.map(copyItem);
    // An open message holds its text here until it closes: a failed response shows it.
    const open = this.open;
    if (open?.kind === 'message' && open.text !== '') {
      (output[open.index] as ResponseMessageItem).content = [outputText(open.text)];
    }
    return { ...responseShell(this.id, this.call, this.model, this.createdAt, status), output };
  }

  private event(type: string, fields: Record<string, unknown>): ResponseStreamEvent {
    return { type, sequence_number: this.sequence++, ...fields };
  }
}

/**
 * An output item as it is now, detached from later changes: its fields are strings (the
 * content parts' annotations and logprobs arrays are never changed after they are made),
 * so a copy of the item and its part list is enough — structuredClone cost a stream ~10 µs
 * per event at 64 connections (bench:ingress).
 */
function copyItem(item: ResponseOutputItem): ResponseOutputItem {
  return item.type === 'message'
    ? { ...item, content: item.content.map((part) => ({ ...part })) }
    : { ...item };
}
