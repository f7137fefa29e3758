import type {
  FunctionDeclaration,
  FunctionDeclarationSchema,
  GenerateContentRequest,
  GenerationConfig,
  ResponseSchema,
  ToolConfig,
} from '@google/generative-ai';
import { FunctionCallingMode } from '@google/generative-ai';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatRequest, EmbeddingRequest } from '../../types/unified';
import { toGeminiConversation } from './gemini-messages.mapper';
import { toGeminiSchema } from './gemini-schema.mapper';

/** `generationConfig` with the fields the API takes but the SDK's types lack. */
export type GeminiGenerationConfig = GenerationConfig & { seed?: number };

/** What `GenerativeModel.generateContent` receives for one chat request. */
export type GeminiChatRequest = GenerateContentRequest & {
  generationConfig?: GeminiGenerationConfig;
};

/** Request fields this adapter translates (a value it cannot carry still throws). */
export const MAPPED_CHAT_FIELDS: readonly string[] = [
  'model',
  'messages',
  'stream',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'n',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'response_format',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'logprobs',
  'top_logprobs',
  'modalities',
];

/**
 * Fields that cannot change Gemini's answer, ignored on purpose: end-user ids, OpenAI's
 * storage, caching and tier hints, and `stream_options` (a usage chunk always ends the
 * stream; the gateway decides whether the client sees it).
 */
export const IGNORED_CHAT_FIELDS: readonly string[] = [
  'user',
  'store',
  'metadata',
  'stream_options',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_options',
  'prompt_cache_retention',
  'safety_identifier',
];

/** Embedding request fields translated; `user` is ignored like in chat. */
export const MAPPED_EMBEDDING_FIELDS: readonly string[] = [
  'model',
  'input',
  'dimensions',
  'encoding_format',
];

/** Gemini's embedding calls for one OpenAI embeddings request. */
export interface GeminiEmbeddingPlan {
  texts: string[];
  /** `input` was a single string: one `embedContent` call instead of a batch. */
  single: boolean;
  outputDimensionality?: number;
  encoding: 'float' | 'base64';
}

/**
 * Translates an OpenAI chat request to Gemini's `GenerateContentRequest`. Throws
 * `unsupported_feature` (with `param`) for any field or value Gemini cannot carry.
 */
export function toGeminiChatRequest(request: ChatRequest, provider: string): GeminiChatRequest {
  rejectUnknown(request, MAPPED_CHAT_FIELDS, IGNORED_CHAT_FIELDS, provider);
  rejectValues(request, provider);
  const { systemInstruction, contents } = toGeminiConversation(request.messages, provider);
  const generationConfig = toGenerationConfig(request, provider);
  const declarations = toFunctionDeclarations(request, provider);
  const choice = toToolConfig(request, declarations, provider);
  return {
    contents,
    ...(systemInstruction ? { systemInstruction } : {}),
    ...(Object.keys(generationConfig).length > 0 ? { generationConfig } : {}),
    ...(choice.declarations.length > 0
      ? { tools: [{ functionDeclarations: choice.declarations }] }
      : {}),
    ...(choice.toolConfig ? { toolConfig: choice.toolConfig } : {}),
  };
}

/** Translates an OpenAI embeddings request; token-id inputs cannot be carried. */
export function toGeminiEmbeddingPlan(
  request: EmbeddingRequest,
  provider: string,
): GeminiEmbeddingPlan {
  rejectUnknown(request, MAPPED_EMBEDDING_FIELDS, ['user'], provider);
  const { input } = request;
  const single = typeof input === 'string';
  const texts = single ? [input] : Array.isArray(input) ? input : [];
  if (!texts.every((t): t is string => typeof t === 'string')) {
    throw GatewayError.unsupported(provider, 'Gemini embeds text only, not token ids', 'input');
  }
  const encoding = request.encoding_format ?? 'float';
  if (encoding !== 'float' && encoding !== 'base64') {
    throw GatewayError.unsupported(
      provider,
      'encoding_format must be float or base64',
      'encoding_format',
    );
  }
  return {
    texts,
    single,
    ...(given(request.dimensions) ? { outputDimensionality: request.dimensions } : {}),
    encoding,
  };
}

/** OpenAI treats `null` like an absent field. */
function given<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

function rejectUnknown(
  request: Record<string, unknown>,
  mapped: readonly string[],
  ignored: readonly string[],
  provider: string,
): void {
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || value === null || mapped.includes(field) || ignored.includes(field))
      continue;
    throw GatewayError.unsupported(provider, `Gemini cannot carry "${field}"`, field);
  }
}

/** Mapped fields whose values have no Gemini equivalent. */
function rejectValues(request: ChatRequest, provider: string): void {
  if (request.logprobs === true)
    throw GatewayError.unsupported(provider, 'logprobs are not supported', 'logprobs');
  if (given(request.top_logprobs))
    throw GatewayError.unsupported(provider, 'logprobs are not supported', 'top_logprobs');
  if (request.modalities?.some((m) => m !== 'text')) {
    throw GatewayError.unsupported(provider, 'Gemini chat answers with text only', 'modalities');
  }
  // Gemini may always answer with several calls at once; it cannot be told not to.
  if (request.parallel_tool_calls === false) {
    throw GatewayError.unsupported(
      provider,
      'Gemini cannot disable parallel tool calls',
      'parallel_tool_calls',
    );
  }
}

function toGenerationConfig(request: ChatRequest, provider: string): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (given(request.temperature)) config.temperature = request.temperature;
  if (given(request.top_p)) config.topP = request.top_p;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (given(maxTokens)) config.maxOutputTokens = maxTokens;
  if (given(request.stop))
    config.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (given(request.n) && request.n !== 1) config.candidateCount = request.n;
  if (given(request.seed)) config.seed = request.seed;
  if (given(request.presence_penalty)) config.presencePenalty = request.presence_penalty;
  if (given(request.frequency_penalty)) config.frequencyPenalty = request.frequency_penalty;
  const format = request.response_format;
  switch (format?.type) {
    case undefined:
    case 'text':
      break;
    case 'json_object':
      config.responseMimeType = 'application/json';
      break;
    case 'json_schema':
      // `strict` needs no flag: Gemini always constrains output to a responseSchema.
      config.responseMimeType = 'application/json';
      if (format.json_schema.schema !== undefined) {
        const schema = toGeminiSchema(
          format.json_schema.schema,
          provider,
          'response_format.json_schema.schema',
        );
        config.responseSchema = schema as unknown as ResponseSchema;
      }
      break;
  }
  return config;
}

function toFunctionDeclarations(request: ChatRequest, provider: string): FunctionDeclaration[] {
  return (request.tools ?? []).map((tool, i) => {
    if (tool.type !== 'function')
      throw GatewayError.unsupported(provider, 'Gemini has no custom tools', `tools[${i}]`);
    const { name, description, parameters } = tool.function;
    const declaration: FunctionDeclaration = { name, ...(description ? { description } : {}) };
    // Gemini rejects an object schema without properties: a function without arguments
    // is declared without parameters.
    const props = (parameters as { properties?: Record<string, unknown> } | undefined)?.properties;
    if (parameters !== undefined && props !== undefined && Object.keys(props).length > 0) {
      const schema = toGeminiSchema(parameters, provider, `tools[${i}].function.parameters`);
      declaration.parameters = schema as unknown as FunctionDeclarationSchema;
    }
    return declaration;
  });
}

function toToolConfig(
  request: ChatRequest,
  declarations: FunctionDeclaration[],
  provider: string,
): { declarations: FunctionDeclaration[]; toolConfig?: ToolConfig } {
  const choice = request.tool_choice;
  const config = (mode: FunctionCallingMode, allowedFunctionNames?: string[]): ToolConfig => ({
    functionCallingConfig: { mode, ...(allowedFunctionNames ? { allowedFunctionNames } : {}) },
  });
  if (choice === undefined || declarations.length === 0) return { declarations };
  if (choice === 'auto') return { declarations, toolConfig: config(FunctionCallingMode.AUTO) };
  if (choice === 'none') return { declarations, toolConfig: config(FunctionCallingMode.NONE) };
  if (choice === 'required') return { declarations, toolConfig: config(FunctionCallingMode.ANY) };
  if (choice.type === 'function') {
    return { declarations, toolConfig: config(FunctionCallingMode.ANY, [choice.function.name]) };
  }
  if (choice.type === 'allowed_tools') {
    const names = choice.allowed_tools.tools.map(
      (t) => (t as { function?: { name?: string } }).function?.name,
    );
    if (!names.every((n): n is string => typeof n === 'string')) {
      throw GatewayError.unsupported(
        provider,
        'Only function tools can be allowed',
        'tool_choice.allowed_tools',
      );
    }
    // Gemini restricts names only in ANY mode; in AUTO mode the other tools are left out.
    if (choice.allowed_tools.mode === 'required') {
      return { declarations, toolConfig: config(FunctionCallingMode.ANY, names) };
    }
    return {
      declarations: declarations.filter((d) => names.includes(d.name)),
      toolConfig: config(FunctionCallingMode.AUTO),
    };
  }
  throw GatewayError.unsupported(provider, 'Gemini has no custom tools', 'tool_choice');
}
