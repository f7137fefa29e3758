import type { FakeExchange } from '../fake-exchange';
import type { FakePlan } from '../fake-content';

/**
 * The shapes of Google's Generative Language API the fake reads and answers with:
 * contents and parts, candidates, usage metadata, blocked prompts and Google's errors.
 */

export interface GeminiPart {
  text?: string;
  inlineData?: { mimeType: string; data: string };
  functionCall?: { name: string; args?: unknown };
  functionResponse?: { name: string; response?: unknown };
}
export interface GeminiContent {
  role?: string;
  parts?: GeminiPart[];
}
export interface GeminiBody {
  contents?: GeminiContent[];
  systemInstruction?: GeminiContent;
  content?: GeminiContent;
  outputDimensionality?: number;
  requests?: Array<{ content?: GeminiContent; outputDimensionality?: number }>;
  generateContentRequest?: { contents?: GeminiContent[]; systemInstruction?: GeminiContent };
}

/** Models `GET /v1beta/models` lists; any other model id is accepted too. */
export const FAKE_GEMINI_MODELS = ['gemini-fake', 'gemini-echo', 'text-embedding-fake'];

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export const FINISH_REASONS: Readonly<Record<FakePlan['finishReason'], string>> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  // Gemini reports STOP when it answers with function calls.
  tool_calls: 'STOP',
  content_filter: 'SAFETY',
};

export function partsText(content: GeminiContent | undefined): string {
  return (content?.parts ?? []).map((p) => p.text ?? '').join('');
}

export function facts(body: GeminiBody): { promptText: string; lastUserText: string } {
  const contents = body.contents ?? [];
  const lastUser = [...contents].reverse().find((c) => c.role !== 'model' && partsText(c) !== '');
  return {
    promptText: [body.systemInstruction, ...contents]
      .filter((c): c is GeminiContent => c !== undefined)
      .map(partsText)
      .join('\n'),
    lastUserText: partsText(lastUser),
  };
}

export function usageMetadata(plan: FakePlan, final: boolean): Record<string, number> {
  const completion = final ? plan.usage.completion : 0;
  return {
    promptTokenCount: plan.usage.prompt,
    ...(final ? { candidatesTokenCount: completion } : {}),
    totalTokenCount: plan.usage.prompt + completion,
    ...(plan.usage.cached > 0 ? { cachedContentTokenCount: plan.usage.cached } : {}),
  };
}

export function candidate(parts: GeminiPart[], finishReason?: string): Record<string, unknown> {
  return {
    ...(parts.length > 0 ? { content: { role: 'model', parts } } : {}),
    ...(finishReason ? { finishReason } : {}),
    index: 0,
  };
}

export function functionCallPart(call: FakePlan['toolCalls'][number]): GeminiPart {
  let args: unknown;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    args = { raw: call.arguments };
  }
  return { functionCall: { name: call.name, args } };
}

export function isPromptBlock(ex: FakeExchange, plan: FakePlan): boolean {
  return (
    plan.finishReason === 'content_filter' && ex.script.text === '' && plan.toolCalls.length === 0
  );
}

export function promptBlocked(model: string, plan: FakePlan): unknown {
  return {
    promptFeedback: {
      blockReason: 'SAFETY',
      safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH' }],
    },
    usageMetadata: { promptTokenCount: plan.usage.prompt, totalTokenCount: plan.usage.prompt },
    modelVersion: model,
  };
}

export function whole(model: string, plan: FakePlan): unknown {
  const parts: GeminiPart[] = [];
  // A safety stop carries no content, as Gemini's does.
  if (plan.text !== '' && plan.finishReason !== 'content_filter') parts.push({ text: plan.text });
  parts.push(...plan.toolCalls.map(functionCallPart));
  return {
    candidates: [candidate(parts, FINISH_REASONS[plan.finishReason])],
    usageMetadata: usageMetadata(plan, true),
    modelVersion: model,
  };
}

export function errorBody(
  status: number,
  message: string,
  statusName?: string,
): { error: Record<string, unknown> } {
  return {
    error: { code: status, message, status: statusName ?? STATUS_NAMES[status] ?? 'UNKNOWN' },
  };
}

/** Retry-After (seconds or HTTP-date) as Google's `RetryInfo.retryDelay` ("12s"). */
export function retryDelay(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return `${seconds}s`;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : `${Math.max(0, Math.ceil((date - Date.now()) / 1000))}s`;
}
