import type { FailMode } from '../config/guardrails-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { ChatRequest, ChatResponse } from '../types/unified';

/** The codes a middleware may refuse a request with (HTTP 400 in the API's error shape). */
export type RefusalCode =
  | GatewayErrorCode.PII_DETECTED
  | GatewayErrorCode.PROMPT_INJECTION_DETECTED
  | GatewayErrorCode.CONTENT_FLAGGED;

/** Who is asking, as far as a middleware needs to know. */
export interface MiddlewareCaller {
  keyId?: string;
  userId?: string;
  teamId?: string;
}

/**
 * What a middleware sees of one request. One context per middleware per request: `state`
 * is its own (a placeholder vault, a score), kept from `beforeRequest` to the answer.
 */
export interface MiddlewareContext {
  /**
   * The request as it will be sent: replace it, or change its messages (each message is
   * the request's own copy; the caller's objects are never touched).
   */
  request: ChatRequest;
  readonly requestId: string;
  /** `chat` or `chat_stream`. */
  readonly operation: string;
  /** The route the request named, when it named one. */
  readonly route?: string;
  readonly caller?: MiddlewareCaller;
  /** `chat.completions`, `messages`, `responses`, a task… (the door it came through). */
  readonly ingress?: string;
  /** This middleware's own per-request state. */
  readonly state: Map<string, unknown>;
  /**
   * Records a decision, shown as `name=decision` in `x-gateway-guardrails`, the usage row,
   * the metrics (`masked:2`, `flagged`). The last one a middleware records is kept.
   */
  decide(decision: string): void;
}

/** Where a piece of streamed text belongs: a choice's content or one tool call's arguments. */
export interface StreamField {
  readonly choice: number;
  readonly field: 'content' | 'tool_arguments';
  /** The tool call's index, for `tool_arguments`. */
  readonly toolIndex?: number;
}

/**
 * A per-field transform of a streamed answer. `push` returns the text that may be sent now
 * — it may hold back a tail that could be the start of a pattern spanning chunks (the
 * look-ahead) — and `end` returns what is held when the field ends.
 */
export interface StreamTextTransform {
  push(text: string): string;
  end(): string;
}

/**
 * A gateway middleware (guardrail, transform, logger): hooks around the model call of a chat
 * request, on every door (Chat Completions, Messages, Responses, tasks). Every hook may be
 * async; each call has a time budget (`timeoutMs`, else `guardrails.timeoutMs`) and a
 * failure or timeout follows `failMode`. Built-ins are named in `guardrails.middleware`; a
 * host registers its own as NestJS providers through the module options (`middleware`).
 */
export interface GatewayMiddleware {
  /** The name lists use (`guardrails.middleware`), and the header shows. */
  readonly name: string;
  /** `open` (default for a host's middleware): pass the request when this one fails. */
  readonly failMode?: FailMode;
  /** Time budget of one hook call, in milliseconds. */
  readonly timeoutMs?: number;
  /**
   * Before the cache and the provider: may transform `context.request`, record a decision,
   * or refuse the request by throwing {@link refuse}.
   */
  beforeRequest?(context: MiddlewareContext): void | Promise<void>;
  /** A complete answer (from a provider or the cache), before the caller sees it; may change it. */
  afterResponse?(context: MiddlewareContext, response: ChatResponse): void | Promise<void>;
  /**
   * A streamed answer: the transform of one field's text, made when the field first has
   * text (none: the field passes untouched). Runs synchronously, per chunk.
   */
  streamText?(context: MiddlewareContext, field: StreamField): StreamTextTransform | undefined;
  /** The stream ended (completed or not). */
  afterStream?(context: MiddlewareContext, completed: boolean): void | Promise<void>;
  /** The request failed (a provider error, a refusal by a later middleware, a timeout…). */
  onError?(context: MiddlewareContext, error: GatewayError): void | Promise<void>;
}

/**
 * The error a middleware throws to refuse a request: a 400 with `code`, in the error shape of
 * the API the request came through. No provider is called.
 */
export function refuse(code: RefusalCode, message: string): GatewayError {
  return new GatewayError(code, message, { retryable: false });
}

/**
 * Whether `error` is a middleware's refusal (as opposed to its failure): a refusal code, or a
 * request the middleware cannot handle (`unsupported_feature`, the caller's to change).
 */
export function isRefusal(error: unknown): error is GatewayError {
  return (
    error instanceof GatewayError &&
    (error.code === GatewayErrorCode.PII_DETECTED ||
      error.code === GatewayErrorCode.PROMPT_INJECTION_DETECTED ||
      error.code === GatewayErrorCode.CONTENT_FLAGGED ||
      error.code === GatewayErrorCode.UNSUPPORTED_FEATURE)
  );
}

/**
 * The injection token of a host's middleware (the module options' `middleware` classes,
 * instantiated with the host's DI): a list, in registration order.
 */
export const GATEWAY_MIDDLEWARE = Symbol('GATEWAY_MIDDLEWARE');
