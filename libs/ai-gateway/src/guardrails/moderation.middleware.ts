import type { ModerationConfig } from '../config/guardrails-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { ChatResponse } from '../types/unified';
import type { GatewayMiddleware, MiddlewareContext } from './gateway-middleware';
import { refuse } from './gateway-middleware';
import { ConfiguredGuard } from './configured-guard';
import type { GuardrailCalls, ModerationVerdict } from './guardrail-calls';
import { guardCallOptions } from './guardrail-calls';
import { forEachMessageText } from './message-texts';

/** Texts sent to one moderation call: the most recent ones, each cut to this many characters. */
const MAX_INPUTS = 16;
const MAX_CHARS = 16_000;

/**
 * The built-in `moderation`: the users' messages (and tool results) and, with `output`, the
 * complete answers go to a provider's moderation endpoint (OpenAI's `omni-moderation`, through
 * the gateway's own passthrough). A category at or above its threshold (the route's, else
 * `categories`; with none, the provider's own `flagged`) refuses the request with 400
 * `content_flagged`, naming the category. Streamed answers are not held for it.
 */
export class ModerationGuard
  extends ConfiguredGuard<ModerationConfig>
  implements GatewayMiddleware
{
  readonly name = 'moderation';

  constructor(
    settings: () => ModerationConfig,
    private readonly calls: () => GuardrailCalls,
  ) {
    super(settings);
  }

  async beforeRequest(context: MiddlewareContext): Promise<void> {
    const settings = this.settings();
    if (!settings.input) return;
    const texts: string[] = [];
    forEachMessageText(context.request.messages, (text, role) => {
      if ((role === 'user' || role === 'tool') && text.trim() !== '') texts.push(text);
    });
    const category = await this.check(context, texts.slice(-MAX_INPUTS), 'moderation');
    if (category) {
      context.decide(`blocked:${category}`);
      throw refuse(
        GatewayErrorCode.CONTENT_FLAGGED,
        `The request was refused by moderation (${category})`,
      );
    }
    context.decide('clean');
  }

  async afterResponse(context: MiddlewareContext, response: ChatResponse): Promise<void> {
    if (!this.settings().output) return;
    const texts = response.choices
      .map((c) => c.message.content)
      .filter((t): t is string => typeof t === 'string' && t.trim() !== '');
    const category = await this.check(context, texts, 'moderation-output');
    if (category) {
      context.decide(`blocked-output:${category}`);
      throw refuse(
        GatewayErrorCode.CONTENT_FLAGGED,
        `The answer was withheld by moderation (${category})`,
      );
    }
  }

  /** The first category over its threshold in any of `texts`, or undefined. */
  private async check(
    context: MiddlewareContext,
    texts: string[],
    task: string,
  ): Promise<string | undefined> {
    if (texts.length === 0) return undefined;
    const settings = this.settings();
    const verdicts = await this.calls().moderate(
      settings.model,
      texts.map((t) => t.slice(0, MAX_CHARS)),
      guardCallOptions(context, task),
    );
    const thresholds = (context.route && settings.routes[context.route]) || settings.categories;
    for (const verdict of verdicts) {
      const category = overThreshold(verdict, thresholds);
      if (category) return category;
    }
    return undefined;
  }
}

/** The category of `verdict` at or above its threshold; with no thresholds, a flagged one. */
export function overThreshold(
  verdict: ModerationVerdict,
  thresholds: Readonly<Record<string, number>>,
): string | undefined {
  const names = Object.keys(thresholds);
  if (names.length === 0) {
    if (!verdict.flagged) return undefined;
    return Object.keys(verdict.categories).find((c) => verdict.categories[c]) ?? 'flagged';
  }
  return names.find((c) => (verdict.category_scores[c] ?? 0) >= thresholds[c]);
}
