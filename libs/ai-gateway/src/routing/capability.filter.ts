import type { ModelInfoConfig } from '../config/gateway-config.schema';
import type { ChatCompletionMessageParam, ChatRequest } from '../types/unified';
import type { RouteTarget } from './model-resolver.service';
import type { Candidate, RequestRequirements } from './strategies/strategy.types';

export type CapabilityReason = 'no_tools' | 'no_json' | 'no_vision' | 'context_window';

export interface CapabilitySkip {
  target: RouteTarget;
  reason: CapabilityReason;
}

export interface CapabilityResult {
  kept: Candidate[];
  skipped: CapabilitySkip[];
}

/** Output budget assumed when the request sets no `max_tokens` (cost and context checks). */
export const DEFAULT_OUTPUT_TOKENS = 256;

/**
 * Flat token estimate per image. Its URL (often a base64 data URL) says nothing about the
 * tokens it costs; 765 is OpenAI's high-detail count for a 1024×1024 image.
 */
export const IMAGE_TOKENS = 765;

const CHARS_PER_TOKEN = 4;

/**
 * Reads what a request needs. Prompt tokens are estimated as ⌈characters / 4⌉ over all
 * message text (text parts, refusals, tool-call names and arguments), the tool and function
 * definitions and a JSON schema (as JSON), plus `IMAGE_TOKENS` per image; audio and file
 * parts count nothing. Four characters per token is the usual rule of thumb for English
 * with the GPT tokenizers: good enough to rank by cost and to catch a request that is far
 * over a context window, not to bill. Issue 4 replaces it with a real tokenizer.
 */
export function requirementsOf(request: ChatRequest): RequestRequirements {
  let chars = 0;
  let images = 0;
  for (const message of request.messages) {
    const content = message.content;
    if (typeof content === 'string') {
      chars += content.length;
    } else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'text') chars += lengthOf(part.text);
        else if (part.type === 'refusal') chars += lengthOf(part.refusal);
        else if (part.type === 'image_url') images += 1;
      }
    }
    chars += toolCallChars(message);
  }

  const tools = nonEmpty(request.tools) || nonEmpty(request.functions);
  if (nonEmpty(request.tools)) chars += JSON.stringify(request.tools).length;
  if (nonEmpty(request.functions)) chars += JSON.stringify(request.functions).length;

  const format = request.response_format;
  const json = format?.type === 'json_object' || format?.type === 'json_schema';
  if (format?.type === 'json_schema') chars += JSON.stringify(format.json_schema).length;

  return {
    tools,
    json,
    vision: images > 0,
    promptTokens: Math.ceil(chars / CHARS_PER_TOKEN) + images * IMAGE_TOKENS,
    maxOutputTokens:
      positive(request.max_completion_tokens) ??
      positive(request.max_tokens) ??
      DEFAULT_OUTPUT_TOKENS,
  };
}

/**
 * The first requirement a model does not meet, or undefined when it can take the request.
 * Unknown facts (no `modelInfo`, no `features`, no `contextWindow`) count as capable: the
 * provider will say so if it is not, and the executor falls back.
 */
export function unmetRequirement(
  info: ModelInfoConfig | undefined,
  needs: RequestRequirements,
): CapabilityReason | undefined {
  if (!info) return undefined;
  const features = info.features;
  if (features) {
    if (needs.tools && !features.includes('tools')) return 'no_tools';
    if (needs.json && !features.includes('json')) return 'no_json';
    if (needs.vision && !features.includes('vision')) return 'no_vision';
  }
  if (
    info.contextWindow !== undefined &&
    info.contextWindow < needs.promptTokens + needs.maxOutputTokens
  ) {
    return 'context_window';
  }
  return undefined;
}

/**
 * Drops the candidates that cannot take the request, keeping the order of the rest. Applied
 * under every strategy: a request with tools never goes to a model that says it has none.
 */
export function filterByCapability(
  candidates: Candidate[],
  needs: RequestRequirements,
): CapabilityResult {
  const kept: Candidate[] = [];
  const skipped: CapabilitySkip[] = [];
  for (const candidate of candidates) {
    const reason = unmetRequirement(candidate.info, needs);
    if (reason) skipped.push({ target: candidate.target, reason });
    else kept.push(candidate);
  }
  return { kept, skipped };
}

function toolCallChars(message: ChatCompletionMessageParam): number {
  if (message.role !== 'assistant' || !Array.isArray(message.tool_calls)) return 0;
  let chars = 0;
  for (const call of message.tool_calls) {
    if (call.type === 'function') {
      chars += lengthOf(call.function?.name) + lengthOf(call.function?.arguments);
    } else if (call.type === 'custom') {
      chars += lengthOf(call.custom?.name) + lengthOf(call.custom?.input);
    }
  }
  return chars;
}

/** Request bodies come from the wire: a field typed string may still be something else. */
function lengthOf(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}

function nonEmpty(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
