import type { FakeExchange } from '../fake-exchange';
import {
  cutConnection,
  paceStream,
  sendJson,
  startEventStream,
  writeSse,
  sendBodyFault,
} from '../fake-exchange';
import type { FakePlan } from '../fake-content';
import { estimateTokens, fakeEmbedding, planResponse } from '../fake-content';
import type { WireFormat } from './wire-format';

/**
 * Google's Generative Language API (v1beta, v1 accepted too) as `@google/generative-ai`
 * speaks it: the model and the task sit in the path (`/v1beta/models/{model}:{task}`),
 * the key in `x-goog-api-key` or `?key=`, streams are SSE (`alt=sse`) of whole
 * `GenerateContentResponse` objects, errors are `{ error: { code, message, status } }`.
 *
 * Script conventions specific to Gemini: `finishReason: 'content_filter'` with `text: ''`
 * answers as a blocked prompt (`promptFeedback.blockReason`, no candidates); a 429 with
 * `retryAfter` also carries Google's `RetryInfo` detail, which is where the SDK exposes it.
 */

interface GeminiPart {
  text?: string;
  inlineData?: { mimeType: string; data: string };
  functionCall?: { name: string; args?: unknown };
  functionResponse?: { name: string; response?: unknown };
}
interface GeminiContent {
  role?: string;
  parts?: GeminiPart[];
}
interface GeminiBody {
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

const FINISH_REASONS: Readonly<Record<FakePlan['finishReason'], string>> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  // Gemini reports STOP when it answers with function calls.
  tool_calls: 'STOP',
  content_filter: 'SAFETY',
};

const GENERATE = /^\/(?:v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const EMBED = /^\/(?:v1beta|v1)\/models\/([^/:]+):(embedContent|batchEmbedContents)$/;
const COUNT_TOKENS = /^\/(?:v1beta|v1)\/models\/([^/:]+):countTokens$/;

function partsText(content: GeminiContent | undefined): string {
  return (content?.parts ?? []).map((p) => p.text ?? '').join('');
}

function facts(body: GeminiBody): { promptText: string; lastUserText: string } {
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

function usageMetadata(plan: FakePlan, final: boolean): Record<string, number> {
  const completion = final ? plan.usage.completion : 0;
  return {
    promptTokenCount: plan.usage.prompt,
    ...(final ? { candidatesTokenCount: completion } : {}),
    totalTokenCount: plan.usage.prompt + completion,
    ...(plan.usage.cached > 0 ? { cachedContentTokenCount: plan.usage.cached } : {}),
  };
}

function candidate(parts: GeminiPart[], finishReason?: string): Record<string, unknown> {
  return {
    ...(parts.length > 0 ? { content: { role: 'model', parts } } : {}),
    ...(finishReason ? { finishReason } : {}),
    index: 0,
  };
}

function functionCallPart(call: FakePlan['toolCalls'][number]): GeminiPart {
  let args: unknown;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    args = { raw: call.arguments };
  }
  return { functionCall: { name: call.name, args } };
}

function isPromptBlock(ex: FakeExchange, plan: FakePlan): boolean {
  return (
    plan.finishReason === 'content_filter' && ex.script.text === '' && plan.toolCalls.length === 0
  );
}

function promptBlocked(model: string, plan: FakePlan): unknown {
  return {
    promptFeedback: {
      blockReason: 'SAFETY',
      safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH' }],
    },
    usageMetadata: { promptTokenCount: plan.usage.prompt, totalTokenCount: plan.usage.prompt },
    modelVersion: model,
  };
}

function whole(model: string, plan: FakePlan): unknown {
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

function errorBody(
  status: number,
  message: string,
  statusName?: string,
): { error: Record<string, unknown> } {
  return {
    error: { code: status, message, status: statusName ?? STATUS_NAMES[status] ?? 'UNKNOWN' },
  };
}

async function generate(ex: FakeExchange, stream: boolean): Promise<void> {
  const body = (ex.body ?? {}) as GeminiBody;
  const model = ex.params[0];
  const plan = planResponse(ex.script, facts(body));

  if (!stream) {
    if (sendBodyFault(ex, '{"candidates":[{"content":')) return;
    sendJson(
      ex.res,
      200,
      isPromptBlock(ex, plan) ? promptBlocked(model, plan) : whole(model, plan),
    );
    return;
  }

  if (ex.url.searchParams.get('alt') !== 'sse') {
    sendJson(ex.res, 400, errorBody(400, 'The fake Gemini API streams only with alt=sse.'));
    return;
  }
  startEventStream(ex.res);
  if (isPromptBlock(ex, plan)) {
    writeSse(ex.res, promptBlocked(model, plan));
    ex.res.end();
    return;
  }
  // Text arrives in pieces, each function call whole in its own chunk; the last chunk
  // carries the finish reason and the complete usage, as Gemini's streams do.
  const parts: GeminiPart[] =
    plan.finishReason === 'content_filter' ? [] : plan.textChunks.map((text) => ({ text }));
  parts.push(...plan.toolCalls.map(functionCallPart));
  const count = Math.max(1, parts.length);
  const completed = await paceStream(
    ex,
    count,
    (index) => {
      const last = index === count - 1;
      const part = parts[index];
      writeSse(ex.res, {
        candidates: [
          candidate(part ? [part] : [], last ? FINISH_REASONS[plan.finishReason] : undefined),
        ],
        usageMetadata: usageMetadata(plan, last),
        modelVersion: model,
      });
    },
    (fault) => {
      if (fault === 'error-event') {
        writeSse(ex.res, errorBody(500, 'An internal error has occurred. Please retry or report.'));
        ex.res.end();
      } else if (fault === 'malformed') {
        ex.res.write('data: {"candidates": [\n\n');
        ex.res.end();
      } else cutConnection(ex.res);
    },
  );
  if (completed) ex.res.end();
}

function embedding(text: string, dimensions: number): { values: number[] } {
  return { values: fakeEmbedding(text, dimensions) };
}

function embed(ex: FakeExchange, batch: boolean): void {
  const body = (ex.body ?? {}) as GeminiBody;
  const fallback = ex.script.dimensions ?? 64;
  if (!batch) {
    sendJson(ex.res, 200, {
      embedding: embedding(partsText(body.content), body.outputDimensionality ?? fallback),
    });
    return;
  }
  const requests = body.requests ?? [];
  if (requests.length === 0) {
    sendJson(
      ex.res,
      400,
      errorBody(400, '* BatchEmbedContentsRequest.requests: must not be empty'),
    );
    return;
  }
  sendJson(ex.res, 200, {
    embeddings: requests.map((r) =>
      embedding(partsText(r.content), r.outputDimensionality ?? fallback),
    ),
  });
}

function countTokens(ex: FakeExchange): void {
  const body = (ex.body ?? {}) as GeminiBody;
  const { promptText } = facts(body.generateContentRequest ?? body);
  sendJson(ex.res, 200, { totalTokens: estimateTokens(promptText) });
}

/** Retry-After (seconds or HTTP-date) as Google's `RetryInfo.retryDelay` ("12s"). */
function retryDelay(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return `${seconds}s`;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : `${Math.max(0, Math.ceil((date - Date.now()) / 1000))}s`;
}

export const geminiWire: WireFormat = {
  name: 'gemini',
  routes: [
    {
      method: 'POST',
      pattern: GENERATE,
      operation: 'chat',
      handle: (ex) => generate(ex, ex.params[1] === 'streamGenerateContent'),
      model: (ex) => ex.params[0],
      stream: (ex) => ex.params[1] === 'streamGenerateContent',
    },
    {
      method: 'POST',
      pattern: EMBED,
      operation: 'embeddings',
      handle: (ex) => embed(ex, ex.params[1] === 'batchEmbedContents'),
      model: (ex) => ex.params[0],
    },
    {
      method: 'POST',
      pattern: COUNT_TOKENS,
      // Not a generation: like a listing, it neither consumes queued scripts nor counts as a call.
      operation: 'models',
      handle: countTokens,
      model: (ex) => ex.params[0],
    },
    {
      method: 'GET',
      pattern: /^\/(?:v1beta|v1)\/models$/,
      operation: 'models',
      handle: (ex) =>
        sendJson(ex.res, 200, {
          models: FAKE_GEMINI_MODELS.map((id) => ({
            name: `models/${id}`,
            version: '001',
            displayName: `Fake ${id}`,
            inputTokenLimit: 1_048_576,
            outputTokenLimit: 8192,
            supportedGenerationMethods: id.includes('embedding')
              ? ['embedContent', 'batchEmbedContents']
              : ['generateContent', 'countTokens'],
          })),
        }),
    },
  ],
  apiKey: (ex) => {
    const header = ex.req.headers['x-goog-api-key'];
    if (typeof header === 'string' && header !== '') return header;
    return ex.url.searchParams.get('key') ?? undefined;
  },
  sendError: (ex, status, message, type) => {
    const body = errorBody(status, message, type);
    const delay = status === 429 ? retryDelay(ex.script.retryAfter) : undefined;
    if (delay !== undefined) {
      body.error.details = [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay },
      ];
    }
    sendJson(ex.res, status, body);
  },
};
