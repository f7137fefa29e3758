import type { FakeExchange } from '../fake-exchange';
import type { FakePlan, FakePromptFacts } from '../fake-content';
import { planResponse } from '../fake-content';

/**
 * The shapes of Anthropic's Messages API the fake answers with: what a request must carry,
 * the answer's content blocks, stop reasons and usage.
 */

interface AnthropicBlock {
  type?: string;
  text?: string;
  content?: unknown;
}
export interface AnthropicBody {
  model?: string;
  stream?: boolean;
  max_tokens?: unknown;
  system?: string | AnthropicBlock[];
  messages?: Array<{ role?: string; content?: string | AnthropicBlock[] }>;
  stop_sequences?: string[];
}
export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

/** Models `GET /v1/models` lists; any other model id is accepted too. */
export const FAKE_ANTHROPIC_MODELS = ['claude-fake', 'fake-chat', 'echo'];
const REMOVED_SAMPLING_PARAMS = ['temperature', 'top_p', 'top_k'];

const STOP_REASONS: Readonly<Record<FakePlan['finishReason'], StopReason>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/** Error `type` of each status, as Anthropic documents them. */
export function errorTypeFor(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    402: 'billing_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    504: 'timeout_error',
    529: 'overloaded_error',
  };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** Text of a string or block content, tool results included (they are prompt too). */
function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as AnthropicBlock[])
    .map((block) => (typeof block.text === 'string' ? block.text : blockText(block.content)))
    .join('');
}

function facts(body: AnthropicBody): FakePromptFacts {
  const messages = body.messages ?? [];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  return {
    promptText: [blockText(body.system), ...messages.map((m) => blockText(m.content))].join('\n'),
    lastUserText: blockText(lastUser?.content),
  };
}

/** What the request breaks, in the API's words; undefined when it is acceptable. */
export function invalidReason(body: AnthropicBody): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) {
    return 'max_tokens: Field required';
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return 'messages: at least one message is required';
  }
  const removed = REMOVED_SAMPLING_PARAMS.find((param) => param in body);
  return removed ? `${removed}: Extra inputs are not permitted` : undefined;
}

export interface Answer {
  plan: FakePlan;
  text: string;
  stopReason: StopReason;
  stopSequence: string | null;
  toolIds: string[];
}

export function answer(ex: FakeExchange, body: AnthropicBody): Answer {
  const plan = planResponse(ex.script, facts(body));
  const toolIds = plan.toolCalls.map(
    (_call, index) => ex.script.toolCalls?.[index]?.id ?? `toolu_fake_${index}`,
  );
  const hit = (body.stop_sequences ?? [])
    .map((sequence) => ({ sequence, at: plan.text.indexOf(sequence) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  if (hit && plan.toolCalls.length === 0) {
    return {
      plan,
      text: plan.text.slice(0, hit.at),
      stopReason: 'stop_sequence',
      stopSequence: hit.sequence,
      toolIds,
    };
  }
  return {
    plan,
    text: plan.text,
    stopReason: STOP_REASONS[plan.finishReason],
    stopSequence: null,
    toolIds,
  };
}

/** Anthropic's `input_tokens` excludes cache reads, unlike OpenAI's `prompt_tokens`. */
export function usage(
  plan: FakePlan,
  outputTokens = plan.usage.completion,
): Record<string, unknown> {
  return {
    input_tokens: Math.max(0, plan.usage.prompt - plan.usage.cached),
    output_tokens: outputTokens,
    cache_read_input_tokens: plan.usage.cached,
    cache_creation_input_tokens: 0,
    cache_creation: null,
    server_tool_use: null,
    service_tier: 'standard',
  };
}

function toolInput(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
}

export function toolUse(a: Answer, n: number, input: unknown): unknown {
  const call = a.plan.toolCalls[n];
  return { type: 'tool_use', id: a.toolIds[n], name: call.name, input, caller: { type: 'direct' } };
}

/** A whole message; a stream's message_start carries the same with no content yet. */
export function message(id: string, model: string, a: Answer, streaming = false): unknown {
  const content: unknown[] = [];
  if (a.text !== '' || a.plan.toolCalls.length === 0) {
    content.push({ type: 'text', text: a.text, citations: null });
  }
  a.plan.toolCalls.forEach((call, n) => content.push(toolUse(a, n, toolInput(call.arguments))));
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: streaming ? [] : content,
    stop_reason: streaming ? null : a.stopReason,
    stop_sequence: streaming ? null : a.stopSequence,
    stop_details: null,
    container: null,
    usage: usage(a.plan, streaming ? 1 : undefined),
  };
}
