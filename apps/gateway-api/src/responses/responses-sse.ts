import type { ResponsesEvents } from '@ai-gateway/core';
import type { ServerResponse } from 'node:http';
import { metaHeaders } from '../chat/meta-headers';
import type { PresetHeaders } from '../http/event-stream-writer';
import { writeEventStream } from '../http/event-stream-writer';
import { toHttpError } from '../http/openai-exception.filter';

/**
 * Writes a streamed response as the Responses API's SSE: `event: <type>` and the event as
 * `data:`, numbered by the library. No `[DONE]`: `response.completed` ends a good stream.
 * A failure after the first event has already yielded `response.failed`; an `error`
 * event follows (it carries OpenAI's `error` object too, which makes the official
 * clients raise), and never `response.completed`.
 */
export function writeResponsesSse(
  raw: ServerResponse,
  stream: ResponsesEvents,
  preset: PresetHeaders = {},
): Promise<void> {
  return writeEventStream(raw, stream, preset, {
    headers: metaHeaders(stream.meta),
    frame: (event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
    refusal: toHttpError,
    failure: (error) => {
      const { error: body } = toHttpError(error).body;
      const event = {
        type: 'error',
        sequence_number: stream.nextSequence(),
        code: body.code,
        message: body.message,
        param: body.param,
        error: body,
      };
      return `event: error\ndata: ${JSON.stringify(event)}\n\n`;
    },
  });
}
