import type { ChatStream } from '@ai-gateway/core';
import type { ServerResponse } from 'node:http';
import type { PresetHeaders } from '../http/event-stream-writer';
import { writeEventStream } from '../http/event-stream-writer';
import { toHttpError } from '../http/openai-exception.filter';
import { metaHeaders } from './meta-headers';

/**
 * Writes a chat stream as OpenAI's SSE: one `data:` event per chunk and `[DONE]` at the
 * end. A failure after the first byte ends the stream with an error event and no
 * `[DONE]`, so a client never mistakes a cut answer for a complete one.
 */
export function writeSse(
  raw: ServerResponse,
  stream: ChatStream,
  preset: PresetHeaders = {},
): Promise<void> {
  return writeEventStream(raw, stream, preset, {
    headers: metaHeaders(stream.meta),
    frame: (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
    end: 'data: [DONE]\n\n',
    refusal: toHttpError,
    failure: (error) => `data: ${JSON.stringify(toHttpError(error).body)}\n\n`,
  });
}
