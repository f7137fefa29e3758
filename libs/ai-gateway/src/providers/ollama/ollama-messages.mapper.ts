import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatCompletionMessageParam } from '../../types/unified';
import type { OllamaMessage, OllamaToolCall } from './ollama.types';

/** Message fields carried per role; any other non-null field is refused by name. */
const MESSAGE_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  system: new Set(['role', 'content']),
  developer: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  // A `refusal: null` echoed back from an earlier answer passes: null fields are skipped.
  assistant: new Set(['role', 'content', 'tool_calls']),
  tool: new Set(['role', 'content', 'tool_call_id']),
};

const DATA_URL = /^data:image\/[\w.+-]+;base64,(.+)$/s;

interface PartsText {
  text: string;
  images: string[];
}

/**
 * OpenAI messages → Ollama messages. System and developer prompts become `system`
 * messages in place (Ollama keeps their order); images must be inline data URLs, since
 * Ollama takes base64 and the gateway does not fetch remote images.
 */
export function toOllamaMessages(
  messages: readonly ChatCompletionMessageParam[],
  provider: string,
): OllamaMessage[] {
  return messages.map((message, index) => {
    const param = `messages[${index}]`;
    const allowed = MESSAGE_FIELDS[message.role];
    if (!allowed) {
      throw GatewayError.unsupported(
        provider,
        `Ollama has no '${message.role}' messages`,
        `${param}.role`,
      );
    }
    for (const [field, value] of Object.entries(message)) {
      if (value !== undefined && value !== null && !allowed.has(field)) {
        throw GatewayError.unsupported(
          provider,
          `Ollama cannot carry '${field}' on a message`,
          `${param}.${field}`,
        );
      }
    }
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textOnly(message.content, provider, param) };
      case 'user': {
        const { text, images } = partsText(message.content, provider, param);
        return images.length > 0
          ? { role: 'user', content: text, images }
          : { role: 'user', content: text };
      }
      case 'assistant':
        return assistantMessage(message, provider, param);
      case 'tool':
        return toolMessage(messages, index, provider);
      default:
        // 'function' (deprecated): excluded by MESSAGE_FIELDS above.
        throw GatewayError.unsupported(
          provider,
          `Ollama has no '${message.role}' messages`,
          `${param}.role`,
        );
    }
  });
}

function partsText(
  content: string | readonly unknown[] | null | undefined,
  provider: string,
  param: string,
): PartsText {
  if (content === null || content === undefined) return { text: '', images: [] };
  if (typeof content === 'string') return { text: content, images: [] };
  const texts: string[] = [];
  const images: string[] = [];
  content.forEach((raw, index) => {
    const part = raw as ChatCompletionContentPart;
    const partParam = `${param}.content[${index}]`;
    if (part.type === 'text') {
      texts.push(part.text);
    } else if (part.type === 'image_url') {
      const data = DATA_URL.exec(part.image_url.url)?.[1];
      if (data === undefined) {
        throw GatewayError.unsupported(
          provider,
          'Ollama takes images as base64 data URLs only',
          `${partParam}.image_url.url`,
        );
      }
      images.push(data);
    } else {
      throw GatewayError.unsupported(
        provider,
        `Ollama cannot carry '${(part as { type: string }).type}' content parts`,
        `${partParam}.type`,
      );
    }
  });
  return { text: texts.join('\n'), images };
}

/** Content of a role for which Ollama takes text only. */
function textOnly(
  content: string | readonly unknown[] | null | undefined,
  provider: string,
  param: string,
): string {
  const { text, images } = partsText(content, provider, param);
  if (images.length > 0) {
    throw GatewayError.unsupported(
      provider,
      'Ollama takes images on user messages only',
      `${param}.content`,
    );
  }
  return text;
}

function assistantMessage(
  message: ChatCompletionAssistantMessageParam,
  provider: string,
  param: string,
): OllamaMessage {
  const text = textOnly(message.content, provider, param);
  const calls = message.tool_calls ?? [];
  if (calls.length === 0) return { role: 'assistant', content: text };
  return {
    role: 'assistant',
    content: text,
    tool_calls: calls.map((call, index) =>
      toOllamaToolCall(call, provider, `${param}.tool_calls[${index}]`),
    ),
  };
}

function toOllamaToolCall(
  call: ChatCompletionMessageToolCall,
  provider: string,
  param: string,
): OllamaToolCall {
  if (call.type !== 'function') {
    throw GatewayError.unsupported(
      provider,
      `Ollama has no '${call.type}' tool calls`,
      `${param}.type`,
    );
  }
  return {
    function: {
      name: call.function.name,
      arguments: parseArguments(call.function.arguments, provider, param),
    },
  };
}

/** OpenAI carries arguments as a JSON string, Ollama as an object. */
function parseArguments(json: string, provider: string, param: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = json.trim() === '' ? {} : JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new GatewayError(
      GatewayErrorCode.BAD_REQUEST,
      'Tool call arguments must be a JSON object',
      { provider, param: `${param}.function.arguments` },
    );
  }
  return parsed as Record<string, unknown>;
}

/**
 * OpenAI links a tool result to its call by id; Ollama by function name, which is found
 * on the nearest earlier assistant message that made the call.
 */
function toolMessage(
  messages: readonly ChatCompletionMessageParam[],
  index: number,
  provider: string,
): OllamaMessage {
  const message = messages[index];
  if (message.role !== 'tool') throw new Error('toolMessage needs a tool message');
  const content = textOnly(message.content, provider, `messages[${index}]`);
  const toolName = findToolName(messages, index, message.tool_call_id);
  return toolName === undefined
    ? { role: 'tool', content }
    : { role: 'tool', content, tool_name: toolName };
}

function findToolName(
  messages: readonly ChatCompletionMessageParam[],
  before: number,
  callId: string,
): string | undefined {
  for (let i = before - 1; i >= 0; i--) {
    const candidate = messages[i];
    if (candidate.role !== 'assistant') continue;
    const call = candidate.tool_calls?.find((c) => c.id === callId);
    if (call?.type === 'function') return call.function.name;
  }
  return undefined;
}
