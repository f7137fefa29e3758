import type { ProviderKind } from '../config/gateway-config.schema';
import type { BpeRanks } from './bpe-counter';
import { BpeCounter } from './bpe-counter';

/** The tiktoken encodings the gateway counts with. */
export const TOKEN_ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
export type TokenEncoding = (typeof TOKEN_ENCODINGS)[number];

/**
 * The ranks ship inside js-tiktoken: nothing is downloaded. They are loaded on first use
 * (~18 MB resident), so a gateway that never counts tokens (no budgets, no TPM limits)
 * does not carry them.
 */
const RANKS: Readonly<Record<TokenEncoding, () => BpeRanks>> = {
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose */
  o200k_base: () => ranksOf(require('js-tiktoken/ranks/o200k_base')),
  cl100k_base: () => ranksOf(require('js-tiktoken/ranks/cl100k_base')),
  /* eslint-enable @typescript-eslint/no-require-imports */
};

/** The ranks of a required module (CommonJS object, or an ES default export). */
function ranksOf(module: unknown): BpeRanks {
  const loaded = module as BpeRanks & { default?: BpeRanks };
  return loaded.default ?? loaded;
}

/** Kinds whose model ids are OpenAI's, so the model decides the encoding. */
const OPENAI_KINDS: ReadonlySet<ProviderKind> = new Set(['openai', 'openai-compatible']);

/** GPT-4o, 4.1, 4.5 and ChatGPT models use o200k even though they start with `gpt-4`. */
const O200K_GPT4 = /^(?:gpt-4o|gpt-4\.|chatgpt-)/;
/** GPT-3.5, the original GPT-4 family and the embedding models use cl100k. */
const CL100K = /^(?:gpt-3\.5|gpt-35|gpt-4(?:-|$)|text-embedding-(?:ada-002|3-))/;

/**
 * The encoding to count a model's tokens with: cl100k_base for GPT-3.5, GPT-4 (and
 * -turbo) and OpenAI's embedding models; o200k_base for GPT-4o, 4.1, the o-series, GPT-5,
 * unknown OpenAI models and every other provider (an approximation there: Anthropic,
 * Google and Mistral use tokenizers of their own).
 */
export function encodingFor(kind: ProviderKind, model: string): TokenEncoding {
  if (!OPENAI_KINDS.has(kind)) return 'o200k_base';
  // OpenAI-compatible routers name models `openai/gpt-4o`.
  const id = model.toLowerCase().replace(/^openai\//, '');
  if (O200K_GPT4.test(id)) return 'o200k_base';
  return CL100K.test(id) ? 'cl100k_base' : 'o200k_base';
}

/**
 * Built counters, shared by every TokenCounter: building one takes ~0.2 s and ~15–35 MB,
 * and they are immutable once built.
 */
const counters = new Map<TokenEncoding, BpeCounter>();

/** The counter of `encoding`, built on first use. */
export function counterFor(encoding: TokenEncoding): BpeCounter {
  let counter = counters.get(encoding);
  if (!counter) {
    counter = new BpeCounter(RANKS[encoding]());
    counters.set(encoding, counter);
  }
  return counter;
}
