import 'reflect-metadata';
import { GatewayError, loadGatewayConfig, migrateUsageStore } from '@ai-gateway/core';
import { tasksSection } from '@ai-gateway/resume';

/** `npm run migrate`: applies pending usage-log migrations to the configured database. */
async function migrate(): Promise<void> {
  try {
    const config = loadGatewayConfig({ env: process.env, sections: [tasksSection] });
    const applied = await migrateUsageStore(config.usage);
    process.stdout.write(`${JSON.stringify({ msg: 'migrations applied', applied })}\n`);
  } catch (error) {
    const message =
      error instanceof GatewayError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`${JSON.stringify({ msg: 'migration failed', error: message })}\n`);
    process.exitCode = 1;
  }
}

void migrate();
