import type { ResponseMeta } from '../shared/call-result';

/*
 * The Anthropic Messages API as the gateway answers it (`POST /v1/messages`): only what it
 * writes. Requests are read field by field in messages-request.mapper.ts, so no request
 * type is trusted here; the shapes follow Anthropic's API reference (version 2023-06-01 on).
 */

/** Why the model stopped, in Anthropic's vocabulary. */
export type AnthropicStopReason =
  'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

/**
 * Token counts of a message. `input_tokens` are the prompt tokens not read from a prompt
 * cache (Anthropic's meaning): input + cache reads + cache writes = the whole prompt.
 */
export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
}

export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export type AnthropicContentBlock = AnthropicTextBlock | AnthropicToolUseBlock;

/** A complete answer (`type: 'message'`). */
export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  content: AnthropicContentBlock[];
  model: string;
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

export type AnthropicBlockDelta =
  { type: 'text_delta'; text: string } | { type: 'input_json_delta'; partial_json: string };

/** One server-sent event of a streamed message; `type` is also the SSE `event:` name. */
export type MessagesStreamEvent =
  | { type: 'message_start'; message: AnthropicMessage }
  | { type: 'content_block_start'; index: number; content_block: AnthropicContentBlock }
  | { type: 'content_block_delta'; index: number; delta: AnthropicBlockDelta }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason: AnthropicStopReason; stop_sequence: string | null };
      usage: AnthropicUsage;
    }
  | { type: 'message_stop' }
  | { type: 'ping' };

/** `POST /v1/messages` answered whole, with what happened in `meta`. */
export interface MessagesResult {
  message: AnthropicMessage;
  meta: ResponseMeta;
}

/**
 * `POST /v1/messages` streamed: iterate for Anthropic's events. A failure after the
 * first event is thrown from the iterator (the caller ends the stream with an `error`
 * event, never `message_stop`); `meta` is filled as the stream goes.
 */
export interface MessagesStream extends AsyncIterable<MessagesStreamEvent> {
  readonly meta: ResponseMeta;
}

/** `POST /v1/messages/count_tokens`. */
export interface MessagesTokenCount {
  input_tokens: number;
}
