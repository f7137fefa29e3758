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
export async function writeSse(raw: ServerResponse, stream: ChatStream): Promise<void> {
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...metaHeaders(stream.meta),
  });
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
