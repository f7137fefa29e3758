import { randomBytes } from 'node:crypto';
import type { ChatResponse } from '../types/unified';
import type { ResponsesCall } from './responses-request.mapper';
import type {
  ResponseMessageItem,
  ResponseObject,
  ResponseOutputItem,
  ResponseStatus,
  ResponseUsage,
} from './responses.types';

const ID_BYTES = 24;
/** Random bytes for 256 ids at a time: one call to the CSPRNG per 256 responses. */
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** A new response id: `resp_` and 48 random hex digits. */
export function responseId(): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 256);
    idOffset = 0;
  }
  idOffset += ID_BYTES;
  return `resp_${idPool.toString('hex', idOffset - ID_BYTES, idOffset)}`;
}

/**
 * The id of output item `index` of response `responseId` (`msg_…`, `fc_…`). Ids are opaque
 * to clients; deriving them from the response lets an `item_reference` (which the Vercel
 * AI SDK sends for earlier turns) find its stored response without an index of items.
 */
export function outputItemId(prefix: 'msg' | 'fc', response: string, index: number): string {
  return `${prefix}_${response.slice('resp_'.length)}_${index}`;
}

/** The response an output item id belongs to, if it is one of ours. */
export function responseOfItemId(itemId: string): string | undefined {
  const match = /^(?:msg|fc)_([0-9a-f]{48})_\d{1,4}$/.exec(itemId);
  return match ? `resp_${match[1]}` : undefined;
}

interface ChatUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** Chat usage → Responses usage (cached and reasoning token details always present). */
export function responseUsageOf(usage: ChatUsage | null | undefined): ResponseUsage | null {
  if (!usage) return null;
  const input = usage.prompt_tokens ?? 0;
  const output = usage.completion_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: {
      reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    },
    total_tokens: usage.total_tokens ?? input + output,
  };
}

/** A chat finish reason → the response's status and why it is incomplete. */
export function statusOf(
  finishReason: string | null | undefined,
): Pick<ResponseObject, 'status' | 'incomplete_details'> {
  if (finishReason === 'length')
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter')
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/** The Response object before any output: what `response.created` carries. */
export function responseShell(
  id: string,
  call: ResponsesCall,
  model: string,
  createdAt: number,
  status: ResponseStatus = 'in_progress',
): ResponseObject {
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status,
    error: null,
    incomplete_details: null,
    model,
    output: [],
    truncation: 'disabled',
    usage: null,
    ...call.echo,
  };
}

/** A whole chat completion → the Response object (message text, refusal, function calls). */
export function responseOf(
  id: string,
  call: ResponsesCall,
  chat: ChatResponse,
  createdAt: number,
): ResponseObject {
  const choice = chat.choices[0];
  const message = choice?.message;
  const output: ResponseOutputItem[] = [];
  const content: ResponseMessageItem['content'] = [];
  if (typeof message?.content === 'string' && message.content !== '') {
    content.push({ type: 'output_text', text: message.content, annotations: [], logprobs: [] });
  }
  if (typeof message?.refusal === 'string' && message.refusal !== '') {
    content.push({ type: 'refusal', refusal: message.refusal });
  }
  if (content.length > 0) {
    output.push({
      type: 'message',
      id: outputItemId('msg', id, output.length),
      status: 'completed',
      role: 'assistant',
      content,
    });
  }
  for (const toolCall of message?.tool_calls ?? []) {
    if (toolCall.type !== 'function') continue;
    output.push({
      type: 'function_call',
      id: outputItemId('fc', id, output.length),
      call_id: toolCall.id,
      name: toolCall.function.name,
      arguments: toolCall.function.arguments,
      status: 'completed',
    });
  }
  return {
    ...responseShell(id, call, chat.model || call.model, createdAt),
    ...statusOf(choice?.finish_reason),
    output,
    usage: responseUsageOf(chat.usage),
  };
}
