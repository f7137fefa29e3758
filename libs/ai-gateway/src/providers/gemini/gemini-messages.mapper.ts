import type { Content, Part } from '@google/generative-ai';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatCompletionMessageParam } from '../../types/unified';

/** Gemini's side of an OpenAI conversation. */
export interface GeminiConversation {
  systemInstruction?: Content;
  contents: Content[];
}

type UserPart = Exclude<
  Extract<ChatCompletionMessageParam, { role: 'user' }>['content'],
  string
>[number];

/** Audio formats OpenAI's `input_audio` names, as the MIME types Gemini wants. */
const AUDIO_MIME: Readonly<Record<string, string>> = { wav: 'audio/wav', mp3: 'audio/mp3' };

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w-]+=[^;,]*)*;base64,(.*)$/s;

/**
 * Maps OpenAI messages to Gemini turns: system and developer prompts become the
 * `systemInstruction` (wherever they stood), assistant turns `model` turns, assistant
 * `tool_calls` `functionCall` parts, tool results `functionResponse` parts named after
 * the call they answer (Gemini has no call ids: the name is looked up in the nearest
 * earlier assistant turn). Consecutive turns of one role are merged, since Gemini wants
 * roles to alternate and parallel calls answered in one turn.
 */
export function toGeminiConversation(
  messages: ChatCompletionMessageParam[],
  provider: string,
): GeminiConversation {
  const system: Part[] = [];
  const contents: Content[] = [];
  const callNames = new Map<string, string>();
  const push = (role: 'user' | 'model', parts: Part[]): void => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    if (message.role === 'function') {
      throw GatewayError.unsupported(
        provider,
        'Legacy function messages are not supported; use tool messages',
        `${at}.role`,
      );
    }
    rejectExtras(message as unknown as Record<string, unknown>, provider, at);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textParts(message.content, provider, `${at}.content`));
        break;
      case 'user':
        push('user', userParts(message.content, provider, `${at}.content`));
        break;
      case 'assistant': {
        const parts: Part[] =
          message.content === undefined || message.content === null
            ? []
            : textParts(message.content, provider, `${at}.content`);
        if (message.refusal) parts.push({ text: message.refusal });
        (message.tool_calls ?? []).forEach((call, j) => {
          if (call.type !== 'function') {
            throw GatewayError.unsupported(
              provider,
              'Gemini has no custom tools',
              `${at}.tool_calls[${j}]`,
            );
          }
          callNames.set(call.id, call.function.name);
          const args = parseArgs(
            call.function.arguments,
            provider,
            `${at}.tool_calls[${j}].function.arguments`,
          );
          parts.push({ functionCall: { name: call.function.name, args } });
        });
        push('model', parts);
        break;
      }
      case 'tool': {
        const name = callNames.get(message.tool_call_id);
        if (name === undefined) {
          throw GatewayError.unsupported(
            provider,
            'A tool result must answer a tool call of an earlier assistant message (Gemini needs its function name)',
            `${at}.tool_call_id`,
          );
        }
        const text = textParts(message.content, provider, `${at}.content`)
          .map((p) => p.text)
          .join('');
        push('user', [{ functionResponse: { name, response: toolResponse(text) } }]);
        break;
      }
    }
  });
  return {
    ...(system.length > 0 ? { systemInstruction: { role: 'system', parts: system } } : {}),
    contents,
  };
}

/** Message fields beyond role/content/tool links that Gemini cannot carry. */
function rejectExtras(message: Record<string, unknown>, provider: string, at: string): void {
  for (const field of ['name', 'audio', 'function_call']) {
    if (message[field] !== undefined && message[field] !== null) {
      throw GatewayError.unsupported(
        provider,
        `Gemini cannot carry a message's "${field}"`,
        `${at}.${field}`,
      );
    }
  }
}

function textParts(content: unknown, provider: string, at: string): Array<{ text: string }> {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (!Array.isArray(content))
    throw GatewayError.unsupported(provider, 'Unsupported message content', at);
  return content.map((part: { type?: string; text?: string; refusal?: string }, j) => {
    if (part.type === 'text' && typeof part.text === 'string') return { text: part.text };
    if (part.type === 'refusal' && typeof part.refusal === 'string') return { text: part.refusal };
    throw GatewayError.unsupported(
      provider,
      `Gemini cannot carry a "${part.type}" part here`,
      `${at}[${j}]`,
    );
  });
}

function userParts(content: string | UserPart[], provider: string, at: string): Part[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.map((part, j): Part => {
    const here = `${at}[${j}]`;
    switch (part.type) {
      case 'text':
        return { text: part.text };
      case 'image_url':
        return inlineData(part.image_url.url, provider, `${here}.image_url.url`);
      case 'input_audio': {
        const mimeType = Object.hasOwn(AUDIO_MIME, part.input_audio.format)
          ? AUDIO_MIME[part.input_audio.format]
          : undefined;
        if (!mimeType)
          throw GatewayError.unsupported(
            provider,
            'Unsupported audio format',
            `${here}.input_audio.format`,
          );
        return { inlineData: { mimeType, data: part.input_audio.data } };
      }
      case 'file':
        if (part.file.file_data === undefined) {
          throw GatewayError.unsupported(
            provider,
            'Gemini needs file contents inline (file_data), not a file_id',
            `${here}.file`,
          );
        }
        return inlineData(part.file.file_data, provider, `${here}.file.file_data`);
      default:
        throw GatewayError.unsupported(provider, 'Unsupported content part', here);
    }
  });
}

/** Only base64 data URLs travel inline; Gemini cannot fetch arbitrary http(s) URLs. */
function inlineData(url: string, provider: string, at: string): Part {
  const match = DATA_URL.exec(url);
  if (!match)
    throw GatewayError.unsupported(provider, 'Gemini accepts media only as base64 data URLs', at);
  return { inlineData: { mimeType: match[1], data: match[2] } };
}

function parseArgs(raw: string, provider: string, at: string): object {
  if (raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // Falls through to the error below: Gemini needs the arguments as an object.
  }
  throw GatewayError.unsupported(provider, 'Gemini needs tool call arguments as a JSON object', at);
}

/** Gemini wants a JSON object back: objects pass as they are, anything else is wrapped. */
function toolResponse(text: string): object {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
    return { content: parsed };
  } catch {
    return { content: text };
  }
}
