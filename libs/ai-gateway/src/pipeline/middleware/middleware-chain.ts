import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { GuardrailsConfig } from '../../config/guardrails-config.schema';
import { BUILT_IN_MIDDLEWARE } from '../../config/guardrails-config.schema';
import { GatewayConfigService } from '../../config/gateway-config.service';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import type { GatewayMiddleware } from '../../guardrails/gateway-middleware';
import { GATEWAY_MIDDLEWARE } from '../../guardrails/gateway-middleware';
import type { GuardrailCalls } from '../../guardrails/guardrail-calls';
import { GUARDRAIL_CALLS } from '../../guardrails/guardrail-calls';
import { ModerationGuard } from '../../guardrails/moderation.middleware';
import { InjectionDetector } from '../../guardrails/injection/injection-detector.middleware';
import { PiiScrubber } from '../../guardrails/pii/pii-scrubber.middleware';
import { RequestLogger } from '../../guardrails/request-logger.middleware';
import type { CallOptions } from '../../shared/call-result';
import type { ChatRequest } from '../../types/unified';
import { GuardrailMetrics } from './guardrail-metrics';
import type { RunEntry } from './middleware-run';
import { MiddlewareRun } from './middleware-run';

/**
 * Which middleware a request runs, in which order: its gateway key's list
 * (`guardrails.keys`), else its route's (`guardrails.routes`), else `guardrails.middleware`.
 * Names are the built-ins' and those of the host's middleware (registered through the
 * module options). With no list configured, a host's middleware run in the order it
 * registered them. A request with an empty list costs nothing: no run is made.
 */
@Injectable()
export class MiddlewareChain implements OnModuleInit {
  private readonly logger = new Logger('Guardrails');
  private readonly byName = new Map<string, GatewayMiddleware>();
  private readonly hostNames: string[];
  private guardCalls?: GuardrailCalls;

  constructor(
    private readonly config: GatewayConfigService,
    private readonly metrics: GuardrailMetrics,
    @Optional() @Inject(GATEWAY_MIDDLEWARE) host: readonly GatewayMiddleware[] | null,
    @Optional() private readonly moduleRef?: ModuleRef,
  ) {
    const settings = () => this.config.current.guardrails;
    // The guards' own model calls take the chat and passthrough paths, which run this chain:
    // found when first needed, not injected (that would be a cycle).
    const calls = (): GuardrailCalls => {
      this.guardCalls ??= this.moduleRef?.get<GuardrailCalls>(GUARDRAIL_CALLS, { strict: false });
      if (!this.guardCalls) throw new Error('no GUARDRAIL_CALLS provider');
      return this.guardCalls;
    };
    const builtIns: Record<(typeof BUILT_IN_MIDDLEWARE)[number], GatewayMiddleware> = {
      pii_scrubber: new PiiScrubber(() => settings().pii),
      prompt_injection_detector: new InjectionDetector(() => settings().injection, calls),
      moderation: new ModerationGuard(() => settings().moderation, calls),
      request_logger: new RequestLogger(
        () => settings().requestLogger,
        () => this.config.current.logging.logPrompts,
      ),
    };
    for (const [name, middleware] of Object.entries(builtIns)) this.byName.set(name, middleware);
    this.hostNames = [];
    for (const middleware of host ?? []) {
      if (this.byName.has(middleware.name)) {
        throw new GatewayError(
          GatewayErrorCode.INVALID_CONFIG,
          `Middleware name "${middleware.name}" is registered twice (or is a built-in's)`,
        );
      }
      this.byName.set(middleware.name, middleware);
      this.hostNames.push(middleware.name);
    }
  }

  /** Every name a list uses must be a built-in or a registered middleware. */
  onModuleInit(): void {
    const unknown = this.unknownNames(this.config.current.guardrails);
    if (unknown.length > 0) {
      throw new GatewayError(
        GatewayErrorCode.INVALID_CONFIG,
        `guardrails: unknown middleware ${unknown.map((n) => `"${n}"`).join(', ')} ` +
          `(built-ins: ${BUILT_IN_MIDDLEWARE.join(', ')}; a host registers its own in the module options)`,
      );
    }
    this.config.onChange((next) => {
      const names = this.unknownNames(next.guardrails);
      if (names.length > 0) {
        this.logger.error({
          msg: 'the reloaded configuration names unknown middleware: requests that list them are refused (503)',
          middleware: names,
        });
      }
    });
  }

  /** The request's run, or undefined when it has no middleware. */
  open(
    body: ChatRequest,
    options: CallOptions,
    operation: string,
    route?: string,
  ): MiddlewareRun | undefined {
    if (options.middleware === false) return undefined;
    const names = this.namesFor(options.caller?.keyId, route ?? body.model);
    if (names.length === 0) return undefined;
    const defaults = this.config.current.guardrails;
    const entries: RunEntry[] = names.map((name) => {
      const middleware = this.byName.get(name);
      if (!middleware) {
        throw new GatewayError(
          GatewayErrorCode.GUARDRAIL_UNAVAILABLE,
          `Guardrail ${name} is not registered; the request was not sent`,
          { retryable: false },
        );
      }
      const context: RunEntry['context'] = {
        request: body,
        requestId: options.requestId ?? '',
        operation,
        route,
        caller: options.caller && {
          keyId: options.caller.keyId,
          userId: options.caller.userId,
          teamId: options.caller.teamId,
        },
        ingress: options.ingress,
        state: new Map(),
        decide(decision: string) {
          context.decision = decision;
        },
      };
      return {
        middleware,
        context,
        failMode: middleware.failMode ?? 'open',
        timeoutMs: middleware.timeoutMs ?? defaults.timeoutMs,
      };
    });
    return new MiddlewareRun(entries, { metrics: this.metrics, logger: this.logger });
  }

  /**
   * A request the gateway forwards without reading it (the passthrough endpoints, a natively
   * forwarded Responses call, a file upload) cannot pass its middleware: refused with 400
   * when a middleware of its list fails closed — it would otherwise leave unguarded. Fail-open
   * middleware is skipped.
   */
  assertNoneClosed(options: CallOptions, route: string, what: string): void {
    if (options.middleware === false) return;
    const closed = this.namesFor(options.caller?.keyId, route).filter(
      (name) => (this.byName.get(name)?.failMode ?? 'closed') === 'closed',
    );
    if (closed.length === 0) return;
    throw new GatewayError(
      GatewayErrorCode.UNSUPPORTED_FEATURE,
      `${what} is forwarded as sent, so the guardrails that fail closed for this request ` +
        `(${closed.join(', ')}) cannot inspect it; use /v1/chat/completions, or a guardrails ` +
        'list for this route or key without them',
      { retryable: false },
    );
  }

  private namesFor(keyId: string | undefined, route: string): readonly string[] {
    const guardrails = this.config.current.guardrails;
    const byKey = keyId === undefined ? undefined : guardrails.keys[keyId];
    if (byKey) return byKey;
    const byRoute = guardrails.routes[route];
    if (byRoute) return byRoute;
    return guardrails.middleware.length > 0 || this.hostNames.length === 0
      ? guardrails.middleware
      : this.hostNames;
  }

  private unknownNames(guardrails: GuardrailsConfig): string[] {
    const lists = [
      guardrails.middleware,
      ...Object.values(guardrails.routes),
      ...Object.values(guardrails.keys),
    ];
    return [...new Set(lists.flat())].filter((name) => !this.byName.has(name));
  }
}
