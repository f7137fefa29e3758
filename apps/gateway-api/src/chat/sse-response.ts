import type { ChatStream } from '@ai-gateway/core';
import type { ServerResponse } from 'node:http';
import { toHttpError } from '../http/openai-exception.filter';
import { metaHeaders } from './meta-headers';

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
 * Writes a chat stream as OpenAI's SSE: one `data:` event per chunk and `[DONE]` at the
 * end. A failure after the first byte ends the stream with an error event and no
 * `[DONE]`, so a client never mistakes a cut answer for a complete one.
 */
export async function writeSse(
  raw: ServerResponse,
  stream: ChatStream,
  /** Headers the reply already had (request ids): a hijacked reply writes them itself. */
  preset: Record<string, string | number | string[] | undefined> = {},
): Promise<void> {
  try {
    raw.writeHead(200, {
      ...definedOf(preset),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...metaHeaders(stream.meta),
    });
  } catch (error) {
    // Nothing was sent: answer with the error, and end the stream so the provider call,
    // the caller's concurrency slot and budget hold are given back now.
    await abandon(stream);
    const { status, body } = toHttpError(error);
    if (!raw.headersSent) raw.writeHead(status, { 'content-type': 'application/json' });
    raw.end(JSON.stringify(body));
    return;
  }
  try {
    for await (const chunk of stream) {
      if (raw.destroyed) break;
      if (!raw.write(`data: ${JSON.stringify(chunk)}\n\n`)) await waitDrain(raw);
    }
    if (!raw.destroyed) raw.write('data: [DONE]\n\n');
  } catch (error) {
    if (!raw.destroyed) raw.write(`data: ${JSON.stringify(toHttpError(error).body)}\n\n`);
  } finally {
    raw.end();
  }
}

/**
 * Ends a stream nobody will read. Its first chunk is already in hand, so starting it
 * returns at once; `return()` then runs its clean-up (provider stream closed, request
 * settled as cancelled).
 */
async function abandon(stream: ChatStream): Promise<void> {
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
