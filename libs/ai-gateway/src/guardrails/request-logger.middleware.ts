import { Logger } from '@nestjs/common';
import type { RequestLoggerConfig } from '../config/guardrails-config.schema';
import type { ChatResponse } from '../types/unified';
import type { GatewayMiddleware, MiddlewareContext } from './gateway-middleware';
import { forEachMessageText } from './message-texts';

const SAMPLED = 'sampled';
const STARTED = 'started';
const PROMPT_CHARS = 2_000;

/**
 * The built-in `request_logger`: one structured line when a request goes out and one when
 * its answer comes back, for a share of requests (`sampleRate`, decided by the request id so
 * both lines of a request are kept or neither). Counts and ids only; the last user message
 * (cut to 2,000 characters, after the middleware before it — a scrubber's placeholders, not
 * the data) only while `logging.logPrompts` is on.
 */
export class RequestLogger implements GatewayMiddleware {
  readonly name = 'request_logger';
  readonly failMode = 'open' as const;

  constructor(
    private readonly settings: () => RequestLoggerConfig,
    private readonly logPrompts: () => boolean,
    private readonly logger: Pick<Logger, 'log'> = new Logger('RequestLogger'),
  ) {}

  beforeRequest(context: MiddlewareContext): void {
    if (!sampled(context.requestId, this.settings().sampleRate)) return;
    context.state.set(SAMPLED, true);
    context.state.set(STARTED, Date.now());
    const { request } = context;
    let chars = 0;
    let lastUser: string | undefined;
    forEachMessageText(request.messages, (text, role) => {
      chars += text.length;
      if (role === 'user') lastUser = text;
    });
    this.logger.log({
      msg: 'request',
      requestId: context.requestId,
      operation: context.operation,
      ingress: context.ingress,
      model: request.model,
      route: context.route,
      keyId: context.caller?.keyId,
      messages: request.messages.length,
      textChars: chars,
      tools: Array.isArray(request.tools) ? request.tools.length : 0,
      ...(this.logPrompts() && lastUser !== undefined
        ? { prompt: lastUser.slice(0, PROMPT_CHARS) }
        : {}),
    });
  }

  afterResponse(context: MiddlewareContext, response: ChatResponse): void {
    if (!context.state.get(SAMPLED)) return;
    const first = response.choices[0];
    this.logger.log({
      msg: 'response',
      requestId: context.requestId,
      model: response.model,
      finishReasons: response.choices.map((c) => c.finish_reason),
      promptTokens: response.usage?.prompt_tokens,
      completionTokens: response.usage?.completion_tokens,
      toolCalls: first?.message.tool_calls?.length ?? 0,
      ms: Date.now() - (context.state.get(STARTED) as number),
      ...(this.logPrompts() && typeof first?.message.content === 'string'
        ? { completion: first.message.content.slice(0, PROMPT_CHARS) }
        : {}),
    });
  }

  afterStream(context: MiddlewareContext, completed: boolean): void {
    if (!context.state.get(SAMPLED)) return;
    this.logger.log({
      msg: 'response',
      requestId: context.requestId,
      stream: true,
      completed,
      ms: Date.now() - (context.state.get(STARTED) as number),
    });
  }
}

/** Whether a request is in the sample: a hash of its id against the rate (stable per request). */
export function sampled(requestId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  let hash = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i++) {
    hash = Math.imul(hash ^ requestId.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0) / 0x1_0000_0000 < rate;
}
