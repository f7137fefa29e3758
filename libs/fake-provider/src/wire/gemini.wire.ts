import type { FakeExchange } from '../fake-exchange';
import {
  cutConnection,
  paceStream,
  sendJson,
  startEventStream,
  writeSse,
  sendBodyFault,
} from '../fake-exchange';
import { estimateTokens, fakeEmbedding, planResponse } from '../fake-content';
import type { GeminiPart, GeminiBody } from './gemini.response';
import {
  FAKE_GEMINI_MODELS,
  FINISH_REASONS,
  partsText,
  facts,
  usageMetadata,
  candidate,
  functionCallPart,
  isPromptBlock,
  promptBlocked,
  whole,
  errorBody,
  retryDelay,
} from './gemini.response';
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

const GENERATE = /^\/(?:v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const EMBED = /^\/(?:v1beta|v1)\/models\/([^/:]+):(embedContent|batchEmbedContents)$/;
const COUNT_TOKENS = /^\/(?:v1beta|v1)\/models\/([^/:]+):countTokens$/;

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
