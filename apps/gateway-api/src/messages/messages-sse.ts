import type { MessagesStream } from '@ai-gateway/core';
import type { ServerResponse } from 'node:http';
import { metaHeaders } from '../chat/meta-headers';
import { toHttpError } from '../http/openai-exception.filter';
import { toAnthropicError } from '../http/anthropic-error';

function waitDrain(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}

/**
 * Writes a Messages stream as Anthropic's server-sent events (`event: <type>` then
 * `data: <json>`). A failure after the first byte ends the stream with an `error` event
 * and no `message_stop`, so the Anthropic SDKs raise instead of returning a cut answer.
 */
export async function writeMessagesSse(
  raw: ServerResponse,
  stream: MessagesStream,
  /** Headers the reply already had (request ids): a hijacked reply writes them itself. */
  preset: Record<string, string | number | string[] | undefined> = {},
): Promise<void> {
  const requestId = stream.meta.requestId;
  try {
    raw.writeHead(200, {
      ...definedOf(preset),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...metaHeaders(stream.meta),
      'request-id': requestId,
    });
  } catch (error) {
    // Nothing was sent: answer with the error and end the stream, so the provider call,
    // the concurrency slot and the budget hold are given back now.
    await abandon(stream);
    const { status, body } = toAnthropicError(toHttpError(error), requestId);
    if (!raw.headersSent) raw.writeHead(status, { 'content-type': 'application/json' });
    raw.end(JSON.stringify(body));
    return;
  }
  try {
    for await (const event of stream) {
      if (raw.destroyed) break;
      if (!raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)) {
        await waitDrain(raw);
      }
    }
  } catch (error) {
    if (!raw.destroyed) {
      const { body } = toAnthropicError(toHttpError(error), requestId);
      raw.write(`event: error\ndata: ${JSON.stringify(body)}\n\n`);
    }
  } finally {
    raw.end();
  }
}

/** Ends a stream nobody will read: starting it and returning runs its clean-up. */
async function abandon(stream: MessagesStream): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]();
  try {
    await iterator.next();
    await iterator.return?.(undefined);
  } catch {
    // A stream that failed while being abandoned has settled itself with that failure.
  }
}

function definedOf(
  headers: Record<string, string | number | string[] | undefined>,
): Record<string, string | number | string[]> {
  const defined: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) defined[name] = value;
  return defined;
}
