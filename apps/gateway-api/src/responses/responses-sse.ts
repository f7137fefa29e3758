import type { ResponsesEventStream } from '@ai-gateway/core';
import type { ServerResponse } from 'node:http';
import { metaHeaders } from '../chat/meta-headers';
import { toHttpError } from '../http/openai-exception.filter';

type PresetHeaders = Record<string, string | number | string[] | undefined>;

/**
 * Writes a streamed response as the Responses API's SSE: `event: <type>` and the event as
 * `data:`, numbered by the library. No `[DONE]`: `response.completed` ends a good stream.
 * A failure after the first event has already yielded `response.failed`; an `error`
 * event follows (it carries OpenAI's `error` object too, which makes the official
 * clients raise), and never `response.completed`.
 */
export async function writeResponsesSse(
  raw: ServerResponse,
  stream: ResponsesEventStream,
  /** Headers the reply already had (request ids): a hijacked reply writes them itself. */
  preset: PresetHeaders = {},
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
    // Nothing was sent: answer with the error, and end the stream so its provider call,
    // concurrency slot and budget hold are given back now.
    await abandon(stream);
    const { status, body } = toHttpError(error);
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
      const { error: body } = toHttpError(error).body;
      const event = {
        type: 'error',
        sequence_number: stream.nextSequence(),
        code: body.code,
        message: body.message,
        param: body.param,
        error: body,
      };
      raw.write(`event: error\ndata: ${JSON.stringify(event)}\n\n`);
    }
  } finally {
    raw.end();
  }
}

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

/** Starts and closes a stream nobody will read, so it settles (as cancelled). */
async function abandon(stream: ResponsesEventStream): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]();
  try {
    await iterator.next();
    await iterator.return?.(undefined);
  } catch {
    // A stream that failed while being abandoned has settled itself with that failure.
  }
}

function definedOf(headers: PresetHeaders): Record<string, string | number | string[]> {
  const defined: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) defined[name] = value;
  }
  return defined;
}
