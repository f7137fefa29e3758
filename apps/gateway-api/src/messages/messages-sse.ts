import type { MessagesStream } from '@ai-gateway/core';
import type { ServerResponse } from 'node:http';
import { metaHeaders } from '../chat/meta-headers';
import { toAnthropicError } from '../http/anthropic-error';
import type { PresetHeaders } from '../http/event-stream-writer';
import { writeEventStream } from '../http/event-stream-writer';
import { toHttpError } from '../http/openai-exception.filter';

/**
 * Writes a Messages stream as Anthropic's server-sent events (`event: <type>` then
 * `data: <json>`). A failure after the first byte ends the stream with an `error` event
 * and no `message_stop`, so the Anthropic SDKs raise instead of returning a cut answer.
 */
export function writeMessagesSse(
  raw: ServerResponse,
  stream: MessagesStream,
  preset: PresetHeaders = {},
): Promise<void> {
  const requestId = stream.meta.requestId;
  const anthropic = (error: unknown) => toAnthropicError(toHttpError(error), requestId);
  return writeEventStream(raw, stream, preset, {
    headers: { ...metaHeaders(stream.meta), 'request-id': requestId },
    frame: (event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
    refusal: anthropic,
    failure: (error) => `event: error\ndata: ${JSON.stringify(anthropic(error).body)}\n\n`,
  });
}
