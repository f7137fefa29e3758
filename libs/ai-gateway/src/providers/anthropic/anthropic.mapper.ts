import type {
  MessageCreateParamsBase,
  OutputConfig,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatRequest } from '../../types/unified';
import { toAnthropicConversation } from './anthropic-messages.mapper';

/** Anthropic requires `max_tokens`; OpenAI does not, so requests without one get this. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/**
 * `response_format: json_object` has no schema to hand to Anthropic's structured outputs
 * (which need one), so JSON mode is asked for in the system prompt instead. Best effort,
 * like OpenAI's own JSON mode; `json_schema` maps to the native, enforced `output_config`.
 */
export const JSON_OBJECT_INSTRUCTION =
  'Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences.';

/** Request fields translated below. */
const MAPPED_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
  'user',
  'safety_identifier',
]);

/**
 * Fields that mean nothing to Anthropic and change nothing in the answer: the stream flag
 * and usage option (the adapter streams by method and always reports usage), OpenAI's
 * stored-completions switches, and OpenAI's cache routing hint.
 */
const IGNORED_FIELDS: ReadonlySet<string> = new Set([
  'stream',
  'stream_options',
  'store',
  'metadata',
  'prompt_cache_key',
]);

/**
 * Fields accepted only at the value that asks for nothing (OpenAI's defaults). API version
 * 2026-10-21, which this SDK speaks, removed `temperature` and `top_p` entirely (it
 * answers 400 even to the defaults), so only their neutral value 1 passes, unsent.
 */
const NEUTRAL_VALUES: Readonly<Partial<Record<string, (value: unknown) => boolean>>> = {
  n: (value) => value === 1,
  logprobs: (value) => value === false,
  frequency_penalty: (value) => value === 0,
  presence_penalty: (value) => value === 0,
  temperature: (value) => value === 1,
  top_p: (value) => value === 1,
  modalities: (value) => Array.isArray(value) && value.every((modality) => modality === 'text'),
};

const EFFORTS: ReadonlySet<string> = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

/** Rejects every request field Anthropic cannot carry, naming it. Nulls count as absent. */
export function assertSupportedFields(provider: string, request: ChatRequest): void {
  for (const [field, value] of Object.entries(request)) {
    if (
      value === undefined ||
      value === null ||
      MAPPED_FIELDS.has(field) ||
      IGNORED_FIELDS.has(field)
    )
      continue;
    const neutral = Object.hasOwn(NEUTRAL_VALUES, field) ? NEUTRAL_VALUES[field] : undefined;
    if (neutral?.(value)) continue;
    const why = neutral ? `only its neutral value is accepted` : `it has no Anthropic counterpart`;
    throw GatewayError.unsupported(
      provider,
      `Anthropic cannot carry the request field ${field}: ${why}`,
      field,
    );
  }
}

/** The Messages API request for an OpenAI chat request (without the `stream` flag). */
export function toAnthropicParams(provider: string, request: ChatRequest): MessageCreateParamsBase {
  assertSupportedFields(provider, request);
  const { system, messages } = toAnthropicConversation(provider, request.messages);
  const params: MessageCreateParamsBase = {
    model: request.model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
  };

  const format = request.response_format;
  if (format?.type === 'json_object') system.push({ type: 'text', text: JSON_OBJECT_INSTRUCTION });
  const output = outputConfig(provider, request);
  if (output) params.output_config = output;
  if (system.length > 0) params.system = system;

  const stop = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  if (stop.length > 0) params.stop_sequences = stop;

  const tools = toTools(provider, request.tools ?? []);
  if (tools.length > 0) params.tools = tools;
  const toolChoice = toToolChoice(provider, request, tools.length > 0);
  if (toolChoice) params.tool_choice = toolChoice;

  const userId = request.user ?? request.safety_identifier;
  if (userId) params.metadata = { user_id: userId };
  return params;
}

function outputConfig(provider: string, request: ChatRequest): OutputConfig | undefined {
  const config: OutputConfig = {};
  const format = request.response_format;
  if (format?.type === 'json_schema') {
    const schema = format.json_schema.schema;
    if (!schema) {
      throw GatewayError.unsupported(
        provider,
        'Anthropic structured outputs need a schema',
        'response_format.json_schema.schema',
      );
    }
    config.format = { type: 'json_schema', schema };
  }
  const effort = request.reasoning_effort;
  if (effort) {
    if (!EFFORTS.has(effort)) {
      throw GatewayError.unsupported(
        provider,
        `Anthropic has no reasoning effort ${effort}`,
        'reasoning_effort',
      );
    }
    config.effort = effort as OutputConfig['effort'];
  }
  return config.format || config.effort ? config : undefined;
}

function toTools(provider: string, tools: NonNullable<ChatRequest['tools']>): Tool[] {
  return tools.map((tool, i): Tool => {
    if (tool.type !== 'function') {
      throw GatewayError.unsupported(
        provider,
        'Anthropic has no custom (free-form) tools',
        `tools[${i}]`,
      );
    }
    const fn = tool.function;
    return {
      name: fn.name,
      ...(fn.description ? { description: fn.description } : {}),
      input_schema: (fn.parameters ?? { type: 'object', properties: {} }) as Tool.InputSchema,
      ...(typeof fn.strict === 'boolean' ? { strict: fn.strict } : {}),
    };
  });
}

/**
 * `required` is Anthropic's `any`; `parallel_tool_calls: false` rides on the choice as
 * `disable_parallel_tool_use`. Without tools, `auto` and `none` say nothing and are
 * left out (Anthropic rejects a tool_choice without tools).
 */
function toToolChoice(
  provider: string,
  request: ChatRequest,
  hasTools: boolean,
): ToolChoice | undefined {
  const choice = request.tool_choice ?? undefined;
  const serial = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (!hasTools) {
    if (choice === undefined || choice === 'auto' || choice === 'none') return undefined;
    throw GatewayError.invalidRequest(
      'tool_choice names a tool but no tools were given',
      'tool_choice',
    );
  }
  if (choice === undefined)
    return request.parallel_tool_calls === false ? { type: 'auto', ...serial } : undefined;
  if (choice === 'auto') return { type: 'auto', ...serial };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...serial };
  if (choice.type === 'function') return { type: 'tool', name: choice.function.name, ...serial };
  throw GatewayError.unsupported(
    provider,
    `Anthropic has no ${choice.type} tool choice`,
    'tool_choice',
  );
}
