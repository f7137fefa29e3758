import type { FakeExchange } from '../fake-exchange';
import { paceStream, sendJson, startEventStream, writeSse, cutConnection } from '../fake-exchange';
import { estimateTokens, planResponse } from '../fake-content';
import type { FakeUploadedFile } from '../fake-multipart';
import { openAiWire } from './openai.wire';
import type { FakeRoute, WireFormat } from './wire-format';

type Body = Record<string, unknown>;

/** A 1×1 transparent PNG: what every fake image is. */
const PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const AUDIO_TYPES: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

/** The bytes the fake "speaks" for `input`: a marker and the text, so tests can check them. */
export function fakeSpeech(input: string): Buffer {
  return Buffer.from(`FAKE-AUDIO\n${input}`, 'utf8');
}

/** Texts of an input that may be a string or a list (moderations, completions). */
function textsOf(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  return Array.isArray(input) ? input.filter((t): t is string => typeof t === 'string') : [];
}

const bodyOf = (ex: Pick<FakeExchange, 'body'>): Body => (ex.body ?? {}) as Body;
const modelOf = (ex: Pick<FakeExchange, 'body'>): string | undefined => {
  const model = bodyOf(ex).model;
  return typeof model === 'string' ? model : undefined;
};

/** Legacy completions: the prompt echoed (or the script's text), JSON or SSE. */
async function completions(ex: FakeExchange): Promise<void> {
  const body = bodyOf(ex);
  const prompt = textsOf(body.prompt).join('\n');
  const plan = planResponse(ex.script, { promptText: prompt, lastUserText: prompt });
  const base = {
    id: `cmpl-fake-${Date.now().toString(36)}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model: modelOf(ex) ?? 'fake-instruct',
  };
  const usage = {
    prompt_tokens: plan.usage.prompt,
    completion_tokens: plan.usage.completion,
    total_tokens: plan.usage.prompt + plan.usage.completion,
  };
  const choice = (text: string, finish: string | null): unknown => ({
    text,
    index: 0,
    logprobs: null,
    finish_reason: finish,
  });
  if (body.stream !== true) {
    sendJson(ex.res, 200, { ...base, choices: [choice(plan.text, plan.finishReason)], usage });
    return;
  }
  startEventStream(ex.res);
  const pieces = plan.textChunks.length > 0 ? plan.textChunks : [''];
  const completed = await paceStream(
    ex,
    pieces.length,
    (i) =>
      writeSse(ex.res, {
        ...base,
        choices: [choice(pieces[i], i === pieces.length - 1 ? plan.finishReason : null)],
      }),
    () => cutConnection(ex.res),
  );
  if (!completed) return;
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  if (options?.include_usage) writeSse(ex.res, { ...base, choices: [], usage });
  writeSse(ex.res, '[DONE]');
  ex.res.end();
}

/** Moderations: one result per input; text containing "violence" is flagged. */
function moderations(ex: FakeExchange): void {
  const results = textsOf(bodyOf(ex).input).map((text) => {
    const flagged = /violence/i.test(text);
    return {
      flagged,
      categories: { violence: flagged, harassment: false, hate: false, sexual: false },
      category_scores: { violence: flagged ? 0.98 : 0.01, harassment: 0, hate: 0, sexual: 0 },
    };
  });
  sendJson(ex.res, 200, {
    id: `modr-fake-${Date.now().toString(36)}`,
    model: modelOf(ex) ?? 'omni-moderation-latest',
    results,
  });
}

/** Image generation: `n` one-pixel PNGs (base64, or URLs), with gpt-image-style usage. */
function images(ex: FakeExchange): void {
  const body = bodyOf(ex);
  const n = typeof body.n === 'number' && body.n > 0 ? Math.min(body.n, 10) : 1;
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  const asUrl = body.response_format === 'url';
  const input = ex.script.usage?.prompt ?? estimateTokens(prompt);
  const output = ex.script.usage?.completion ?? 100 * n;
  sendJson(ex.res, 200, {
    created: Math.floor(Date.now() / 1000),
    data: Array.from({ length: n }, (_, i) =>
      asUrl
        ? { url: `https://fake-provider.invalid/images/${i}.png`, revised_prompt: prompt }
        : { b64_json: PIXEL_PNG, revised_prompt: prompt },
    ),
    usage: {
      input_tokens: input,
      output_tokens: output,
      total_tokens: input + output,
      input_tokens_details: { text_tokens: input, image_tokens: 0 },
    },
  });
}

/** Text to speech: binary audio of the format asked for (see {@link fakeSpeech}). */
function speech(ex: FakeExchange): void {
  const body = bodyOf(ex);
  const format = typeof body.response_format === 'string' ? body.response_format : 'mp3';
  const audio = fakeSpeech(typeof body.input === 'string' ? body.input : '');
  ex.res.writeHead(200, {
    'content-type': AUDIO_TYPES[format] ?? 'application/octet-stream',
    'content-length': audio.length,
  });
  ex.res.end(audio);
}

/** Transcription of the uploaded file: the script's text, else one naming the file and its size. */
function transcriptions(ex: FakeExchange): void {
  const body = bodyOf(ex);
  const file = body.file as FakeUploadedFile | undefined;
  if (!file || typeof file !== 'object') {
    openAiWire.sendError(ex, 400, "Missing required parameter: 'file'.", 'invalid_request_error');
    return;
  }
  const text = ex.script.text ?? `fake transcript of ${file.filename} (${file.size} bytes)`;
  if (body.response_format === 'text') {
    ex.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    ex.res.end(text);
    return;
  }
  const input = ex.script.usage?.prompt ?? Math.max(1, Math.ceil(file.size / 1024));
  const output = ex.script.usage?.completion ?? estimateTokens(text);
  sendJson(ex.res, 200, {
    text,
    usage: {
      type: 'tokens',
      input_tokens: input,
      output_tokens: output,
      total_tokens: input + output,
    },
  });
}

const route = (
  pattern: RegExp,
  operation: FakeRoute['operation'],
  handle: FakeRoute['handle'],
): FakeRoute => ({
  method: 'POST',
  pattern,
  operation,
  handle,
  model: modelOf,
  stream: (ex) => bodyOf(ex).stream === true,
});

/**
 * OpenAI's endpoints beyond chat and embeddings, for the gateway's passthrough: legacy
 * completions, moderations, image generation, speech (binary) and transcriptions
 * (multipart upload). Same keys and error shape as the OpenAI wire; routed with it.
 */
export const openAiSurfaceWire: WireFormat = {
  name: 'openai',
  routes: [
    route(/^\/v1\/completions$/, 'completions', completions),
    route(/^\/v1\/moderations$/, 'moderations', moderations),
    route(/^\/v1\/images\/generations$/, 'images', images),
    route(/^\/v1\/audio\/speech$/, 'speech', speech),
    route(/^\/v1\/audio\/transcriptions$/, 'transcriptions', transcriptions),
  ],
  apiKey: (ex) => openAiWire.apiKey(ex),
  sendError: (ex, status, message, type) => openAiWire.sendError(ex, status, message, type),
};
