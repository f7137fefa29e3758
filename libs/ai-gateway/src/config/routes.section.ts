import { defineConfigSection } from './config-section';
import { ownKeyed } from './own-keyed';
import { RouteConfig } from './routing-config.schema';

/**
 * `routes`: named aliases a request may ask for, each a list of `provider/model` targets
 * (`fast: [a/x, b/y]` is short for `fast: { targets: [a/x, b/y] }`).
 */
export const routesSection = defineConfigSection({
  key: 'routes',
  ownKeyedMaps: [''],
  build: (section, context) => {
    const routes = ownKeyed<RouteConfig>();
    for (const [name, value, path] of context.entries(section, 'routes')) {
      const entry = Array.isArray(value) ? { targets: value } : context.mapping(value, path);
      routes[name] = context.validate(RouteConfig, { ...entry, name }, path);
    }
    return routes;
  },
  check: (routes, { providers }, context) => {
    for (const [name, route] of Object.entries(routes)) {
      if (route.weights && route.weights.length !== route.targets.length) {
        context.report(
          `routes.${name}.weights: needs one weight per target (${route.targets.length})`,
        );
      }
      if (route.strategy === 'weighted' && !route.weights) {
        context.report(`routes.${name}.weights: required by the weighted strategy`);
      }
      route.targets.forEach((target, index) => {
        const provider = target.split('/')[0];
        if (!providers[provider]) {
          context.report(
            `routes.${name}.targets[${index}]: unknown provider "${provider}" in "${target}"`,
          );
        }
      });
    }
  },
});
