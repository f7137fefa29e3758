import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigReloader, GatewayError, loadGatewayConfig } from '@ai-gateway/core';
import { tasksSection } from '@ai-gateway/resume';
import { startTelemetry } from '@ai-gateway/telemetry';
import { createGatewayApp } from './app.factory';

async function bootstrap(): Promise<void> {
  let config;
  // The gateway serves the task engine too: its `tasks` section is part of the config.
  const load = () => loadGatewayConfig({ env: process.env, sections: [tasksSection] });
  try {
    config = load();
  } catch (error) {
    // A broken config lists every bad key; a stack trace would only hide them.
    process.stderr.write(`${error instanceof GatewayError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  // Before the app exists: the library's tracer and meters find the SDK registered.
  const telemetry = startTelemetry({
    service: 'ai-gateway',
    enabled: config.otel.enabled,
    env: process.env,
  });
  const app = await createGatewayApp({
    config,
    telemetry,
    // Hot reload reads the same file and environment again (file change, SIGHUP, admin call).
    reload: { load, file: process.env.AI_GATEWAY_CONFIG },
  });
  process.on('SIGHUP', () => void app.get(ConfigReloader).reload('signal'));
  await app.listen(config.server.port, config.server.host);
  const logger = new Logger('Gateway');
  logger.log({
    msg: 'gateway listening',
    url: await app.getUrl(),
    providers: Object.keys(config.providers),
  });
  if (config.embeddedFake) {
    logger.warn({
      msg: 'No provider is configured: answering with the built-in local fake provider (not a real model). Set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, MISTRAL_API_KEY, OLLAMA_BASE_URL or AI_GATEWAY_CONFIG.',
    });
  }
}

void bootstrap();
