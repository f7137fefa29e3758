import type { ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatRequest, ChatResponse } from '../../types/unified';
import { toOllamaMessages } from './ollama-messages.mapper';
import type {
  OllamaChatRequest,
  OllamaChatResponse,
  OllamaOptions,
  OllamaTool,
  OllamaToolCall,
} from './ollama.types';
import { assistantChoice } from '../shared/assistant-choice';

type FinishReason = ChatResponse['choices'][number]['finish_reason'];

/** OpenAI fields copied one-to-one into Ollama's `options`. */
const OPTION_FIELDS = {
  temperature: 'temperature',
  top_p: 'top_p',
  seed: 'seed',
  frequency_penalty: 'frequency_penalty',
  presence_penalty: 'presence_penalty',
} as const satisfies Record<string, keyof OllamaOptions>;

/** Chat fields this adapter maps (beside OPTION_FIELDS). */
const MAPPED_CHAT_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stop',
  'max_tokens',
  'max_completion_tokens',
  'response_format',
  'tools',
  'tool_choice',
  // Ollama-native extras a caller may pass through.
  'keep_alive',
  'options',
]);

/**
 * Fields that never change Ollama's answer, safe to ignore: accounting and tracing hints
 * meant for OpenAI, and `stream_options` (the adapter always reports usage).
 */
const IGNORED_CHAT_FIELDS = new Set([
  'user',
  'store',
  'metadata',
  'safety_identifier',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'stream_options',
]);

/** Fields accepted only at the value that asks for nothing Ollama lacks. */
const NEUTRAL_VALUES: Readonly<Partial<Record<string, (value: unknown) => boolean>>> = {
  n: (value) => value === 1,
  logprobs: (value) => value === false,
  top_logprobs: (value) => value === 0,
  // Ollama may return several calls and cannot be told not to.
  parallel_tool_calls: (value) => value === true,
  modalities: (value) => Array.isArray(value) && value.every((m) => m === 'text'),
  logit_bias: (value) => typeof value === 'object' && Object.keys(value as object).length === 0,
};

/** Ollama `done_reason` → OpenAI finish reason; tool calls override `stop`. */
const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
};

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function rejectUnknownFields(request: ChatRequest, provider: string): void {
  for (const [field, value] of Object.entries(request)) {
    if (!present(value) || MAPPED_CHAT_FIELDS.has(field) || IGNORED_CHAT_FIELDS.has(field))
      continue;
    if (Object.hasOwn(OPTION_FIELDS, field)) continue;
    const neutral = Object.hasOwn(NEUTRAL_VALUES, field) ? NEUTRAL_VALUES[field] : undefined;
    if (neutral?.(value)) continue;
    throw GatewayError.unsupported(
      provider,
      neutral ? `Ollama cannot honour this value of '${field}'` : `Ollama cannot carry '${field}'`,
      field,
    );
  }
}

function toOptions(request: ChatRequest): OllamaOptions | undefined {
  const native = request['options'];
  const options: OllamaOptions =
    native !== null && typeof native === 'object' ? { ...(native as OllamaOptions) } : {};
  for (const [from, to] of Object.entries(OPTION_FIELDS)) {
    const value = request[from];
    if (present(value)) (options as Record<string, unknown>)[to] = value;
  }
  if (present(request.stop))
    options.stop = typeof request.stop === 'string' ? [request.stop] : request.stop!;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (present(maxTokens)) options.num_predict = maxTokens!;
  return Object.keys(options).length > 0 ? options : undefined;
}

function toFormat(request: ChatRequest, provider: string): OllamaChatRequest['format'] {
  const format = request.response_format;
  if (!format) return undefined;
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return 'json';
    case 'json_schema':
      return format.json_schema.schema ?? 'json';
    default:
      throw GatewayError.unsupported(
        provider,
        `Ollama has no '${(format as { type: string }).type}' response format`,
        'response_format',
      );
  }
}

/** Tools, unless `tool_choice` is `none`; Ollama cannot force a call, so only `auto` fits. */
function toTools(request: ChatRequest, provider: string): OllamaTool[] | undefined {
  const choice = request.tool_choice;
  if (choice === 'none') return undefined;
  if (present(choice) && choice !== 'auto') {
    throw GatewayError.unsupported(provider, 'Ollama cannot force a tool call', 'tool_choice');
  }
  if (!request.tools || request.tools.length === 0) return undefined;
  return request.tools.map((tool, index) => {
    if (tool.type !== 'function') {
      throw GatewayError.unsupported(
        provider,
        `Ollama has no '${tool.type}' tools`,
        `tools[${index}].type`,
      );
    }
    // `strict` is dropped on purpose: agent SDKs send it by default, and Ollama's tool
    // parser already returns arguments as an object of the declared shape.
    const { name, description, parameters } = tool.function;
    return {
      type: 'function',
      function: {
        name,
        ...(description !== undefined ? { description } : {}),
        ...(parameters !== undefined ? { parameters } : {}),
      },
    };
  });
}

/**
 * An OpenAI chat request → an Ollama `/api/chat` body. Throws `unsupported_feature` for
 * any field or value Ollama cannot carry, and `bad_request` for tool-call history whose
 * arguments are not a JSON object.
 */
export function toOllamaChatRequest(
  request: ChatRequest,
  provider: string,
  stream: boolean,
): OllamaChatRequest {
  rejectUnknownFields(request, provider);
  const body: OllamaChatRequest = {
    model: request.model,
    messages: toOllamaMessages(request.messages, provider),
    stream,
  };
  const tools = toTools(request, provider);
  if (tools) body.tools = tools;
  const format = toFormat(request, provider);
  if (format !== undefined) body.format = format;
  const options = toOptions(request);
  if (options) body.options = options;
  const keepAlive = request['keep_alive'];
  if (typeof keepAlive === 'string' || typeof keepAlive === 'number') body.keep_alive = keepAlive;
  return body;
}

/** Ollama tool calls → OpenAI's, with ids `call_<n>` when Ollama sends none. */
export function fromOllamaToolCalls(
  calls: readonly OllamaToolCall[],
  firstIndex = 0,
): ChatCompletionMessageFunctionToolCall[] {
  return calls.map((call, offset) => ({
    id: call.id ?? `call_${firstIndex + offset}`,
    type: 'function',
    function: {
      name: call.function.name,
      arguments: JSON.stringify(call.function.arguments ?? {}),
    },
  }));
}

export function toFinishReason(
  doneReason: string | undefined,
  sawToolCalls: boolean,
): FinishReason {
  const reason = FINISH_REASONS[doneReason ?? 'stop'] ?? 'stop';
  return reason === 'stop' && sawToolCalls ? 'tool_calls' : reason;
}

/** Ollama leaves counts out (omitempty) when they are zero. */
export function toUsage(
  response: Pick<OllamaChatResponse, 'prompt_eval_count' | 'eval_count'>,
): ChatResponse['usage'] {
  const prompt = response.prompt_eval_count ?? 0;
  const completion = response.eval_count ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

/** Seconds since the epoch of Ollama's `created_at`, or now when it is unreadable. */
export function toCreated(createdAt: string | undefined): number {
  const ms = createdAt ? Date.parse(createdAt) : Number.NaN;
  return Math.floor((Number.isNaN(ms) ? Date.now() : ms) / 1000);
}

/** A complete Ollama answer → an OpenAI `chat.completion`. */
export function fromOllamaChatResponse(response: OllamaChatResponse, id: string): ChatResponse {
  const toolCalls = fromOllamaToolCalls(response.message?.tool_calls ?? []);
  const text = response.message?.content ?? '';
  return {
    id,
    object: 'chat.completion',
    created: toCreated(response.created_at),
    model: response.model,
    choices: [
      assistantChoice(
        0,
        text,
        toolCalls,
        toFinishReason(response.done_reason, toolCalls.length > 0),
      ),
    ],
    usage: toUsage(response),
  };
}
