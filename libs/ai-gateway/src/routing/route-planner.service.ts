import { Injectable } from '@nestjs/common';
import type {
  FallbackReason,
  GatewayConfig,
  ModelInfoConfig,
  RouteConfig,
  RoutingStrategy,
} from '../config/gateway-config.schema';
import { HedgeConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { assertModelsAllowed } from '../keys/model-scope';
import type { ChatRequest } from '../types/unified';
import type { CapabilityReason, CapabilitySkip } from './capability.filter';
import type { RequestRequirements } from './strategies/strategy.types';
import { filterByCapability, requirementsOf } from './capability.filter';
import { LatencyTracker } from './latency-tracker.service';
import type { RouteTarget } from './model-resolver.service';
import { ModelResolver } from './model-resolver.service';
import { ROUTING_STRATEGY_FNS } from './strategies/strategy.registry';
import type { Candidate } from './strategies/strategy.types';
import type { Reached } from './scope.filter';
import { filterByScope } from './scope.filter';

/** The routing decision for one request: what to try, in which order, under which policy. */
export interface RoutePlan {
  /** Targets to try in order; never empty. */
  candidates: RouteTarget[];
  /** Targets dropped before any call, with why (capability: `no_tools`, `context_window`, …). */
  skipped: Array<{ target: RouteTarget; reason: string }>;
  /** The route (alias) the request named, also when `chain` replaced its targets. */
  route?: string;
  /** The strategy that ordered `candidates` (`priority` for chains and non-routes). */
  strategy: RoutingStrategy;
  /** The caller named `provider/model` (fallback targets only with `allowFallback`). */
  explicit: boolean;
  /** Failure kinds that move on to the next candidate. Shared with the config: read only. */
  fallbackOn: FallbackReason[];
  retryBeforeFallback: boolean;
  /** Total budget over every attempt and backoff. */
  deadlineMs: number;
  /** Hedging settings (disabled outside routes that enable it). Shared with the config. */
  hedge: HedgeConfig;
}

export interface PlanOptions {
  /**
   * The caller's own chain (header or body field), replacing the resolution: entries are
   * `provider/model`, route names (their enabled targets, in config order) or bare models,
   * tried in the order given, duplicates once. The named route's policy still applies.
   */
  chain?: string[];
  /** With an explicit `provider/model`: add the other enabled providers listing that model. */
  allowFallback?: boolean;
  /** Uniform in [0, 1) for the weighted and latency strategies; default `Math.random`. */
  random?: () => number;
  /**
   * The caller's model scope (its key's `allowedModels`; absent = any). The named model
   * and chain entries must be in it (403), and so must every candidate the plan adds
   * (fallback providers): those outside it are skipped, and 403 when none is left.
   */
  scope?: readonly string[];
}

const NO_HEDGE: HedgeConfig = Object.freeze(new HedgeConfig());

/** OpenAI's `param` for each reason: the request field the unmet requirement comes from. */
const PARAM_OF: Readonly<Record<CapabilityReason, string>> = {
  no_tools: 'tools',
  no_json: 'response_format',
  no_vision: 'messages',
  context_window: 'messages',
};

/**
 * Turns a request into a `RoutePlan`: resolves the model (route, explicit target, bare
 * model or the caller's chain), drops the candidates that cannot take the request and
 * orders the rest with the route's strategy. Synchronous and allocation-light: it runs on
 * every request. Breakers, budgets and the attempts themselves are the executor's.
 */
@Injectable()
export class RoutePlanner {
  /** Round-robin turn per route name (bounded by the routes ever configured). */
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly config: GatewayConfigService,
    private readonly latency: LatencyTracker,
    private readonly resolver: ModelResolver,
  ) {}

  /**
   * Plans one request. Throws `MODEL_NOT_FOUND` (from the resolver) for an unknown model
   * or chain entry, and `UNSUPPORTED_FEATURE` when no candidate can take the request.
   */
  plan(request: ChatRequest, options: PlanOptions = {}): RoutePlan {
    const config = this.config.current;
    const model = request.model;
    let route: RouteConfig | undefined;
    let reached: Reached[];
    let explicit = false;
    let strategy: RoutingStrategy = 'priority';
    const chain = options.chain && options.chain.length > 0 ? options.chain : undefined;
    assertModelsAllowed(options.scope, chain ? [model, ...chain] : [model]);

    if (chain) {
      route = own(config.routes, model);
      reached = this.chainCandidates(chain, config);
    } else {
      const resolution = this.resolver.resolve(model);
      explicit = resolution.explicit;
      if (resolution.route !== undefined) {
        route = config.routes[resolution.route];
        strategy = route.strategy;
        reached = reachedVia(model, routeCandidates(route, resolution.targets, config));
      } else if (explicit && options.allowFallback) {
        reached = withFallbacks(resolution.targets[0], config);
      } else {
        const targets = resolution.targets.map((target, i) => toCandidate(target, i, config));
        reached = reachedVia(model, targets);
      }
    }

    const scoped = filterByScope(reached, options.scope, model);
    const requirements = requirementsOf(request);
    const { kept, skipped } = filterByCapability(scoped.kept, requirements);
    if (kept.length === 0) throw noCandidate(model, skipped, requirements, config);

    const ordered =
      kept.length < 2
        ? kept
        : ROUTING_STRATEGY_FNS[strategy](kept, {
            requirements,
            stream: request.stream === true,
            latency: this.latency,
            random: options.random ?? Math.random,
            rotation: strategy === 'round-robin' && route ? this.nextTurn(route.name) : 0,
          });

    return {
      candidates: ordered.map((candidate) => candidate.target),
      skipped: [...scoped.skipped, ...skipped],
      route: route?.name,
      strategy,
      explicit,
      fallbackOn: route?.fallbackOn ?? config.routing.fallbackOn,
      retryBeforeFallback: route?.retryBeforeFallback ?? false,
      deadlineMs: route?.deadlineMs ?? config.routing.deadlineMs,
      hedge: route?.hedge ?? NO_HEDGE,
    };
  }

  /** Each chain entry's targets, reached through that entry (its scope grant). */
  private chainCandidates(chain: string[], config: GatewayConfig): Reached[] {
    const seen = new Set<string>();
    const reached: Reached[] = [];
    for (const entry of chain) {
      for (const target of this.resolver.resolve(entry).targets) {
        const key = `${target.provider}/${target.model}`;
        if (seen.has(key)) continue;
        seen.add(key);
        reached.push({ candidate: toCandidate(target, reached.length, config), via: entry });
      }
    }
    return reached;
  }

  private nextTurn(route: string): number {
    const turn = this.turns.get(route) ?? 0;
    this.turns.set(route, turn + 1);
    return turn;
  }
}

function toCandidate(
  target: RouteTarget,
  index: number,
  config: GatewayConfig,
  weight?: number,
): Candidate {
  return {
    target,
    index,
    info: infoOf(target, config),
    weight,
  };
}

/**
 * A config map entry, never an inherited property: model and route names come from
 * requests, and `constructor` or `__proto__` must not look like a configured one.
 */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function infoOf(target: RouteTarget, config: GatewayConfig): ModelInfoConfig | undefined {
  const provider = own(config.providers, target.provider);
  return provider && own(provider.modelInfo, target.model);
}

/**
 * Candidates of a route, with each target's weight. The resolver drops disabled providers,
 * so weights are matched by walking the configured targets alongside the enabled ones.
 */
function routeCandidates(
  route: RouteConfig,
  targets: RouteTarget[],
  config: GatewayConfig,
): Candidate[] {
  const weights = route.weights;
  if (!weights) return targets.map((target, index) => toCandidate(target, index, config));
  let position = 0;
  return targets.map((target, index) => {
    const name = `${target.provider}/${target.model}`;
    while (position < route.targets.length && route.targets[position] !== name) position += 1;
    const weight = weights[position];
    position += 1;
    return toCandidate(target, index, config, weight);
  });
}

/** Candidates all reached through the one name the caller asked for. */
function reachedVia(name: string, candidates: Candidate[]): Reached[] {
  return candidates.map((candidate) => ({ candidate, via: name }));
}

/**
 * The named target, then every other enabled provider whose `models` lists the same id.
 * The caller named only the first: the others are reached through their own names.
 */
function withFallbacks(named: RouteTarget, config: GatewayConfig): Reached[] {
  const others = Object.values(config.providers)
    .filter((p) => p.enabled && p.name !== named.provider && p.models.includes(named.model))
    .sort((a, b) => a.priority - b.priority);
  return [
    { candidate: toCandidate(named, 0, config), via: `${named.provider}/${named.model}` },
    ...others.map((p, i) => ({
      candidate: toCandidate({ provider: p.name, model: named.model }, i + 1, config),
      via: `${p.name}/${named.model}`,
    })),
  ];
}

function noCandidate(
  model: string,
  skipped: CapabilitySkip[],
  needs: RequestRequirements,
  config: GatewayConfig,
): GatewayError {
  const why = skipped.map(({ target, reason }) => {
    const name = `${target.provider}/${target.model}`;
    switch (reason) {
      case 'no_tools':
        return `${name} does not support tools`;
      case 'no_json':
        return `${name} does not support JSON output`;
      case 'no_vision':
        return `${name} does not accept images`;
      case 'context_window': {
        const window = infoOf(target, config)?.contextWindow;
        return `${name} has a ${window}-token context window, the request needs about ${needs.promptTokens} + ${needs.maxOutputTokens} (max output)`;
      }
    }
  });
  return new GatewayError(
    GatewayErrorCode.UNSUPPORTED_FEATURE,
    `No model for "${model}" can take this request: ${why.join('; ')}`,
    { param: skipped.length > 0 ? PARAM_OF[skipped[0].reason] : 'model' },
  );
}
