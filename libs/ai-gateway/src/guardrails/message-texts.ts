import type { ChatRequest } from '../types/unified';

type Message = ChatRequest['messages'][number];

/** Where a text of a request sits: who wrote it. */
export type TextRole = 'system' | 'user' | 'assistant' | 'tool';

/**
 * The request's messages with every text passed through `map`: string contents, text parts
 * (and refusal parts), and the arguments of earlier tool calls. A message (or part, or tool
 * call) is copied only when one of its texts changed: the caller's objects are never
 * modified, and an unchanged request keeps its array.
 */
export function mapMessageTexts(
  messages: ChatRequest['messages'],
  map: (text: string, role: TextRole) => string,
  /** Called with the type of each part that holds no text it can read (`file`, `input_audio`). */
  unread?: (type: string) => void,
): ChatRequest['messages'] {
  let out: Message[] | undefined;
  messages.forEach((message, index) => {
    const next = mapMessage(message, map, unread);
    if (next !== message) {
      out ??= messages.slice();
      out[index] = next;
    }
  });
  return out ?? messages;
}

/** Calls `visit` with every text of the request's messages and its role. */
export function forEachMessageText(
  messages: ChatRequest['messages'],
  visit: (text: string, role: TextRole) => void,
): void {
  for (const message of messages) {
    mapMessage(message, (text, role) => {
      visit(text, role);
      return text;
    });
  }
}

function roleOf(message: Message): TextRole {
  switch (message.role) {
    case 'user':
      return 'user';
    case 'assistant':
      return 'assistant';
    case 'tool':
    case 'function':
      return 'tool';
    default:
      return 'system';
  }
}

function mapMessage(
  message: Message,
  map: (text: string, role: TextRole) => string,
  unread?: (type: string) => void,
): Message {
  const role = roleOf(message);
  let copy: Record<string, unknown> | undefined;
  const content = (message as { content?: unknown }).content;
  if (typeof content === 'string') {
    const text = map(content, role);
    if (text !== content) copy = { ...message, content: text };
  } else if (Array.isArray(content)) {
    const parts = mapParts(content, role, map, unread);
    if (parts !== content) copy = { ...message, content: parts };
  }
  const calls = (message as { tool_calls?: unknown }).tool_calls;
  if (Array.isArray(calls)) {
    const mapped = mapToolCalls(calls, map);
    if (mapped !== calls) copy = { ...(copy ?? message), tool_calls: mapped };
  }
  const legacy = (message as { function_call?: { arguments?: unknown } }).function_call;
  if (legacy && typeof legacy.arguments === 'string') {
    const args = map(legacy.arguments, 'assistant');
    if (args !== legacy.arguments) {
      copy = { ...(copy ?? message), function_call: { ...legacy, arguments: args } };
    }
  }
  return (copy as Message | undefined) ?? message;
}

function mapParts(
  parts: readonly unknown[],
  role: TextRole,
  map: (text: string, role: TextRole) => string,
  unread?: (type: string) => void,
): unknown[] {
  let out: unknown[] | undefined;
  parts.forEach((part, index) => {
    const p = part as { type?: unknown; text?: unknown; refusal?: unknown } | null;
    if (p?.type === 'text' && typeof p.text === 'string') {
      const text = map(p.text, role);
      if (text !== p.text) (out ??= parts.slice())[index] = { ...p, text };
    } else if (p?.type === 'refusal' && typeof p.refusal === 'string') {
      const refusal = map(p.refusal, role);
      if (refusal !== p.refusal) (out ??= parts.slice())[index] = { ...p, refusal };
    } else if (p?.type !== 'image_url') {
      // An image is pixels (its URL is the caller's to give); a file or audio part holds
      // text this cannot read.
      unread?.(typeof p?.type === 'string' ? p.type : 'unknown');
    }
  });
  return out ?? (parts as unknown[]);
}

function mapToolCalls(
  calls: readonly unknown[],
  map: (text: string, role: TextRole) => string,
): unknown[] {
  let out: unknown[] | undefined;
  calls.forEach((call, index) => {
    // A custom tool's call carries free text as `input`.
    const custom = (call as { custom?: { input?: unknown } } | null)?.custom;
    if (custom && typeof custom.input === 'string') {
      const input = map(custom.input, 'assistant');
      if (input !== custom.input) {
        (out ??= calls.slice())[index] = { ...(call as object), custom: { ...custom, input } };
      }
      return;
    }
    const fn = (call as { function?: { arguments?: unknown } } | null)?.function;
    if (!fn || typeof fn.arguments !== 'string') return;
    const args = map(fn.arguments, 'assistant');
    if (args !== fn.arguments) {
      (out ??= calls.slice())[index] = {
        ...(call as object),
        function: { ...fn, arguments: args },
      };
    }
  });
  return out ?? (calls as unknown[]);
}
