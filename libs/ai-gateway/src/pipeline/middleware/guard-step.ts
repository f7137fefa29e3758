import { Injectable } from '@nestjs/common';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatStream } from '../../shared/call-result';
import type { ChatRequest, ChatResponse } from '../../types/unified';
import type { OpenRequest } from '../request-ledger';
import { GuardedStream } from './guarded-stream';
import { MiddlewareChain } from './middleware-chain';
import type { MiddlewareRun } from './middleware-run';

/**
 * The middleware's place in the chat path: after admission and before the cache (so a
 * refusal calls no provider and the cache keys what is actually sent), and around the answer
 * — complete or streamed, from a provider or the cache. Every decision lands in the
 * request's meta (`x-gateway-guardrails`, its usage row).
 */
@Injectable()
export class GuardStep {
  constructor(private readonly chain: MiddlewareChain) {}

  /** The request's run, or undefined when no middleware applies (nothing else is done then). */
  open(body: ChatRequest, request: OpenRequest): MiddlewareRun | undefined {
    return this.chain.open(body, request.options, request.operation, request.meta.route);
  }

  /** The request as the middleware leave it; a refusal or a fail-closed failure is thrown. */
  async before(run: MiddlewareRun, body: ChatRequest, request: OpenRequest): Promise<ChatRequest> {
    try {
      return await run.before(body);
    } finally {
      request.meta.guardrails = run.decisions();
    }
  }

  /**
   * The answer the caller gets: a copy of `response` through the `afterResponse` hooks — the
   * original (the provider's, or the cache's entry) stays as it is, for the cache.
   */
  async deliver(
    run: MiddlewareRun,
    response: ChatResponse,
    request: OpenRequest,
  ): Promise<ChatResponse> {
    if (!run.changesAnswers) return response;
    const copy = structuredClone(response);
    try {
      await run.after(copy);
    } finally {
      request.meta.guardrails = run.decisions();
    }
    return copy;
  }

  /** The stream the caller reads: its fields through the middleware's transforms. */
  stream(run: MiddlewareRun, stream: ChatStream): ChatStream {
    return new GuardedStream(stream, run);
  }

  /**
   * A failed request: the `onError` hooks (in the background), and the decisions on the error
   * as `x-gateway-guardrails` (a refusal says which middleware refused).
   */
  failed(run: MiddlewareRun | undefined, error: unknown, request: OpenRequest | undefined): void {
    if (!run) return;
    run.failed(error);
    const decisions = request?.meta.guardrails ?? run.decisions();
    if (decisions && error instanceof GatewayError) {
      error.headers = { ...error.headers, 'x-gateway-guardrails': decisions };
    }
  }
}
