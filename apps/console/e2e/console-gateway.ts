import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayRunner } from './gateway-runner';

/** The admin key the console signs in with (auth is on: every call needs a key). */
export const ADMIN_KEY = 'console-admin-key-0123456789abcdef';

/** Provider, model and route names of the console's scripted world. */
export const MODELS = {
  /** First target of `main`: a scripted 500 makes the fallback. */
  primary: 'primary/p-model',
  backup: 'backup/b-model',
  /** First target of `shaky`: two 503s open its circuit (it stays open for the run). */
  flaky: 'flaky/f-model',
  /** The tasks' model: a scripted 503 fails a job (one attempt), the next run succeeds. */
  writer: 'writer/w-model',
} as const;
export const ROUTES = { main: 'main', shaky: 'shaky' } as const;

/** A gateway process with its fake provider (in this process) and its scratch folder. */
export interface ConsoleGateway {
  /** `http://127.0.0.1:<port>`; the console is at `${url}/console/`. */
  url: string;
  fake: FakeProviderServer;
  process: GatewayRunner;
  /** Admin-key GET of a gateway path, parsed; throws on a status other than 200. */
  adminGet<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The console's test world: auth on (admin key and gateway keys, kept in the embedded
 * store), two providers behind `main` so a scripted 500 falls back, a provider whose
 * circuit opens after two failures and stays open, the exact cache (memory), the usage
 * log flushed every 100 ms, and tasks on the in-process queue with one attempt per run,
 * so a scripted provider error leaves a failed job that an admin can re-run.
 */
export function consoleGatewayConfig(fakeUrl: string, scratch: string): Record<string, unknown> {
  const provider = (model: string, extra: Record<string, unknown> = {}) => ({
    kind: 'openai-compatible',
    baseUrl: `${fakeUrl}/v1`,
    models: [model],
    maxRetries: 0,
    modelInfo: { [model]: { inputCostPerMTok: 2.5, outputCostPerMTok: 10 } },
    ...extra,
  });
  return {
    // Info: the access log lines are written, so a test can look for the key in them.
    logging: { level: 'info' },
    providers: {
      primary: provider('p-model'),
      backup: provider('b-model', { priority: 1 }),
      // Opens after two failures in a row; an hour open outlasts any run.
      flaky: provider('f-model', {
        breaker: { failureThreshold: 2, minRequests: 1_000, openMs: 3_600_000 },
      }),
      writer: provider('w-model'),
    },
    routes: {
      [ROUTES.main]: { targets: [MODELS.primary, MODELS.backup] },
      [ROUTES.shaky]: { targets: [MODELS.flaky, MODELS.backup] },
    },
    auth: {
      enabled: true,
      adminKey: ADMIN_KEY,
      hashSecret: 'console-e2e-hash-secret-0123456789',
    },
    cache: { backend: 'memory' },
    usage: { flushIntervalMs: 100, bufferFile: join(scratch, 'usage-buffer.jsonl') },
    tasks: {
      defaultModel: MODELS.writer,
      queue: { driver: 'in-process', attempts: 1, backoffMs: 100 },
    },
  };
}

/** Starts the fake provider and a built gateway (dist/) with {@link consoleGatewayConfig}. */
export async function startConsoleGateway(): Promise<ConsoleGateway> {
  const fake = await startFakeProvider({ port: 0 });
  const scratch = await mkdtemp(join(tmpdir(), 'console-e2e-'));
  let gateway: GatewayRunner;
  try {
    gateway = await GatewayRunner.start(consoleGatewayConfig(fake.url, scratch));
  } catch (error) {
    await fake.close();
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
  const url = gateway.url;
  return {
    url,
    fake,
    process: gateway,
    async adminGet<T>(path: string): Promise<T> {
      const response = await fetch(`${url}${path}`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}: ${text}`);
      return JSON.parse(text) as T;
    },
    async stop() {
      await gateway.stop();
      await fake.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
