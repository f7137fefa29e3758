import type {
  ChatCompletion,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';

/**
 * One choice of a unified `chat.completion`, the same for every translating adapter:
 * `content` is null only when the answer is tool calls alone, and `tool_calls` is
 * present only when there are some (OpenAI's own shape).
 */
export function assistantChoice(
  index: number,
  text: string,
  toolCalls: ChatCompletionMessageToolCall[],
  finishReason: ChatCompletion.Choice['finish_reason'],
): ChatCompletion.Choice {
  return {
    index,
    message: {
      role: 'assistant',
      content: text === '' && toolCalls.length > 0 ? null : text,
      refusal: null,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    },
    logprobs: null,
    finish_reason: finishReason,
  };
}
