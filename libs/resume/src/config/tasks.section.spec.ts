import {
  GatewayConfigService,
  GatewayError,
  GatewayErrorCode,
  loadGatewayConfig,
} from '@ai-gateway/core';
import type { LoadConfigOptions } from '@ai-gateway/core';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import {
  TaskFilesConfig,
  TaskQueueConfig,
  TasksConfig,
  TaskWebhookConfig,
  TaskWorkerConfig,
} from './tasks-config.schema';
import { tasksConfigOf, tasksSection } from './tasks.section';

const load = (options: LoadConfigOptions = {}) =>
  loadGatewayConfig({ env: {}, ...options, sections: [tasksSection] });

/** The problem lines of the INVALID_CONFIG error `load` throws. */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toMatchObject({ code: GatewayErrorCode.INVALID_CONFIG });
    return (error as Error).message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^\s*- /, ''));
  }
  throw new Error('expected INVALID_CONFIG');
}

/** Fields validated as numbers and as booleans (what `@Numeric()` / `@Flag()` must cover). */
function scalarFieldsOf(type: new () => object): { numbers: string[]; flags: string[] } {
  const rules = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  const pick = (names: readonly string[]): string[] => [
    ...new Set(rules.filter((r) => r.name && names.includes(r.name)).map((r) => r.propertyName)),
  ];
  return { numbers: pick(['isInt', 'isNumber']), flags: pick(['isBoolean']) };
}

describe('tasks config section', () => {
  it('is read only when a host passes it: without it, `tasks:` is an unknown key', () => {
    const config = { tasks: { inlineMaxChars: 10 } };
    expect(problemsOf(() => loadGatewayConfig({ config, env: {} }))).toEqual([
      'tasks: unknown key',
    ]);
    expect(tasksConfigOf(load({ config })).inlineMaxChars).toBe(10);
  });

  it('gives the defaults when the file has no `tasks:`', () => {
    const tasks = tasksConfigOf(load());
    expect(tasks).toBeInstanceOf(TasksConfig);
    expect(tasks).toMatchObject({ defaultModel: 'resume', inlineMaxChars: 20_000 });
    expect(tasks.queue).toMatchObject({ driver: 'auto', attempts: 4 });
  });

  it('reads numbers and flags from ${ENV} text', () => {
    const tasks = tasksConfigOf(
      load({
        config: {
          tasks: {
            inlineMaxChars: '${INLINE}',
            queue: { attempts: '${ATTEMPTS:-2}' },
            webhooks: { allowPrivateNetworks: '${PRIVATE}' },
          },
        },
        env: { INLINE: '500', PRIVATE: 'TRUE' },
      }),
    );
    expect(tasks.inlineMaxChars).toBe(500);
    expect(tasks.queue.attempts).toBe(2);
    expect(tasks.webhooks.allowPrivateNetworks).toBe(true);
  });

  describe.each(
    (
      [TasksConfig, TaskQueueConfig, TaskWorkerConfig, TaskWebhookConfig, TaskFilesConfig] as Array<
        new () => object
      >
    ).map((type) => [type.name, type] as const),
  )('%s', (_name, type) => {
    it('takes the text form of every number and flag field', () => {
      const { numbers, flags } = scalarFieldsOf(type);
      const plain: Record<string, string> = {};
      for (const field of numbers) plain[field] = '7';
      for (const field of flags) plain[field] = 'TRUE';
      const built = plainToInstance(type, plain) as Record<string, unknown>;
      for (const field of numbers) expect([field, built[field]]).toEqual([field, 7]);
      for (const field of flags) expect([field, built[field]]).toEqual([field, true]);
    });
  });

  it('lists its problems under their paths, with the core sections’ in one error', () => {
    const problems = problemsOf(() =>
      load({
        config: {
          server: { port: -1 },
          tasks: { inlineMaxChars: -1, routes: { parse: '', score: 'fast' } },
        },
      }),
    );
    expect(problems).toEqual([
      'server.port: port must not be less than 0',
      'tasks.inlineMaxChars: inlineMaxChars must not be less than 0',
      'tasks.routes.parse: must be a model or route name',
    ]);
  });

  it('keeps routes for any task name in a map without a prototype', () => {
    const { routes } = tasksConfigOf(
      load({ config: { tasks: { routes: { invoice_check: 'invoices', constructor: 'm' } } } }),
    );
    expect(Object.getPrototypeOf(routes)).toBeNull();
    expect({ ...routes }).toEqual({ invoice_check: 'invoices', constructor: 'm' });
    expect(tasksConfigOf(load()).routes.toString).toBeUndefined();
  });

  it('checks that the bullmq driver has a Redis, its own or the shared one', () => {
    expect(problemsOf(() => load({ config: { tasks: { queue: { driver: 'bullmq' } } } }))).toEqual([
      'tasks.queue.driver: bullmq needs tasks.queue.redisUrl or redis.url (or REDIS_URL); use auto or in-process without one',
    ]);
    const own = { tasks: { queue: { driver: 'bullmq', redisUrl: 'redis://queue:6379' } } };
    expect(tasksConfigOf(load({ config: own })).queue.driver).toBe('bullmq');
    const shared = load({
      config: { tasks: { queue: { driver: 'bullmq' } } },
      env: { REDIS_URL: 'redis://127.0.0.1:6379' },
    });
    expect(tasksConfigOf(shared).queue.driver).toBe('bullmq');
  });

  it('keeps its webhook signing secret out of every error message', () => {
    const secret = 'tasks-section-webhook-secret-0123';
    const config = load({ config: { tasks: { webhooks: { secret } } } });
    new GatewayConfigService(config, [tasksSection]);
    const error = new GatewayError(GatewayErrorCode.SERVER_ERROR, `upstream echoed ${secret}`);
    expect(error.message).toBe('upstream echoed [redacted]');
  });

  it('has its routes hardened in a configuration built without the loader', () => {
    const built = { ...load(), tasks: { ...new TasksConfig(), routes: { parse: 'fast' } } };
    const service = new GatewayConfigService(built, [tasksSection]);
    expect(Object.getPrototypeOf(tasksConfigOf(service.current).routes)).toBeNull();
  });

  it('gives a configuration loaded without it the defaults, shared and frozen', () => {
    const config = loadGatewayConfig({ env: {} });
    const tasks = tasksConfigOf(config);
    expect(tasks).toMatchObject({ defaultModel: 'resume', inlineMaxChars: 20_000 });
    expect(tasks.queue.driver).toBe('auto');
    expect(Object.getPrototypeOf(tasks.routes)).toBeNull();
    expect(tasksConfigOf(loadGatewayConfig({ env: {} }))).toBe(tasks);
    expect(Object.isFrozen(tasks.queue)).toBe(true);
  });
});
