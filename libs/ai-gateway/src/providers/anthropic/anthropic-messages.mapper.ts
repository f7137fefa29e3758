import type {
  Base64ImageSource,
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatCompletionMessageParam } from '../../types/unified';

/** The conversation in Anthropic's shape: a system prompt beside alternating turns. */
export interface AnthropicConversation {
  system: TextBlockParam[];
  messages: MessageParam[];
}

type Part = { type?: string; [field: string]: unknown };
type Turn = { role: 'user' | 'assistant'; content: ContentBlockParam[] };

const IMAGE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
]);
const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;
/** Message fields with no Anthropic counterpart that carry no meaning for the model. */
const IGNORED_MESSAGE_FIELDS = new Set(['role', 'content', 'name']);

/**
 * Maps OpenAI messages to Anthropic's: system and developer messages (wherever they
 * stand) become the top-level `system` prompt in order; tool results become
 * `tool_result` blocks of a user turn; assistant tool calls become `tool_use` blocks;
 * consecutive turns of one role merge into one turn, as the API expects. `name` is
 * dropped (Anthropic has no participant names); image `detail` is dropped (no such knob).
 */
export function toAnthropicConversation(
  provider: string,
  messages: readonly ChatCompletionMessageParam[],
): AnthropicConversation {
  const system: TextBlockParam[] = [];
  const turns: Turn[] = [];
  const push = (role: Turn['role'], content: ContentBlockParam[]): void => {
    const last = turns[turns.length - 1];
    if (last?.role === role) last.content.push(...content);
    else turns.push({ role, content: [...content] });
  };

  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        rejectExtraFields(provider, message, at, []);
        system.push(...textBlocks(provider, message.content, at));
        break;
      case 'user':
        rejectExtraFields(provider, message, at, []);
        push('user', userBlocks(provider, message.content, at));
        break;
      case 'assistant':
        rejectExtraFields(provider, message, at, ['tool_calls', 'refusal']);
        push('assistant', assistantBlocks(provider, message, at));
        break;
      case 'tool':
        rejectExtraFields(provider, message, at, ['tool_call_id']);
        push('user', [
          {
            type: 'tool_result',
            tool_use_id: message.tool_call_id,
            content:
              typeof message.content === 'string'
                ? message.content
                : textBlocks(provider, message.content, at),
          },
        ]);
        break;
      case 'function':
        throw GatewayError.unsupported(
          provider,
          'Legacy function messages are not supported; use tool messages',
          at,
        );
    }
  });
  return { system, messages: turns };
}

/** Every message field we do not map must be absent (or null), or the request fails. */
function rejectExtraFields(provider: string, message: object, at: string, mapped: string[]): void {
  for (const [field, value] of Object.entries(message)) {
    if (
      value === undefined ||
      value === null ||
      IGNORED_MESSAGE_FIELDS.has(field) ||
      mapped.includes(field)
    )
      continue;
    throw GatewayError.unsupported(
      provider,
      `Anthropic cannot carry the message field ${field}`,
      `${at}.${field}`,
    );
  }
}

function cacheControl(part: Part): Pick<TextBlockParam, 'cache_control'> {
  // OpenAI's explicit cache breakpoint marks the end of a reusable prefix, as cache_control does.
  return part.prompt_cache_breakpoint ? { cache_control: { type: 'ephemeral' } } : {};
}

function textBlocks(provider: string, content: unknown, at: string): TextBlockParam[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return (content as Part[]).flatMap((part, j) => textBlock(provider, part, `${at}.content[${j}]`));
}

/** A text (or refusal) part; empty text is left out, as Anthropic rejects empty blocks. */
function textBlock(provider: string, part: Part, at: string): TextBlockParam[] {
  const text =
    part.type === 'text' ? part.text : part.type === 'refusal' ? part.refusal : undefined;
  if (typeof text !== 'string') {
    throw GatewayError.unsupported(
      provider,
      `Anthropic cannot carry a ${String(part.type)} part here`,
      at,
    );
  }
  return text === '' ? [] : [{ type: 'text', text, ...cacheControl(part) }];
}

function userBlocks(provider: string, content: unknown, at: string): ContentBlockParam[] {
  if (!Array.isArray(content)) return textBlocks(provider, content, at);
  return (content as Part[]).flatMap((part, j): ContentBlockParam[] => {
    const where = `${at}.content[${j}]`;
    return part.type === 'image_url'
      ? [imageBlock(provider, part, where)]
      : textBlock(provider, part, where);
  });
}

/** Data URLs become base64 sources; http(s) URLs are fetched by Anthropic itself. */
function imageBlock(provider: string, part: Part, at: string): ImageBlockParam {
  const url = (part.image_url as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string')
    throw GatewayError.invalidRequest('image_url.url must be a string', at);
  const data = DATA_URL.exec(url);
  if (data) {
    if (!IMAGE_MEDIA_TYPES.has(data[1])) {
      throw GatewayError.unsupported(
        provider,
        `Anthropic accepts JPEG, PNG, GIF and WebP images, not ${data[1]}`,
        at,
      );
    }
    const source: Base64ImageSource = {
      type: 'base64',
      media_type: data[1] as Base64ImageSource['media_type'],
      data: data[2],
    };
    return { type: 'image', source, ...cacheControl(part) };
  }
  if (/^https?:\/\//i.test(url))
    return { type: 'image', source: { type: 'url', url }, ...cacheControl(part) };
  throw GatewayError.unsupported(
    provider,
    'Anthropic accepts images as base64 data URLs or http(s) URLs',
    at,
  );
}

function assistantBlocks(
  provider: string,
  message: Extract<ChatCompletionMessageParam, { role: 'assistant' }>,
  at: string,
): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = textBlocks(provider, message.content, at);
  if (message.refusal) blocks.push({ type: 'text', text: message.refusal });
  (message.tool_calls ?? []).forEach((call, j) => {
    const where = `${at}.tool_calls[${j}]`;
    if (call.type !== 'function') {
      throw GatewayError.unsupported(
        provider,
        'Anthropic has no custom tool calls',
        `${where}.type`,
      );
    }
    const block: ToolUseBlockParam = {
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments, `${where}.function.arguments`),
    };
    blocks.push(block);
  });
  return blocks;
}

/** Anthropic wants the tool input as an object, OpenAI history carries it as JSON text. */
function parseArguments(text: string, at: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw GatewayError.invalidRequest('Tool call arguments must be a JSON object', at);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw GatewayError.invalidRequest('Tool call arguments must be a JSON object', at);
  }
  return parsed as Record<string, unknown>;
}
