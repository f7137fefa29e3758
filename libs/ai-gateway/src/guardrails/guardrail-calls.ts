import type { CallOptions } from '../shared/call-result';
import type { ChatRequest, ChatResponse } from '../types/unified';

/** One input's moderation verdict, as OpenAI's (and Mistral's) endpoint returns it. */
export interface ModerationVerdict {
  flagged: boolean;
  categories: Record<string, boolean>;
  category_scores: Record<string, number>;
}

/**
 * The gateway's own model calls a middleware makes — a moderation check, the injection judge
 * — through the gateway's own paths (routing, keys, breakers, budgets, a usage row each), with
 * the middleware skipped. Provided by the module (`GUARDRAIL_CALLS`), read lazily: the chat
 * path that runs the middleware is also the path these calls take.
 */
export interface GuardrailCalls {
  moderate(model: string, inputs: string[], options: CallOptions): Promise<ModerationVerdict[]>;
  chat(request: ChatRequest, options: CallOptions): Promise<ChatResponse>;
}

export const GUARDRAIL_CALLS = Symbol('GUARDRAIL_CALLS');

/** The call options of a middleware's own call: its request's caller, no middleware, no cache. */
export function guardCallOptions(
  context: { requestId: string; caller?: CallOptions['caller'] },
  task: string,
  index = 0,
): CallOptions {
  return {
    requestId: `${context.requestId}:${task}${index ? `-${index}` : ''}`,
    caller: context.caller,
    task,
    middleware: false,
  };
}
