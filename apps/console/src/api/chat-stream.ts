import type { ApiClient } from './client';
import { ApiError } from './client';
import type { ErrorBody } from './types';

/** What the gateway says about who served a call, from its response headers. */
export interface ServedBy {
  requestId?: string;
  provider?: string;
  model?: string;
  route?: string;
  /** `provider/model=outcome, …` (percent-encoded outside visible ASCII). */
  trace?: string;
  cache?: string;
  attempts?: string;
  /** Known at the start only for complete (non-streamed) answers. */
  costUsd?: string;
  costSavedUsd?: string;
  fake: boolean;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatCall {
  body: Record<string, unknown>;
  /** `x-gateway-*` controls (chain, fallback, cache, cost cap). */
  headers: Record<string, string>;
  /** The key to call with when it is not the session's (an admin using a gateway key). */
  key?: string;
  signal: AbortSignal;
  onServedBy: (served: ServedBy) => void;
  /** Each piece of the answer as it arrives. */
  onText: (text: string) => void;
  /** The first piece of the answer arrived (time to first token, as the browser saw it). */
  onFirstToken: () => void;
}

export interface ChatOutcome {
  usage?: ChatUsage;
  finishReason?: string;
}

function servedBy(headers: Headers): ServedBy {
  const get = (name: string): string | undefined => headers.get(name) ?? undefined;
  return {
    requestId: get('x-request-id'),
    provider: get('x-gateway-provider'),
    model: get('x-gateway-model'),
    route: get('x-gateway-route'),
    trace: get('x-gateway-trace'),
    cache: get('x-gateway-cache'),
    attempts: get('x-gateway-attempts'),
    costUsd: get('x-gateway-cost-usd'),
    costSavedUsd: get('x-gateway-cost-saved-usd'),
    fake: headers.has('x-gateway-fake'),
  };
}

interface ChunkLike extends ErrorBody {
  choices?: Array<{
    delta?: { content?: string | null };
    message?: { content?: string | null };
    finish_reason?: string | null;
  }>;
  usage?: ChatUsage | null;
}

/**
 * `POST /v1/chat/completions` from the browser. With `stream: true` the answer is read
 * from the SSE body as it arrives (fetch + ReadableStream, `data:` lines, `[DONE]`); an
 * error event after the first byte (the gateway sends no `[DONE]` then) is thrown.
 */
export async function callChat(api: ApiClient, call: ChatCall): Promise<ChatOutcome> {
  const response = await api.fetch('/v1/chat/completions', {
    method: 'POST',
    key: call.key,
    signal: call.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream, application/json',
      ...call.headers,
    },
    body: JSON.stringify(call.body),
  });
  call.onServedBy(servedBy(response.headers));
  if (!call.body.stream || !response.body) {
    const body = (await response.json()) as ChunkLike;
    const choice = body.choices?.[0];
    const text = choice?.message?.content ?? '';
    if (text) {
      call.onFirstToken();
      call.onText(text);
    }
    return { usage: body.usage ?? undefined, finishReason: choice?.finish_reason ?? undefined };
  }
  return readEvents(response.body, call);
}

async function readEvents(body: ReadableStream<Uint8Array>, call: ChatCall): Promise<ChatOutcome> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const outcome: ChatOutcome = {};
  let buffer = '';
  let first = true;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = eventEnd(buffer)) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^(\r?\n){2}/, '');
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data === '') continue;
      if (data === '[DONE]') return outcome;
      const chunk = JSON.parse(data) as ChunkLike;
      if (chunk.error) {
        throw new ApiError(
          200,
          chunk.error.message ?? 'The stream failed',
          chunk.error.code ?? undefined,
        );
      }
      const choice = chunk.choices?.[0];
      const text = choice?.delta?.content;
      if (text) {
        if (first) call.onFirstToken();
        first = false;
        call.onText(text);
      }
      if (choice?.finish_reason) outcome.finishReason = choice.finish_reason;
      if (chunk.usage) outcome.usage = chunk.usage;
    }
  }
  throw new ApiError(200, 'The stream ended without [DONE]: the answer may be cut short.');
}

/** Index of the blank line ending the first complete event, or -1. */
function eventEnd(buffer: string): number {
  const lf = buffer.indexOf('\n\n');
  const crlf = buffer.indexOf('\r\n\r\n');
  if (lf < 0) return crlf;
  if (crlf < 0) return lf;
  return Math.min(lf, crlf);
}
