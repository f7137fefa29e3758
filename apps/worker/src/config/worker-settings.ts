import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { Env } from '@ai-gateway/core';

/** The worker's own process settings; the gateway config (providers, routes) is separate. */
export interface WorkerSettings {
  /** Port of the health and metrics endpoint (`WORKER_PORT`, default 8081). */
  port: number;
  /** Interface it binds (`WORKER_HOST`, default all interfaces, for container probes). */
  host: string;
  /**
   * How long a graceful shutdown may take before the process exits anyway
   * (`WORKER_SHUTDOWN_TIMEOUT_MS`). The default stays under the 30 s that Docker and
   * Kubernetes wait before SIGKILL, so the last log lines are still written.
   */
  shutdownTimeoutMs: number;
}

const DEFAULTS: WorkerSettings = { port: 8081, host: '0.0.0.0', shutdownTimeoutMs: 25_000 };

/**
 * Reads the worker settings from the environment, failing with every bad variable
 * listed (`INVALID_CONFIG`), like the gateway config.
 */
export function readWorkerSettings(env: Env): WorkerSettings {
  const errors: string[] = [];
  const settings: WorkerSettings = {
    port: integer(env, 'WORKER_PORT', DEFAULTS.port, 0, 65_535, errors),
    host: env.WORKER_HOST?.trim() || DEFAULTS.host,
    shutdownTimeoutMs: integer(
      env,
      'WORKER_SHUTDOWN_TIMEOUT_MS',
      DEFAULTS.shutdownTimeoutMs,
      100,
      600_000,
      errors,
    ),
  };
  if (errors.length > 0) {
    throw new GatewayError(
      GatewayErrorCode.INVALID_CONFIG,
      `Invalid worker settings:\n  - ${errors.join('\n  - ')}`,
    );
  }
  return settings;
}

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  errors: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  errors.push(`${name}: must be an integer between ${min} and ${max} (got "${raw}")`);
  return fallback;
}
