import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GatewayConfigService } from '../../config/gateway-config.service';
import { assertModelsAllowed } from '../../keys/model-scope';
import { ModelResolver } from '../../routing/model-resolver.service';
import type { RoutePlan } from '../../routing/route-planner.service';
import { RoutePlanner } from '../../routing/route-planner.service';
import type { CallOptions } from '../../shared/call-result';
import { TokenCounter } from '../../tokens/token-counter.service';
import type { ChatRequest, EmbeddingRequest } from '../../types/unified';
import type { Execution } from '../execution/execution.types';
import { BudgetGate } from './budget-gate';
import { takeGatewayOptions } from './gateway-options';
import type { RateLimitAdmission } from './rate-limit-gate';
import { RateLimitGate } from './rate-limit-gate';
import { RequestTokens } from './request-tokens';
import { validateChatRequest, validateEmbeddingRequest } from './request.validator';

/** Call options that carry a request id (generated when the caller gave none). */
export type IdentifiedOptions = CallOptions & { requestId: string };

/** A request past every check before routing, with its rate-limit hold. */
export interface Admitted<B> {
  body: B;
  options: CallOptions;
  plan: RoutePlan;
  limit?: Extract<RateLimitAdmission, { kind: 'go' }>;
}

/** A chat request admitted, with its budget hooks: a reservation before each attempt. */
export interface AdmittedChat extends Admitted<ChatRequest> {
  budget: Pick<Execution<unknown>, 'reserve' | 'release'>;
}

/** The call options with a request id (generated when the caller gave none). */
export function withRequestId(options: CallOptions): IdentifiedOptions {
  return options.requestId
    ? (options as IdentifiedOptions)
    : { ...options, requestId: randomUUID() };
}

/**
 * Everything before the first provider call: validate, take the body's gateway options,
 * check the caller's model scope, plan the route, take the rate limits (or move to the
 * route's fallback model when they are full), and arm the budget reservations the
 * attempts will make. A refusal is thrown; the pipeline books it (its usage row).
 */
@Injectable()
export class RequestAdmission {
  constructor(
    private readonly config: GatewayConfigService,
    private readonly planner: RoutePlanner,
    private readonly resolver: ModelResolver,
    private readonly limits: RateLimitGate,
    private readonly tokens: TokenCounter,
    private readonly budgets: BudgetGate,
  ) {}

  async chat(request: unknown, identified: IdentifiedOptions): Promise<AdmittedChat> {
    // The concurrency lease and budget holds are keyed by an id of the gateway's own: a
    // request id a caller (or host) chose may repeat, and must never merge two requests'
    // leases or collide with another request's reservation.
    const admissionId = randomUUID();
    validateChatRequest(request);
    const taken = takeGatewayOptions(request, identified);
    const options = taken.options;
    let body = taken.body;
    // Counted once for every gate and attempt (the fallback model keeps the messages).
    const tokens = new RequestTokens(body, this.tokens, this.config.current.providers);
    for (let fallbacks = 0; ; fallbacks++) {
      assertModelsAllowed(options.caller?.allowedModels, [body.model, ...(options.chain ?? [])]);
      const plan = this.planner.plan(body, {
        chain: options.chain,
        allowFallback: options.allowFallback,
        scope: options.caller?.allowedModels,
      });
      const admission = await this.limits.admit(
        body,
        options,
        plan,
        admissionId,
        fallbacks === 0,
        tokens,
      );
      if (admission.kind === 'go') {
        return {
          body,
          options,
          plan,
          limit: admission,
          budget: this.budgetHooks(tokens, options, admissionId),
        };
      }
      body = { ...body, model: admission.model };
    }
  }

  /** Embeddings: the model's targets in priority order (no strategy, no hedging, no budgets). */
  async embeddings(
    request: unknown,
    options: IdentifiedOptions,
  ): Promise<Admitted<EmbeddingRequest>> {
    validateEmbeddingRequest(request);
    const body = request;
    assertModelsAllowed(options.caller?.allowedModels, [body.model]);
    const resolution = this.resolver.resolve(body.model);
    const plan: RoutePlan = {
      candidates: resolution.targets,
      skipped: [],
      route: resolution.route,
      strategy: 'priority',
      explicit: resolution.explicit,
      fallbackOn: this.config.current.routing.fallbackOn,
      retryBeforeFallback: false,
      deadlineMs: this.config.current.routing.deadlineMs,
      hedge: { enabled: false, minDelayMs: 50 },
    };
    // Leases and holds are keyed by ids of our own: a caller's id may repeat.
    const admission = await this.limits.admit(body, options, plan, randomUUID(), false);
    return { body, options, plan, limit: admission.kind === 'go' ? admission : undefined };
  }

  /** Budget hooks of a chat request: reserve per attempt (ids of our own), release on failure. */
  private budgetHooks(
    tokens: RequestTokens,
    options: CallOptions,
    admissionId: string,
  ): AdmittedChat['budget'] {
    let attempt = 0;
    return {
      reserve: (target) =>
        this.budgets.reserve(tokens, options, target, `${admissionId}#${attempt++}`),
      release: (hold) => this.budgets.release(hold),
    };
  }
}
