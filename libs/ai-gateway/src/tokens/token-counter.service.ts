import { Injectable } from '@nestjs/common';
import type { ProviderKind } from '../config/gateway-config.schema';
import type { ChatRequest, EmbeddingRequest } from '../types/unified';
import {
  TOOL_INIT_CL100K,
  TOOL_INIT_O200K,
  chatPromptParts,
  countChatPrompt,
} from './chat-prompt-tokens';
import { CpuSlicer } from './cpu-slicer';
import type { TokenEncoding } from './tiktoken-encodings';
import { TOKEN_ENCODINGS, counterFor, encodingFor } from './tiktoken-encodings';

/** Characters per token of the cheap estimate (English text and code average ~4). */
const CHARS_PER_TOKEN = 4;

/**
 * Prompt tokens before the call, for budget reservations, `maxCostPerRequest` and token
 * rate limits; the provider's reported usage settles the real figure afterwards.
 *
 * `count*` are exact tiktoken counts for OpenAI models (o200k_base or cl100k_base from the
 * ranks bundled in js-tiktoken, nothing downloaded; the chat formula reproduces the
 * openai-cookbook figures that were checked against the API). For other providers they
 * are an approximation, counted with o200k_base: Anthropic, Google and Mistral tokenize
 * differently and their error was not measured against their APIs.
 * Speed after warm-up (2-core host shared with other jobs, p50 per 1 KB prompt): ~17–30 µs
 * for English prose, ~40–70 µs for Markdown/code, ~50–80 µs for non-ASCII text; linear in
 * size whatever the text (32 KB of Markdown: ~1.4–2 ms; adversarial input in
 * bench/tokens-adversarial.mjs). Building an encoding takes ~0.15–0.25 s on first use:
 * call {@link warmUp} at start-up to keep it off the first request.
 *
 * On the request path use the `*Async` forms: the same figures, counted in slices of a few
 * milliseconds (cpu-slicer.ts), so a 1 MB prompt does not hold the event loop for the tens
 * of milliseconds its count takes. The synchronous forms suit short texts and tests.
 *
 * `estimate*` are ceil(characters / 4) in the same formula: ~0.2 µs per 1 KB prompt, but
 * measured against o200k it is +5% on Markdown, +30% on English prose and −60% on Chinese.
 */
@Injectable()
export class TokenCounter {
  /** The encoding a provider kind + model is counted with. */
  encodingFor(providerKind: ProviderKind, model: string): TokenEncoding {
    return encodingFor(providerKind, model);
  }

  /** Tokens of plain text (no message framing), o200k_base unless told. */
  countText(text: string, encoding: TokenEncoding = 'o200k_base'): number {
    return counterFor(encoding).count(text);
  }

  /**
   * Prompt tokens of a chat request on a provider kind + model: messages with OpenAI's
   * per-message overhead, tool definitions, JSON-schema response format and flat image
   * estimates (formula in chat-prompt-tokens.ts).
   */
  countPrompt(request: ChatRequest, providerKind: ProviderKind, model: string): number {
    const encoding = encodingFor(providerKind, model);
    const counter = counterFor(encoding);
    const toolInit = encoding === 'cl100k_base' ? TOOL_INIT_CL100K : TOOL_INIT_O200K;
    return countChatPrompt(request, (text) => counter.count(text), toolInit);
  }

  /** {@link countPrompt} in slices that yield to the event loop (one slicer per call). */
  async countPromptAsync(
    request: ChatRequest,
    providerKind: ProviderKind,
    model: string,
    slicer: CpuSlicer = new CpuSlicer(),
  ): Promise<number> {
    const encoding = encodingFor(providerKind, model);
    const counter = counterFor(encoding);
    const toolInit = encoding === 'cl100k_base' ? TOOL_INIT_CL100K : TOOL_INIT_O200K;
    const parts = chatPromptParts(request, toolInit);
    await slicer.pause(); // reading the body (JSON of large tool schemas) is work too
    let tokens = parts.fixed;
    for (const text of parts.texts) tokens += await counter.countAsync(text, slicer);
    return tokens;
  }

  /** Input tokens of an embeddings request (token-id inputs count as given). */
  countEmbeddingInput(
    request: EmbeddingRequest,
    providerKind: ProviderKind,
    model: string,
  ): number {
    const counter = counterFor(encodingFor(providerKind, model));
    return embeddingInputTokens(request.input, (text) => counter.count(text));
  }

  /** {@link countEmbeddingInput} in slices that yield to the event loop. */
  async countEmbeddingInputAsync(
    request: EmbeddingRequest,
    providerKind: ProviderKind,
    model: string,
    slicer: CpuSlicer = new CpuSlicer(),
  ): Promise<number> {
    const counter = counterFor(encodingFor(providerKind, model));
    const input: unknown = request.input;
    if (typeof input === 'string') return counter.countAsync(input, slicer);
    let tokens = 0;
    for (const item of Array.isArray(input) ? (input as unknown[]) : []) {
      if (typeof item === 'string') tokens += await counter.countAsync(item, slicer);
      else tokens += Array.isArray(item) ? item.length : 1;
    }
    return tokens;
  }

  /** ceil(characters / 4): the cheap estimate of a text. */
  estimateText(text: string): number {
    return Math.ceil(text.length / CHARS_PER_TOKEN);
  }

  /** The prompt formula of {@link countPrompt} with {@link estimateText} for the texts. */
  estimatePrompt(request: ChatRequest): number {
    return countChatPrompt(request, (text) => this.estimateText(text), TOOL_INIT_O200K);
  }

  /** Builds the encodings now (~0.2 s each) instead of on the first request that needs one. */
  warmUp(encodings: readonly TokenEncoding[] = TOKEN_ENCODINGS): void {
    for (const encoding of encodings) counterFor(encoding);
  }
}

function embeddingInputTokens(input: unknown, count: (t: string) => number): number {
  if (typeof input === 'string') return count(input);
  let tokens = 0;
  // Texts are encoded, a token-id list counts its ids, a lone id one; anything else nothing.
  for (const item of Array.isArray(input) ? (input as unknown[]) : []) {
    if (typeof item === 'string') tokens += count(item);
    else tokens += Array.isArray(item) ? item.length : 1;
  }
  return tokens;
}
