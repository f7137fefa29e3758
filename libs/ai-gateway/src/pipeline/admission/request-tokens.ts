import type { ProviderConfig, ProviderKind } from '../../config/gateway-config.schema';
import type { RouteTarget } from '../../routing/model-resolver.service';
import type { TokenEncoding } from '../../tokens/tiktoken-encodings';
import type { TokenCounter } from '../../tokens/token-counter.service';
import type { ChatRequest } from '../../types/unified';

/** Output tokens assumed for the worst case when a request sets no max_tokens. */
export const DEFAULT_MAX_TOKENS = 4_096;

/**
 * The token worst case of one chat request, shared by everything that holds room for it
 * before the call (rate limits, then the budget of each attempt): prompt tokens counted
 * once per encoding, however many gates, retries and fallbacks ask; output tokens from
 * `max_completion_tokens`, `max_tokens`, the model's configured output limit or
 * {@link DEFAULT_MAX_TOKENS}. One instance per request: the request is not re-read.
 *
 * The request path awaits {@link promptAsync}: a prompt of a megabyte takes tens of
 * milliseconds to count, done in slices that let other requests run in between.
 */
export class RequestTokens {
  private readonly prompts = new Map<TokenEncoding, number>();
  private readonly counting = new Map<TokenEncoding, Promise<number>>();

  constructor(
    readonly request: ChatRequest,
    private readonly counter: TokenCounter,
    private readonly providers: Readonly<Record<string, ProviderConfig>>,
  ) {}

  /** Prompt tokens on the target's tokenizer, counted in slices (once per encoding). */
  promptAsync(target: RouteTarget): Promise<number> {
    const { kind, encoding } = this.encodingOf(target);
    const known = this.prompts.get(encoding);
    if (known !== undefined) return Promise.resolve(known);
    let counting = this.counting.get(encoding);
    if (counting === undefined) {
      counting = this.counter.countPromptAsync(this.request, kind, target.model).then((tokens) => {
        this.prompts.set(encoding, tokens);
        return tokens;
      });
      this.counting.set(encoding, counting);
    }
    return counting;
  }

  /**
   * Prompt tokens on the target's tokenizer in one synchronous call: it holds the event
   * loop for as long as the count takes (tens of ms for a 1 MB prompt). Prefer
   * {@link promptAsync}.
   */
  prompt(target: RouteTarget): number {
    const { kind, encoding } = this.encodingOf(target);
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
      this.modelInfoOf(target)?.maxOutputTokens ??
      DEFAULT_MAX_TOKENS
    );
  }

  private encodingOf(target: RouteTarget): { kind: ProviderKind; encoding: TokenEncoding } {
    const kind = this.providerOf(target)?.kind ?? 'openai';
    return { kind, encoding: this.counter.encodingFor(kind, target.model) };
  }

  /** Own properties only: a model id is the caller's (`constructor` is not a model). */
  private providerOf(target: RouteTarget): ProviderConfig | undefined {
    return Object.hasOwn(this.providers, target.provider)
      ? this.providers[target.provider]
      : undefined;
  }

  private modelInfoOf(target: RouteTarget): { maxOutputTokens?: number } | undefined {
    const modelInfo = this.providerOf(target)?.modelInfo;
    return modelInfo && Object.hasOwn(modelInfo, target.model)
      ? modelInfo[target.model]
      : undefined;
  }
}
