import type { ChatRequest } from '../types/unified';
import { jsonText } from './json-text';

/** Counts the tokens of a piece of text (tiktoken, or the cheap estimate). */
export type CountText = (text: string) => number;

/*
 * OpenAI's published recipe (openai-cookbook, "How to count tokens with tiktoken", for
 * every chat model since gpt-3.5-turbo-0613): each message costs 3 framing tokens
 * (<|start|>{role}<|message|>…<|end|>) plus its role and content, a `name` 1 more plus the
 * name, and every reply is primed with 3 (<|start|>assistant<|message|>):
 *
 *   prompt = 3 + Σ messages (3 + tokens(role) + tokens(content) + [name: 1 + tokens(name)])
 *
 * Tool definitions follow the same cookbook's `num_tokens_for_tools` (OpenAI renders them
 * into a hidden system message; the constants were fitted to the API's counts):
 *
 *   tools = 12 + Σ tools (init + tokens("name:description")
 *           + [properties: 3 + Σ props (3 + tokens("key:type:description") + enum)])
 *   enum  = −3 + Σ items (3 + tokens(item)),   init = 7 (o200k) or 10 (cl100k)
 *
 * Beyond the recipe, and estimates: assistant tool calls cost 3 + name + arguments each;
 * nested parameter schemas and `response_format` JSON schemas count as their JSON text;
 * an image is a flat 85 tokens at `detail: low` and 765 otherwise (a 1024×1024 image at
 * high detail: 85 + 4 tiles × 170 — the image is not decoded to measure it); audio and
 * file parts are a flat 765 too.
 */
const PER_MESSAGE = 3;
const PER_NAME = 1;
const REPLY_PRIMING = 3;
const PER_TOOL_CALL = 3;
const TOOLS_END = 12;
const PROPERTIES_INIT = 3;
const PER_PROPERTY = 3;
const ENUM_INIT = -3;
const PER_ENUM_ITEM = 3;
const IMAGE_LOW_DETAIL = 85;
const IMAGE_DEFAULT = 765;
const OTHER_MEDIA = 765;

/** Tokens a tool definition starts with, by encoding family (cookbook constants). */
export const TOOL_INIT_O200K = 7;
export const TOOL_INIT_CL100K = 10;

/**
 * What a chat prompt costs before its texts are tokenised: the formula's fixed tokens and
 * the texts to count. Counting them is the caller's (at once, in slices, or estimated).
 */
export interface PromptParts {
  fixed: number;
  texts: string[];
}

/**
 * Prompt tokens of a chat request as the provider will bill them, per OpenAI's recipe
 * above: messages, tool definitions and a JSON-schema response format.
 */
export function countChatPrompt(request: ChatRequest, count: CountText, toolInit: number): number {
  const parts = chatPromptParts(request, toolInit);
  let tokens = parts.fixed;
  for (const text of parts.texts) tokens += count(text);
  return tokens;
}

/**
 * The parts of {@link countChatPrompt}. It reads the body as it came: a shape the
 * validator let through but the formula does not expect (a tool call that is not an
 * object, tools that are not a list, 10,000 levels of schema) counts as nothing or as its
 * JSON text; it never throws.
 */
export function chatPromptParts(request: ChatRequest, toolInit: number): PromptParts {
  const parts = new Parts();
  parts.fixed += REPLY_PRIMING;
  for (const message of listOf(request.messages)) addMessage(message, parts);
  addTools(request, parts, toolInit);
  const format = recordOf(request.response_format);
  const schema = recordOf(format?.json_schema);
  if (format?.type === 'json_schema' && schema) {
    parts.text(schema.name);
    parts.json(schema.schema);
  }
  return parts;
}

class Parts implements PromptParts {
  fixed = 0;
  readonly texts: string[] = [];

  text(text: unknown): void {
    if (typeof text === 'string' && text.length > 0) this.texts.push(text);
  }

  json(value: unknown): void {
    if (value !== undefined && value !== null) this.text(jsonText(value));
  }
}

function addMessage(value: unknown, parts: Parts): void {
  const message = recordOf(value);
  if (!message) return;
  parts.fixed += PER_MESSAGE;
  parts.text(message.role);
  addContent(message.content, parts);
  if (typeof message.name === 'string') {
    parts.fixed += PER_NAME;
    parts.text(message.name);
  }
  if (message.role !== 'assistant') return;
  for (const call of listOf(message.tool_calls)) {
    const fields = recordOf(call);
    const named = recordOf(fields?.type === 'custom' ? fields.custom : fields?.function);
    parts.fixed += PER_TOOL_CALL;
    parts.text(named?.name);
    parts.text(fields?.type === 'custom' ? named?.input : named?.arguments);
  }
  const functionCall = recordOf(message.function_call);
  if (functionCall) {
    parts.fixed += PER_TOOL_CALL;
    parts.text(functionCall.name);
    parts.text(functionCall.arguments);
  }
  parts.text(message.refusal);
}

function addContent(content: unknown, parts: Parts): void {
  if (typeof content === 'string') return parts.text(content);
  for (const value of listOf(content)) {
    const part = recordOf(value);
    if (!part) continue;
    switch (part.type) {
      case 'text':
        parts.text(part.text);
        break;
      case 'refusal':
        parts.text(part.refusal);
        break;
      case 'image_url':
        parts.fixed +=
          recordOf(part.image_url)?.detail === 'low' ? IMAGE_LOW_DETAIL : IMAGE_DEFAULT;
        break;
      default:
        parts.fixed += OTHER_MEDIA;
    }
  }
}

interface ToolShape {
  name?: unknown;
  description?: unknown;
  parameters?: unknown;
  /** Custom tools: their input grammar, counted as JSON. */
  extra?: unknown;
}

function addTools(request: ChatRequest, parts: Parts, toolInit: number): void {
  const tools: ToolShape[] = [];
  for (const value of listOf(request.tools)) {
    const tool = recordOf(value);
    const custom = tool?.type === 'custom' ? recordOf(tool.custom) : undefined;
    if (custom) tools.push({ ...custom, extra: custom.format });
    else {
      const fn = recordOf(tool?.function);
      if (fn) tools.push(fn);
    }
  }
  for (const fn of listOf(request.functions)) {
    const record = recordOf(fn);
    if (record) tools.push(record);
  }
  if (tools.length === 0) return;

  parts.fixed += TOOLS_END;
  for (const tool of tools) {
    parts.fixed += toolInit;
    parts.text(`${stringOf(tool.name)}:${withoutFinalDot(tool.description)}`);
    if (tool.extra !== undefined) parts.json(tool.extra);
    const properties = recordOf(recordOf(tool.parameters)?.properties);
    if (!properties) continue;
    const keys = Object.keys(properties);
    if (keys.length > 0) parts.fixed += PROPERTIES_INIT;
    for (const key of keys) addProperty(key, properties[key], parts);
  }
}

function addProperty(key: string, schema: unknown, parts: Parts): void {
  const property = recordOf(schema) ?? {};
  parts.fixed += PER_PROPERTY;
  if (Array.isArray(property.enum)) {
    parts.fixed += ENUM_INIT;
    for (const item of property.enum as unknown[]) {
      parts.fixed += PER_ENUM_ITEM;
      parts.text(typeof item === 'string' ? item : jsonText(item));
    }
  }
  // A list of types joins its names (Array#join would recurse into nested lists).
  const type = Array.isArray(property.type)
    ? (property.type as unknown[]).map((t) => (typeof t === 'string' ? t : jsonText(t))).join(',')
    : typeof property.type === 'object' && property.type !== null
      ? jsonText(property.type)
      : String(property.type);
  parts.text(`${key}:${type}:${withoutFinalDot(property.description)}`);
  if (property.properties !== undefined || property.items !== undefined) {
    parts.json({ properties: property.properties, items: property.items });
  }
}

function withoutFinalDot(text: unknown): string {
  if (typeof text !== 'string') return '';
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
