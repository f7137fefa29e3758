import type { Message, StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatResponse } from '../../types/unified';
import { assistantChoice } from '../shared/assistant-choice';

export type FinishReason = ChatResponse['choices'][number]['finish_reason'];

/** Anthropic stop reasons in OpenAI's vocabulary; unknown future reasons read as `stop`. */
export const FINISH_REASONS: Readonly<Record<StopReason, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** The OpenAI finish reason for an Anthropic stop reason (`stop` when there is none). */
export function finishReason(stopReason: StopReason | null | undefined): FinishReason {
  return (stopReason && FINISH_REASONS[stopReason]) || 'stop';
}

/** Anthropic's usage counters, as both a message and a message_delta report them. */
export interface AnthropicUsage {
  input_tokens: number | null;
  output_tokens: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/**
 * OpenAI's `prompt_tokens` counts every prompt token, Anthropic's `input_tokens` only the
 * uncached ones: prompt = input + cache reads + cache writes, and the cache reads are
 * `cached_tokens` (reported whenever Anthropic reports them, zero included).
 */
export function toUsage(usage: AnthropicUsage): CompletionUsage {
  const cached = usage.cache_read_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cached + (usage.cache_creation_input_tokens ?? 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.output_tokens,
    total_tokens: prompt + usage.output_tokens,
    ...(usage.cache_read_input_tokens === null || usage.cache_read_input_tokens === undefined
      ? {}
      : { prompt_tokens_details: { cached_tokens: cached } }),
  };
}

/**
 * A complete OpenAI completion for an Anthropic message: text blocks joined, tool_use
 * blocks as tool calls. Thinking and server-tool blocks have no OpenAI place and are
 * left out of the answer (the adapter never asks for them).
 */
export function fromAnthropicMessage(
  message: Message,
  created = Math.floor(Date.now() / 1000),
): ChatResponse {
  let text = '';
  const toolCalls: ChatCompletionMessageToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  return {
    id: message.id,
    object: 'chat.completion',
    created,
    model: message.model,
    choices: [assistantChoice(0, text, toolCalls, finishReason(message.stop_reason))],
    usage: toUsage(message.usage),
  };
}
