import { Injectable } from '@nestjs/common';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';

/** One place a request can be sent: a provider (config name) and its own model id. */
export interface RouteTarget {
  provider: string;
  model: string;
}

export interface Resolution {
  /** Candidates in order of preference. */
  targets: RouteTarget[];
  /** The route (alias) name when the model named one. */
  route?: string;
  /** True when the caller named `provider/model`: no silent fallback to others. */
  explicit: boolean;
}

/**
 * Maps a requested model name to candidate targets: a configured route (alias), an
 * explicit `provider/model`, or a bare model id served by one or more providers.
 */
@Injectable()
export class ModelResolver {
  constructor(private readonly config: GatewayConfigService) {}

  resolve(model: string): Resolution {
    const { routes, providers } = this.config.current;
    const route = Object.hasOwn(routes, model) ? routes[model] : undefined;
    if (route) {
      const targets = route.targets.map(splitTarget).filter((t) => providers[t.provider]?.enabled);
      if (targets.length === 0) throw notFound(model, `route "${model}" has no enabled provider`);
      return { targets, route: model, explicit: false };
    }

    const slash = model.indexOf('/');
    if (slash > 0) {
      const prefix = model.slice(0, slash);
      const provider = Object.hasOwn(providers, prefix) ? providers[prefix] : undefined;
      if (provider) {
        if (!provider.enabled) throw notFound(model, `provider "${provider.name}" is disabled`);
        const id = model.slice(slash + 1);
        if (provider.models.length > 0 && !provider.models.includes(id)) {
          throw notFound(model, `provider "${provider.name}" does not serve "${id}"`);
        }
        return { targets: [{ provider: provider.name, model: id }], explicit: true };
      }
    }

    const serving = Object.values(providers)
      .filter((p) => p.enabled && p.models.includes(model))
      .sort((a, b) => a.priority - b.priority)
      .map((p) => ({ provider: p.name, model }));
    if (serving.length > 0) return { targets: serving, explicit: false };
    throw notFound(
      model,
      'use "provider/model", a configured route, or a model listed by GET /v1/models',
    );
  }
}

function splitTarget(target: string): RouteTarget {
  const slash = target.indexOf('/');
  return { provider: target.slice(0, slash), model: target.slice(slash + 1) };
}

function notFound(model: string, why: string): GatewayError {
  return new GatewayError(
    GatewayErrorCode.MODEL_NOT_FOUND,
    `The model "${model}" does not exist: ${why}`,
    {
      param: 'model',
    },
  );
}
