import type { ProviderConfig } from '../config/gateway-config.schema';
import type { RouteTarget } from '../routing/model-resolver.service';
import type { TokenEncoding } from '../tokens/tiktoken-encodings';
import type { TokenCounter } from '../tokens/token-counter.service';
import type { ChatRequest } from '../types/unified';

/** Output tokens assumed for the worst case when a request sets no max_tokens. */
export const DEFAULT_MAX_TOKENS = 4_096;

/**
 * The token worst case of one chat request, shared by everything that holds room for it
 * before the call (rate limits, then the budget of each attempt): prompt tokens counted
 * once per encoding, however many gates, retries and fallbacks ask; output tokens from
 * `max_completion_tokens`, `max_tokens`, the model's configured output limit or
 * {@link DEFAULT_MAX_TOKENS}. One instance per request: the request is not re-read.
 */
export class RequestTokens {
  private readonly prompts = new Map<TokenEncoding, number>();

  constructor(
    readonly request: ChatRequest,
    private readonly counter: TokenCounter,
    private readonly providers: Readonly<Record<string, ProviderConfig>>,
  ) {}

  /** Prompt tokens on the target's tokenizer. */
  prompt(target: RouteTarget): number {
    const kind = this.providers[target.provider]?.kind ?? 'openai';
    const encoding = this.counter.encodingFor(kind, target.model);
    let tokens = this.prompts.get(encoding);
    if (tokens === undefined) {
      tokens = this.counter.countPrompt(this.request, kind, target.model);
      this.prompts.set(encoding, tokens);
    }
    return tokens;
  }

  /** The most output tokens the call may produce on the target. */
  maxOutput(target: RouteTarget): number {
    return (
      this.request.max_completion_tokens ??
      this.request.max_tokens ??
      this.providers[target.provider]?.modelInfo[target.model]?.maxOutputTokens ??
      DEFAULT_MAX_TOKENS
    );
  }
}
