import { defineConfigSection, sectionValue } from '@ai-gateway/core';
import type { GatewayConfig } from '@ai-gateway/core';
import { TasksConfig } from './tasks-config.schema';

/** A map without a prototype: a task named `constructor` or `__proto__` is just a name. */
function ownKeyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * `tasks`: the task engine's section — models per task, what runs inline, YAML task
 * definitions, the queue, workers, webhooks and file readers. Pass it where the
 * configuration is loaded (`loadGatewayConfig({ sections: [tasksSection] })`,
 * `AiGatewayModule.forRoot({ configSections: [tasksSection] })`); without it a `tasks:` key
 * in the file is an unknown key.
 */
export const tasksSection = defineConfigSection({
  key: 'tasks',
  ownKeyedMaps: ['routes'],
  build: (section, context) => {
    // Routes are read apart: a task may be named like a prototype member (`constructor`),
    // which class-transformer would take for one.
    const { routes: named, ...rest } = section;
    const tasks = context.validate(TasksConfig, rest, 'tasks');
    const routes = ownKeyed<string>();
    for (const [task, model, path] of context.entries(named, 'tasks.routes')) {
      if (typeof model !== 'string' || model === '') {
        context.report(`${path}: must be a model or route name`);
      } else routes[task] = model;
    }
    tasks.routes = routes;
    return tasks;
  },
  check: (tasks, { redis }, context) => {
    if (tasks.queue.driver === 'bullmq' && !tasks.queue.redisUrl && !redis) {
      context.report(
        'tasks.queue.driver: bullmq needs tasks.queue.redisUrl or redis.url (or REDIS_URL); use auto or in-process without one',
      );
    }
  },
});

/** The defaults, for a configuration loaded without the section (see `tasksConfigOf`). */
let defaults: TasksConfig | undefined;

/**
 * The `tasks` section of a loaded configuration. A host that loads its configuration
 * without `tasksSection` has no `tasks:` key in it (the loader would have refused one), so
 * it gets what the section gives an absent key: the defaults (tasks on the `resume` route,
 * the in-process queue without Redis).
 */
export function tasksConfigOf(config: GatewayConfig): TasksConfig {
  const loaded = sectionValue(config, tasksSection) as TasksConfig | undefined;
  if (loaded) return loaded;
  if (!defaults) {
    const built = new TasksConfig();
    built.routes = ownKeyed<string>();
    // Shared by every such configuration: nobody may change them for the others.
    defaults = deepFreeze(built);
  }
  return defaults;
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === 'object') deepFreeze(inner as object);
  }
  return Object.freeze(value);
}
