import type { CompletionUsage } from 'openai/resources/completions';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { ChatResponse } from '../types/unified';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicStopReason,
  AnthropicUsage,
} from './messages.types';

type FinishReason = ChatResponse['choices'][number]['finish_reason'] | null | undefined;

/**
 * OpenAI finish reasons in Anthropic's vocabulary. `stop` cannot tell a stop sequence
 * from the model's own end of turn (the unified answer does not say which), so it is
 * always `end_turn`, with `stop_sequence: null`; a `stop` that carried tool calls (some
 * providers say `stop` there) is `tool_use`.
 */
export function stopReasonOf(finish: FinishReason, calledTools: boolean): AnthropicStopReason {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return calledTools ? 'tool_use' : 'end_turn';
  }
}

/**
 * Unified usage in Anthropic's terms: `prompt_tokens` counts the whole prompt, Anthropic's
 * `input_tokens` only what was not read from a cache. Cache writes are not reported apart
 * in the unified usage: they stay inside `input_tokens` and `cache_creation_input_tokens`
 * is 0.
 */
export function toAnthropicUsage(usage: CompletionUsage | undefined): AnthropicUsage {
  const prompt = usage?.prompt_tokens ?? 0;
  const cached = Math.min(prompt, usage?.prompt_tokens_details?.cached_tokens ?? 0);
  return {
    input_tokens: prompt - cached,
    output_tokens: usage?.completion_tokens ?? 0,
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: 0,
  };
}

/** A message id of the gateway request's own (`msg_` + its id), so logs and answers meet. */
export function messageIdOf(requestId: string): string {
  return `msg_${requestId.replace(/-/g, '')}`;
}

/**
 * Tool arguments as Anthropic's `input` object. Upstreams send a JSON text; one that is
 * not a JSON object cannot be an Anthropic `input`, and is the provider's failure.
 */
export function toolInputOf(argumentsText: string, provider?: string): Record<string, unknown> {
  if (argumentsText.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(argumentsText);
  } catch {
    input = undefined;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new GatewayError(
      GatewayErrorCode.SERVER_ERROR,
      'The provider returned tool call arguments that are not a JSON object',
      { provider, retryable: false },
    );
  }
  return input as Record<string, unknown>;
}

/** A unified chat answer as an Anthropic message (its first choice: Anthropic has no `n`). */
export function toAnthropicMessage(
  response: ChatResponse,
  id: string,
  provider?: string,
): AnthropicMessage {
  const choice = response.choices[0];
  const message = choice?.message;
  const content: AnthropicContentBlock[] = [];
  const text = (message?.content ?? '') + (message?.refusal ?? '');
  if (text !== '') content.push({ type: 'text', text });
  for (const call of message?.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: toolInputOf(call.function.arguments, provider),
    });
  }
  const calledTools = content.some((block) => block.type === 'tool_use');
  return {
    id,
    type: 'message',
    role: 'assistant',
    content,
    model: response.model,
    stop_reason: stopReasonOf(choice?.finish_reason, calledTools),
    stop_sequence: null,
    usage: toAnthropicUsage(response.usage),
  };
}
