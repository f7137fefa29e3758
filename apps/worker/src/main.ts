import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ConfigReloader,
  GatewayError,
  GatewayMetrics,
  JsonLogger,
  createPino,
  loadGatewayConfig,
} from '@ai-gateway/core';
import { destination as pinoDestination } from 'pino';
import {
  TASK_QUEUE,
  TaskError,
  TaskRegistry,
  tasksConfigOf,
  tasksSection,
} from '@ai-gateway/resume';
import type { TaskQueue } from '@ai-gateway/resume';
import { startTelemetry } from '@ai-gateway/telemetry';
import { readWorkerSettings } from './config/worker-settings';
import { WorkerHealthServer } from './health/worker-health.server';
import { ResumeTaskProcessor } from './processors/resume-task.processor';
import { WorkerModule } from './worker.module';

/** Longest wait of `/health/ready` on Redis. */
const READY_PING_MS = 1_000;

async function bootstrap(): Promise<void> {
  // Both are read before failing, so one start lists every bad setting.
  const errors: string[] = [];
  // Hot reload reads the same file and environment again (file change, SIGHUP, a peer's reload).
  const load = () => loadGatewayConfig({ env: process.env, sections: [tasksSection] });
  const config = attempt(load, errors);
  const settings = attempt(() => readWorkerSettings(process.env), errors);
  if (!config || !settings) {
    // A broken config lists every bad key; a stack trace would only hide them.
    process.stderr.write(`${errors.join('\n')}\n`);
    process.exit(1);
  }

  // Synchronous writes: the worker logs little, and its last lines precede process.exit.
  const pino = createPino(config.logging.level, {
    service: 'worker',
    destination: pinoDestination({ sync: true }),
  });
  const logger = new JsonLogger(pino);
  // Before the app exists: the library's tracer and meters find the SDK registered.
  const telemetry = startTelemetry({
    service: 'ai-gateway-worker',
    enabled: config.otel.enabled,
    env: process.env,
  });
  let app: INestApplicationContext;
  try {
    // abortOnError off: a boot failure (e.g. a bad YAML task definition) reaches the
    // catch below and is logged as JSON, instead of Nest exiting on its own.
    app = await NestFactory.createApplicationContext(
      WorkerModule.register(config, { load, file: process.env.AI_GATEWAY_CONFIG }),
      {
        logger,
        abortOnError: false,
      },
    );
  } catch (error) {
    pino.fatal({ msg: 'worker failed to start', err: errorFields(error) });
    process.exit(1);
  }

  let stopping = false;
  const queue = app.get<TaskQueue>(TASK_QUEUE);
  const processor = app.get(ResumeTaskProcessor);
  const health = await WorkerHealthServer.start({
    port: settings.port,
    host: settings.host,
    metrics: app.get(GatewayMetrics),
    readiness: async () => {
      if (stopping) return { ready: false, reason: 'shutting down' };
      return (await queue.ping(READY_PING_MS))
        ? { ready: true }
        : { ready: false, reason: 'the task queue Redis does not answer' };
    },
  });
  pino.info({
    msg: 'worker started',
    tasks: app.get(TaskRegistry).types(),
    concurrency: tasksConfigOf(config).worker.concurrency,
    health: health.url,
    providers: Object.values(config.providers)
      .filter((provider) => provider.enabled)
      .map((provider) => provider.name),
  });
  if (config.embeddedFake) {
    pino.warn({
      msg: 'No provider is configured: tasks run against the built-in local fake provider (not a real model), which echoes and so fails JSON tasks. Set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, MISTRAL_API_KEY, OLLAMA_BASE_URL or AI_GATEWAY_CONFIG.',
    });
  }

  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl-C means "now": skip the drain.
      pino.warn({ msg: 'worker stopping immediately', signal });
      process.exit(1);
    }
    stopping = true;
    pino.info({ msg: 'worker stopping', signal, deadlineMs: settings.shutdownTimeoutMs });
    // Ref'd on purpose: the process must not end silently while close() is stuck.
    const deadline = setTimeout(() => {
      pino.error({
        msg: 'worker shutdown deadline exceeded, exiting',
        deadlineMs: settings.shutdownTimeoutMs,
      });
      process.exit(1);
    }, settings.shutdownTimeoutMs);
    // Running jobs get most of the deadline to finish, then are released to the queue
    // for another worker; the app closes in what is left. The timer above is the backstop
    // (Redis gone: nothing answers, so nothing may be awaited without a bound).
    const releaseMs = Math.min(3_000, Math.floor(settings.shutdownTimeoutMs / 4));
    const graceMs = Math.max(0, settings.shutdownTimeoutMs - releaseMs - 1_000);
    processor
      .drain(graceMs, releaseMs)
      .then((outcome) => {
        pino.info({ msg: 'worker drained', outcome });
        return app.close();
      })
      // The health server closes last so liveness probes pass while the app drains.
      .then(() => health.close())
      // The spans of the last jobs are exported before the process ends.
      .then(() => telemetry.shutdown())
      .then(
        () => {
          clearTimeout(deadline);
          pino.info({ msg: 'worker stopped', signal });
          process.exit(0);
        },
        (error: unknown) => {
          pino.error({ msg: 'worker shutdown failed', err: errorFields(error) });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // SIGHUP reloads the configuration (a rotated provider key), as on the gateway.
  process.on('SIGHUP', () => void app.get(ConfigReloader).reload('signal'));
}

function attempt<T>(read: () => T, errors: string[]): T | undefined {
  try {
    return read();
  } catch (error) {
    errors.push(error instanceof GatewayError ? error.message : String(error));
    return undefined;
  }
}

function errorFields(error: unknown): { type: string; message: string; code?: string } {
  // Both coded errors: a bad config (GatewayError) or a task set that cannot be built (TaskError).
  if (error instanceof GatewayError || error instanceof TaskError)
    return { type: error.name, message: error.message, code: error.code };
  if (error instanceof Error) return { type: error.name, message: error.message };
  return { type: typeof error, message: String(error) };
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
