import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { ChatCompletionMessageParam } from '../types/unified';
import type { ResponseInputItem } from './responses.types';

/** The caller's mistake: 400 `invalid_request` naming the field. */
export function invalid(param: string, message: string): never {
  throw GatewayError.invalidRequest(`Invalid request: '${param}' ${message}`, param);
}

/** Something the gateway cannot carry to a provider: 400 `unsupported_feature` naming it. */
export function unsupported(param: string, message: string): never {
  throw new GatewayError(GatewayErrorCode.UNSUPPORTED_FEATURE, message, { param });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MESSAGE_ROLES = new Set(['user', 'assistant', 'system', 'developer']);

type ChatPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

/** `input` as a list of items: a string is one user message. */
export function inputItemsOf(input: unknown): ResponseInputItem[] {
  if (typeof input === 'string') {
    if (input === '') invalid('input', 'must not be empty');
    return [{ type: 'message', role: 'user', content: input }];
  }
  if (!Array.isArray(input) || input.length === 0) {
    invalid('input', 'is required: a string or a non-empty array of input items');
  }
  input.forEach((item: unknown, i) => {
    if (!isObject(item)) invalid(`input[${i}]`, 'must be an object');
  });
  return input as ResponseInputItem[];
}

/**
 * Responses items → unified chat messages: messages (text and image parts), the model's
 * earlier `function_call`s (joined to the assistant turn they belong to) and their
 * `function_call_output`s (tool messages). Reasoning items carry nothing a chat model can
 * take and are dropped; any other item type is refused naming it (`item_reference`s are
 * replaced by the items they name before this runs). `path` names the field
 * at fault (`input`; stored history was checked when it arrived).
 */
export function messagesOfItems(
  items: readonly ResponseInputItem[],
  path = 'input',
  /** Checking only: `item_reference`s are resolved later, by the service. */
  references: 'skip' | 'refuse' = 'refuse',
): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  items.forEach((item, i) => {
    const at = `${path}[${i}]`;
    const type = item.type ?? 'message';
    switch (type) {
      case 'message':
        messages.push(messageOf(item, at));
        return;
      case 'function_call': {
        const call = functionCallOf(item, at);
        const last = messages[messages.length - 1];
        // Calls made in one turn belong to one assistant message, as chat models expect.
        if (last?.role === 'assistant') {
          last.tool_calls = [...(last.tool_calls ?? []), call];
        } else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        return;
      }
      case 'function_call_output':
        if (typeof item.call_id !== 'string' || item.call_id === '')
          invalid(`${at}.call_id`, 'is required');
        messages.push({
          role: 'tool',
          tool_call_id: item.call_id,
          content: textOf(item.output, `${at}.output`),
        });
        return;
      case 'reasoning':
        return;
      case 'item_reference':
        if (typeof item.id !== 'string' || item.id === '') invalid(`${at}.id`, 'is required');
        if (references === 'skip') return;
        return unsupported(`${at}.type`, 'Item references must be resolved before translation');
      default:
        if (typeof type !== 'string') invalid(`${at}.type`, 'must be a string');
        unsupported(
          `${at}.type`,
          `Input item type '${type}' is not supported: the gateway carries messages, function_call and function_call_output items`,
        );
    }
  });
  return messages;
}

function messageOf(item: ResponseInputItem, at: string): ChatCompletionMessageParam {
  const role = item.role;
  if (typeof role !== 'string' || !MESSAGE_ROLES.has(role)) {
    invalid(`${at}.role`, `must be one of ${[...MESSAGE_ROLES].join(', ')}`);
  }
  const content = item.content;
  if (typeof content !== 'string' && !Array.isArray(content)) {
    invalid(`${at}.content`, 'must be a string or an array of content parts');
  }
  if (role === 'user') {
    return { role, content: typeof content === 'string' ? content : partsOf(content, at) };
  }
  // System, developer and assistant turns are text: their parts are joined.
  const text = textOf(content, `${at}.content`);
  if (role === 'assistant') return { role, content: text };
  return { role: role === 'developer' ? 'developer' : 'system', content: text };
}

function partsOf(parts: unknown[], at: string): ChatPart[] {
  return parts.map((part: unknown, j): ChatPart => {
    const path = `${at}.content[${j}]`;
    if (!isObject(part) || typeof part.type !== 'string') {
      invalid(path, "must be an object with a string 'type'");
    }
    switch (part.type) {
      case 'input_text':
      case 'output_text':
        if (typeof part.text !== 'string') invalid(`${path}.text`, 'must be a string');
        return { type: 'text', text: part.text };
      case 'input_image': {
        if (typeof part.image_url !== 'string' || part.image_url === '') {
          unsupported(
            `${path}.image_url`,
            'Images are carried as image_url (an https or data URL); file_id images are not supported',
          );
        }
        const detail = part.detail;
        if (
          detail !== undefined &&
          detail !== null &&
          !['auto', 'low', 'high'].includes(detail as string)
        )
          invalid(`${path}.detail`, "must be 'auto', 'low' or 'high'");
        return {
          type: 'image_url',
          image_url: {
            url: part.image_url,
            ...(typeof detail === 'string' ? { detail: detail as 'auto' | 'low' | 'high' } : {}),
          },
        };
      }
      default:
        unsupported(
          `${path}.type`,
          `Content part type '${part.type}' is not supported: the gateway carries input_text and input_image`,
        );
    }
  });
}

/** Text of a string or of text parts (`input_text`, `output_text`); anything else is refused. */
function textOf(content: unknown, at: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) invalid(at, 'must be a string or an array of text parts');
  return content
    .map((part: unknown, j) => {
      if (!isObject(part)) invalid(`${at}[${j}]`, 'must be an object');
      if (
        (part.type === 'input_text' || part.type === 'output_text') &&
        typeof part.text === 'string'
      )
        return part.text;
      if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
      return unsupported(
        `${at}[${j}].type`,
        `Content part type '${String(part.type)}' is not supported here: only text parts are carried`,
      );
    })
    .join('');
}

function functionCallOf(
  item: ResponseInputItem,
  at: string,
): { id: string; type: 'function'; function: { name: string; arguments: string } } {
  if (typeof item.call_id !== 'string' || item.call_id === '')
    invalid(`${at}.call_id`, 'is required');
  if (typeof item.name !== 'string' || item.name === '') invalid(`${at}.name`, 'is required');
  if (typeof item.arguments !== 'string') invalid(`${at}.arguments`, 'must be a string of JSON');
  return {
    id: item.call_id,
    type: 'function',
    function: { name: item.name, arguments: item.arguments },
  };
}
