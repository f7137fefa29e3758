import { defineConfigSection } from './config-section';
import { GuardrailsConfig, MIDDLEWARE_NAME } from './guardrails-config.schema';
import { ownKeyed } from './own-keyed';
import type { SectionContext } from './section-context';

/**
 * `guardrails`: the middleware lists (global, per route, per key) and the built-ins'
 * settings. Names are checked for shape here; whether each is a built-in or a host's
 * registered middleware is checked when the module starts (hosts register theirs there).
 */
export const guardrailsSection = defineConfigSection({
  key: 'guardrails',
  ownKeyedMaps: ['routes', 'keys', 'moderation.categories', 'moderation.routes'],
  build: (section, context) => {
    const { routes, keys, moderation, ...rest } = section;
    const {
      categories,
      routes: moderated,
      ...moderationRest
    } = context.mapping(moderation, 'guardrails.moderation');
    const guardrails = context.validate(
      GuardrailsConfig,
      { ...rest, moderation: moderationRest },
      'guardrails',
    );
    guardrails.routes = namedLists(routes, 'guardrails.routes', context);
    guardrails.keys = namedLists(keys, 'guardrails.keys', context);
    guardrails.moderation.categories = thresholds(
      categories,
      'guardrails.moderation.categories',
      context,
    );
    guardrails.moderation.routes = ownKeyed<Record<string, number>>();
    for (const [name, entry, at] of context.entries(moderated, 'guardrails.moderation.routes')) {
      guardrails.moderation.routes[name] = thresholds(entry, at, context);
    }
    for (const [at, list] of [
      ['guardrails.middleware', guardrails.middleware],
      ...Object.entries(guardrails.routes).map(([name, l]) => [`guardrails.routes.${name}`, l]),
      ...Object.entries(guardrails.keys).map(([name, l]) => [`guardrails.keys.${name}`, l]),
    ] as Array<[string, string[]]>) {
      const seen = new Set<string>();
      for (const name of list) {
        if (seen.has(name)) context.report(`${at}: "${name}" is listed twice`);
        seen.add(name);
      }
    }
    return guardrails;
  },
  check: (guardrails, { routes }, context) => {
    for (const name of Object.keys(guardrails.routes)) {
      if (!routes[name]) context.report(`guardrails.routes.${name}: no route of that name`);
    }
    for (const name of Object.keys(guardrails.moderation.routes)) {
      if (!routes[name]) {
        context.report(`guardrails.moderation.routes.${name}: no route of that name`);
      }
    }
  },
});

/** Category → score thresholds (0–1), without a prototype. */
function thresholds(value: unknown, path: string, context: SectionContext): Record<string, number> {
  const out = ownKeyed<number>();
  for (const [name, entry, at] of context.entries(value, path)) {
    if (typeof entry === 'number' && entry >= 0 && entry <= 1) out[name] = entry;
    else context.report(`${at}: must be a score from 0 to 1`);
  }
  return out;
}

/** A name-keyed mapping of middleware name lists, without a prototype. */
function namedLists(
  value: unknown,
  path: string,
  context: SectionContext,
): Record<string, string[]> {
  const lists = ownKeyed<string[]>();
  for (const [name, entry, at] of context.entries(value, path)) {
    if (!Array.isArray(entry)) {
      context.report(`${at}: must be a list of middleware names`);
      continue;
    }
    const names: string[] = [];
    entry.forEach((item: unknown, index) => {
      if (typeof item === 'string' && MIDDLEWARE_NAME.test(item)) names.push(item);
      else context.report(`${at}[${index}]: not a middleware name`);
    });
    lists[name] = names;
  }
  return lists;
}
