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
import { contentText, fakeEmbedding, planResponse } from '../fake-content';
import type { FakeScript } from '../fake-script';
import type { WireFormat } from './wire-format';

interface OpenAiBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: Array<{ role?: string; content?: unknown }>;
  input?: string | string[] | number[] | number[][];
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
}

/** Models the fake lists; any other model id is accepted too. */
export const FAKE_MODELS = ['fake-chat', 'echo', 'text-embedding-fake'];

function facts(body: OpenAiBody): { promptText: string; lastUserText: string } {
  const messages = body.messages ?? [];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  return {
    promptText: messages.map((m) => contentText(m.content)).join('\n'),
    lastUserText: contentText(lastUser?.content),
  };
}

function completion(id: string, created: number, model: string, plan: FakePlan): unknown {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    system_fingerprint: 'fp_fake',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: plan.toolCalls.length > 0 && plan.text === '' ? null : plan.text,
          refusal: null,
          ...(plan.toolCalls.length > 0
            ? {
                tool_calls: plan.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: c.arguments },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: plan.finishReason,
      },
    ],
    usage: usage(plan),
  };
}

const chatId = (): string =>
  `chatcmpl-fake-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/**
 * The completion `POST /v1/chat/completions` answers without `stream` for this body and
 * script: what a batch line of that endpoint gets.
 */
export function chatCompletionBody(body: unknown, script: FakeScript): unknown {
  const request = (body ?? {}) as OpenAiBody;
  const plan = planResponse(script, facts(request));
  return completion(chatId(), Math.floor(Date.now() / 1000), request.model ?? 'fake-chat', plan);
}

function usage(plan: FakePlan): unknown {
  return {
    prompt_tokens: plan.usage.prompt,
    completion_tokens: plan.usage.completion,
    total_tokens: plan.usage.prompt + plan.usage.completion,
    prompt_tokens_details: { cached_tokens: plan.usage.cached },
  };
}

/**
 * Mistral speaks OpenAI's format with two differences the gateway must handle: it
 * rejects `stream_options` (422) and puts `usage` on the chunk that carries the
 * finish reason, always.
 */
type Flavor = 'openai' | 'mistral';

async function chat(ex: FakeExchange, flavor: Flavor): Promise<void> {
  const body = (ex.body ?? {}) as OpenAiBody;
  if (flavor === 'mistral' && body.stream_options !== undefined) {
    sendJson(ex.res, 422, {
      object: 'error',
      message: 'stream_options: Extra inputs are not permitted',
      type: 'invalid_request_error',
      code: null,
    });
    return;
  }
  const plan = planResponse(ex.script, facts(body));
  const id = chatId();
  const created = Math.floor(Date.now() / 1000);
  const model = body.model ?? 'fake-chat';

  if (!body.stream) {
    if (sendBodyFault(ex, '{"id":"cut","object":"chat.completion","choices":[')) return;
    sendJson(ex.res, 200, completion(id, created, model, plan));
    return;
  }

  startEventStream(ex.res);
  const base = {
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: 'fp_fake',
  };
  const chunk = (delta: unknown, finish: string | null = null): unknown => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  // One item per text chunk, then per tool call (name first, arguments in two halves).
  const items: Array<() => void> = [];
  items.push(() =>
    writeSse(ex.res, chunk({ role: 'assistant', content: plan.textChunks.length ? '' : null })),
  );
  for (const piece of plan.textChunks)
    items.push(() => writeSse(ex.res, chunk({ content: piece })));
  plan.toolCalls.forEach((call, index) => {
    const half = Math.ceil(call.arguments.length / 2);
    items.push(() =>
      writeSse(
        ex.res,
        chunk({
          tool_calls: [
            { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
          ],
        }),
      ),
    );
    items.push(() =>
      writeSse(
        ex.res,
        chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(0, half) } }] }),
      ),
    );
    items.push(() =>
      writeSse(
        ex.res,
        chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(half) } }] }),
      ),
    );
  });
  items.push(() =>
    writeSse(
      ex.res,
      flavor === 'mistral'
        ? { ...(chunk({}, plan.finishReason) as object), usage: usage(plan) }
        : chunk({}, plan.finishReason),
    ),
  );

  const completed = await paceStream(
    ex,
    items.length,
    (index) => items[index](),
    (fault) => {
      if (fault === 'error-event') {
        writeSse(ex.res, {
          error: {
            message: 'The server had an error while processing your request.',
            type: 'server_error',
            code: null,
          },
        });
        ex.res.end();
      } else if (fault === 'malformed') {
        ex.res.write('data: {"id": "broken", "choices": [\n\n');
        ex.res.end();
      } else cutConnection(ex.res);
    },
  );
  if (!completed) return;
  if (body.stream_options?.include_usage)
    writeSse(ex.res, { ...base, choices: [], usage: usage(plan) });
  writeSse(ex.res, '[DONE]');
  ex.res.end();
}

function embeddings(ex: FakeExchange): void {
  sendJson(ex.res, 200, embeddingsBody(ex.body, ex.script));
}

/** The embeddings list `POST /v1/embeddings` answers (and a batch line of it gets). */
export function embeddingsBody(requestBody: unknown, script: FakeScript): unknown {
  const body = (requestBody ?? {}) as OpenAiBody;
  const inputs =
    Array.isArray(body.input) && typeof body.input[0] !== 'number'
      ? (body.input as Array<string | number[]>)
      : [body.input ?? ''];
  const dimensions = body.dimensions ?? script.dimensions ?? 64;
  let tokens = 0;
  const data = inputs.map((input, index) => {
    const text = typeof input === 'string' ? input : (input as number[]).join(' ');
    tokens += Math.max(1, Math.ceil(text.length / 4));
    const vector = fakeEmbedding(text, dimensions);
    const embedding =
      body.encoding_format === 'base64'
        ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', index, embedding };
  });
  return {
    object: 'list',
    data,
    model: body.model ?? 'text-embedding-fake',
    usage: {
      prompt_tokens: script.usage?.prompt ?? tokens,
      total_tokens: script.usage?.prompt ?? tokens,
    },
  };
}

/** OpenAI's error body; `param` names the offending field (`id` for an unknown object). */
export function openAiErrorBody(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): unknown {
  return { error: { message, type, param, code } };
}

/** The error body of a scripted status: the type from the status unless the script names one. */
export function scriptedErrorBody(status: number, message: string, type?: string): unknown {
  const errorType =
    type ??
    (status === 429
      ? 'rate_limit_exceeded'
      : status >= 500
        ? 'server_error'
        : 'invalid_request_error');
  return openAiErrorBody(message, errorType, type ?? null);
}

function createOpenAiWire(flavor: Flavor): WireFormat {
  return {
    name: flavor,
    routes: [
      {
        method: 'POST',
        pattern: /^\/v1\/chat\/completions$/,
        operation: 'chat',
        handle: (ex) => chat(ex, flavor),
        model: (ex) => (ex.body as OpenAiBody | undefined)?.model,
        stream: (ex) => (ex.body as OpenAiBody | undefined)?.stream === true,
      },
      {
        method: 'POST',
        pattern: /^\/v1\/embeddings$/,
        operation: 'embeddings',
        handle: embeddings,
        model: (ex) => (ex.body as OpenAiBody | undefined)?.model,
      },
      {
        method: 'GET',
        pattern: /^\/v1\/models$/,
        operation: 'models',
        handle: (ex) =>
          sendJson(ex.res, 200, {
            object: 'list',
            data: FAKE_MODELS.map((id) => ({
              id,
              object: 'model',
              created: 1_700_000_000,
              owned_by: 'fake-provider',
            })),
          }),
      },
    ],
    apiKey: (ex) => {
      const auth = ex.req.headers.authorization;
      return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
    },
    sendError: (ex, status, message, type) =>
      sendJson(ex.res, status, scriptedErrorBody(status, message, type)),
  };
}

export const openAiWire = createOpenAiWire('openai');
/** Reached only under the `/mistral` prefix. */
export const mistralWire = createOpenAiWire('mistral');
