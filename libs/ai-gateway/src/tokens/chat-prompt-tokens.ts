import type { ChatCompletionMessageParam, ChatRequest } from '../types/unified';

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
 * Prompt tokens of a chat request as the provider will bill them, per OpenAI's recipe
 * above: messages, tool definitions and a JSON-schema response format.
 */
export function countChatPrompt(request: ChatRequest, count: CountText, toolInit: number): number {
  let tokens = REPLY_PRIMING;
  for (const message of request.messages) tokens += countMessage(message, count);
  tokens += countTools(request, count, toolInit);
  const format = request.response_format;
  if (format?.type === 'json_schema') {
    tokens += count(format.json_schema.name) + countJson(format.json_schema.schema, count);
  }
  return tokens;
}

function countMessage(message: ChatCompletionMessageParam, count: CountText): number {
  let tokens = PER_MESSAGE + count(message.role) + countContent(message.content, count);
  if ('name' in message && typeof message.name === 'string') {
    tokens += PER_NAME + count(message.name);
  }
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) {
      tokens +=
        PER_TOOL_CALL +
        (call.type === 'function'
          ? count(call.function.name) + count(call.function.arguments)
          : count(call.custom.name) + count(call.custom.input));
    }
    if (message.function_call) {
      tokens +=
        PER_TOOL_CALL + count(message.function_call.name) + count(message.function_call.arguments);
    }
    if (typeof message.refusal === 'string') tokens += count(message.refusal);
  }
  return tokens;
}

function countContent(content: unknown, count: CountText): number {
  if (typeof content === 'string') return count(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const part of content as unknown[]) {
    if (!isRecord(part)) continue;
    switch (part.type) {
      case 'text':
        tokens += typeof part.text === 'string' ? count(part.text) : 0;
        break;
      case 'refusal':
        tokens += typeof part.refusal === 'string' ? count(part.refusal) : 0;
        break;
      case 'image_url':
        tokens +=
          isRecord(part.image_url) && part.image_url.detail === 'low'
            ? IMAGE_LOW_DETAIL
            : IMAGE_DEFAULT;
        break;
      default:
        tokens += OTHER_MEDIA;
    }
  }
  return tokens;
}

interface ToolShape {
  name: string;
  description?: string;
  parameters?: unknown;
  /** Custom tools: their input grammar, counted as JSON. */
  extra?: unknown;
}

function countTools(request: ChatRequest, count: CountText, toolInit: number): number {
  const tools: ToolShape[] = [];
  for (const tool of request.tools ?? []) {
    if (tool.type === 'function') tools.push(tool.function);
    else tools.push({ ...tool.custom, extra: tool.custom.format });
  }
  for (const fn of request.functions ?? []) tools.push(fn);
  if (tools.length === 0) return 0;

  let tokens = TOOLS_END;
  for (const tool of tools) {
    tokens += toolInit + count(`${tool.name}:${withoutFinalDot(tool.description)}`);
    if (tool.extra !== undefined) tokens += countJson(tool.extra, count);
    const properties = isRecord(tool.parameters) ? tool.parameters.properties : undefined;
    if (!isRecord(properties)) continue;
    const keys = Object.keys(properties);
    if (keys.length > 0) tokens += PROPERTIES_INIT;
    for (const key of keys) tokens += countProperty(key, properties[key], count);
  }
  return tokens;
}

function countProperty(key: string, schema: unknown, count: CountText): number {
  const property = isRecord(schema) ? schema : {};
  let tokens = PER_PROPERTY;
  if (Array.isArray(property.enum)) {
    tokens += ENUM_INIT;
    for (const item of property.enum as unknown[]) {
      tokens += PER_ENUM_ITEM + count(typeof item === 'string' ? item : JSON.stringify(item));
    }
  }
  const type = Array.isArray(property.type) ? property.type.join(',') : String(property.type);
  tokens += count(`${key}:${type}:${withoutFinalDot(property.description)}`);
  if (property.properties !== undefined || property.items !== undefined) {
    tokens += countJson({ properties: property.properties, items: property.items }, count);
  }
  return tokens;
}

function countJson(value: unknown, count: CountText): number {
  if (value === undefined || value === null) return 0;
  return count(JSON.stringify(value));
}

function withoutFinalDot(text: unknown): string {
  if (typeof text !== 'string') return '';
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
