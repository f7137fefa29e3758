import type {
  ChatCompletionContentPartImage,
  ChatCompletionContentPartText,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { absent, invalid, isObject, onlyKnownKeys, stringAt, uncarried } from './messages-fields';

type UserPart = ChatCompletionContentPartText | ChatCompletionContentPartImage;

// `cache_control` is a cost hint to Anthropic's prompt cache: it changes no answer, so it
// is accepted and left out (OpenAI-kind upstreams cache prefixes on their own).
const TEXT_KEYS: ReadonlySet<string> = new Set(['type', 'text', 'cache_control', 'citations']);
const IMAGE_KEYS: ReadonlySet<string> = new Set(['type', 'source', 'cache_control']);
const TOOL_USE_KEYS: ReadonlySet<string> = new Set([
  'type',
  'id',
  'name',
  'input',
  'cache_control',
]);
const TOOL_RESULT_KEYS: ReadonlySet<string> = new Set([
  'type',
  'tool_use_id',
  'content',
  'is_error',
  'cache_control',
]);
const MESSAGE_KEYS: ReadonlySet<string> = new Set(['role', 'content']);
/**
 * Assistant blocks left out of the history: Anthropic itself strips thinking from earlier
 * turns before the model sees them, so the answer does not depend on them.
 */
const DROPPED_ASSISTANT_BLOCKS: ReadonlySet<string> = new Set(['thinking', 'redacted_thinking']);

/** Anthropic's `system` (a string or text blocks) as a system message, if there is one. */
export function toSystemMessage(system: unknown): ChatCompletionMessageParam | undefined {
  if (absent(system)) return undefined;
  if (typeof system === 'string') {
    return system === '' ? undefined : { role: 'system', content: system };
  }
  if (!Array.isArray(system)) invalid('system', 'must be a string or an array of text blocks');
  const parts = system.map((block: unknown, i) => textPart(block, `system[${i}]`));
  return parts.length === 0 ? undefined : { role: 'system', content: parts };
}

/**
 * Anthropic's turns as OpenAI messages. A user turn's `tool_result` blocks become `tool`
 * messages (placed first, right after the assistant turn that called the tools, as OpenAI
 * requires), its text and images one user message; an assistant turn's text and
 * `tool_use` blocks become one assistant message with `tool_calls`.
 */
export function toChatMessages(messages: unknown): ChatCompletionMessageParam[] {
  if (!Array.isArray(messages)) invalid('messages', 'is required and must be an array');
  if (messages.length === 0) invalid('messages', 'must contain at least one message');
  const out: ChatCompletionMessageParam[] = [];
  messages.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isObject(message)) invalid(at, 'must be an object');
    onlyKnownKeys(message, MESSAGE_KEYS, at);
    const content = message.content;
    if (typeof content !== 'string' && !Array.isArray(content)) {
      invalid(`${at}.content`, 'must be a string or an array of content blocks');
    }
    if (message.role === 'user') out.push(...userTurn(content, `${at}.content`));
    else if (message.role === 'assistant') out.push(assistantTurn(content, `${at}.content`));
    else invalid(`${at}.role`, "must be 'user' or 'assistant'");
  });
  return out;
}

function userTurn(content: string | unknown[], at: string): ChatCompletionMessageParam[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const results: ChatCompletionMessageParam[] = [];
  const parts: UserPart[] = [];
  content.forEach((block: unknown, j) => {
    const here = `${at}[${j}]`;
    switch (blockType(block, here)) {
      case 'text':
        parts.push(textPart(block, here));
        return;
      case 'image':
        parts.push(imagePart(block as Record<string, unknown>, here));
        return;
      case 'tool_result':
        results.push(toolMessage(block as Record<string, unknown>, here));
        return;
      default:
        unknownBlock(block as Record<string, unknown>, here, 'user');
    }
  });
  if (parts.length > 0 || results.length === 0) results.push({ role: 'user', content: parts });
  return results;
}

function assistantTurn(content: string | unknown[], at: string): ChatCompletionMessageParam {
  if (typeof content === 'string') return { role: 'assistant', content };
  let text = '';
  const calls: ChatCompletionMessageFunctionToolCall[] = [];
  content.forEach((block: unknown, j) => {
    const here = `${at}[${j}]`;
    const type = blockType(block, here);
    const fields = block as Record<string, unknown>;
    if (type === 'text') text += textPart(block, here).text;
    else if (type === 'tool_use') calls.push(toolCall(fields, here));
    else if (!DROPPED_ASSISTANT_BLOCKS.has(type)) unknownBlock(fields, here, 'assistant');
  });
  if (calls.length === 0) return { role: 'assistant', content: text };
  return { role: 'assistant', content: text === '' ? null : text, tool_calls: calls };
}

function blockType(block: unknown, at: string): string {
  if (!isObject(block) || typeof block.type !== 'string') {
    invalid(at, "must be an object with a string 'type'");
  }
  return block.type;
}

function textPart(block: unknown, at: string): ChatCompletionContentPartText {
  if (!isObject(block) || block.type !== 'text') invalid(`${at}.type`, "must be 'text'");
  onlyKnownKeys(block, TEXT_KEYS, at);
  return { type: 'text', text: stringAt(block.text, `${at}.text`, { required: true }) as string };
}

/** base64 images become data URLs, URL images stay URLs; file ids have no OpenAI place. */
function imagePart(block: Record<string, unknown>, at: string): ChatCompletionContentPartImage {
  onlyKnownKeys(block, IMAGE_KEYS, at);
  const source = block.source;
  if (!isObject(source)) invalid(`${at}.source`, 'is required and must be an object');
  if (source.type === 'base64') {
    const type = stringAt(source.media_type, `${at}.source.media_type`, { nonEmpty: true });
    const data = stringAt(source.data, `${at}.source.data`, { nonEmpty: true });
    if (type === undefined || data === undefined)
      invalid(`${at}.source`, 'needs media_type and data');
    return { type: 'image_url', image_url: { url: `data:${type};base64,${data}` } };
  }
  if (source.type === 'url') {
    const url = stringAt(source.url, `${at}.source.url`, { required: true, nonEmpty: true });
    return { type: 'image_url', image_url: { url: url as string } };
  }
  return uncarried(`${at}.source.type`, "only 'base64' and 'url' images are carried");
}

function toolCall(
  block: Record<string, unknown>,
  at: string,
): ChatCompletionMessageFunctionToolCall {
  onlyKnownKeys(block, TOOL_USE_KEYS, at);
  const id = stringAt(block.id, `${at}.id`, { required: true, nonEmpty: true }) as string;
  const name = stringAt(block.name, `${at}.name`, { required: true, nonEmpty: true }) as string;
  if (!isObject(block.input)) invalid(`${at}.input`, 'must be an object');
  return { id, type: 'function', function: { name, arguments: JSON.stringify(block.input) } };
}

/**
 * A tool result as a `tool` message. Its text blocks are joined with newlines (a tool
 * message carries text only, so an image inside a result is refused). `is_error` has no
 * OpenAI counterpart and is not carried: the result's own text says what went wrong.
 */
function toolMessage(block: Record<string, unknown>, at: string): ChatCompletionMessageParam {
  onlyKnownKeys(block, TOOL_RESULT_KEYS, at);
  const id = stringAt(block.tool_use_id, `${at}.tool_use_id`, { required: true, nonEmpty: true });
  if (!absent(block.is_error) && typeof block.is_error !== 'boolean') {
    invalid(`${at}.is_error`, 'must be a boolean');
  }
  const content = block.content;
  let text = '';
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    text = content
      .map((part: unknown, k) => {
        const here = `${at}.content[${k}]`;
        if (blockType(part, here) !== 'text') {
          uncarried(`${here}.type`, 'a tool result carries text blocks only');
        }
        return textPart(part, here).text;
      })
      .join('\n');
  } else if (!absent(content)) {
    invalid(`${at}.content`, 'must be a string or an array of content blocks');
  }
  return { role: 'tool', tool_call_id: id as string, content: text };
}

function unknownBlock(block: Record<string, unknown>, at: string, role: string): never {
  const type = String(block.type);
  const known = role === 'user' ? ['tool_use'] : ['image', 'tool_result'];
  if (known.includes(type))
    invalid(`${at}.type`, `'${type}' blocks are not allowed in ${role} turns`);
  return uncarried(`${at}.type`, `'${type}' blocks are not carried through the unified path`);
}
