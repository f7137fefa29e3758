import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadGatewayConfig } from '@ai-gateway/core';
import { tasksSection } from '@ai-gateway/resume';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import OpenAI from 'openai';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { createGatewayApp } from '../src/app.factory';
import type { GatewayAppOptions } from '../src/app.factory';

/** A gateway app listening on a random loopback port, with its log lines captured. */
export interface TestGateway {
  app: NestFastifyApplication;
  url: string;
  /** The official OpenAI client pointed at the gateway. */
  client: OpenAI;
  /** Every log line the gateway wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

/** Provider entries for every kind, all served by one fake-provider server. */
export function providersFor(fake: FakeProviderServer): Record<string, Record<string, unknown>> {
  return {
    openai: { kind: 'openai', baseUrl: `${fake.url}/openai/v1`, apiKeys: ['sk-openai-test'] },
    mistral: { kind: 'mistral', baseUrl: `${fake.url}/mistral/v1`, apiKeys: ['mistral-test'] },
    vllm: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1` },
    anthropic: { kind: 'anthropic', baseUrl: `${fake.url}/anthropic`, apiKeys: ['sk-ant-test'] },
    gemini: { kind: 'gemini', baseUrl: `${fake.url}/gemini`, apiKeys: ['gemini-test'] },
    ollama: { kind: 'ollama', baseUrl: `${fake.url}/ollama` },
  };
}

export async function startGateway(
  config: Record<string, unknown>,
  env: Record<string, string> = {},
  options: Pick<GatewayAppOptions, 'middleware'> = {},
): Promise<TestGateway> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const resolved = loadGatewayConfig({
    config: { logging: { level: 'info' }, ...config },
    // In-process gateways keep their store in memory; the process e2e specs use the file store.
    env: { AI_GATEWAY_STORE: 'memory', ...env },
    sections: [tasksSection],
  });
  const app = await createGatewayApp({
    config: resolved,
    pino: pino({ level: 'info' }, sink),
    ...options,
  });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'gateway-test-key', maxRetries: 0 });
  return { app, url, client, logs, close: () => app.close() };
}

/** The API error a call failed with; fails the test when the call succeeded. */
export async function apiErrorOf(
  call: Promise<unknown>,
): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof OpenAI.APIError)) {
    const got = error instanceof Error ? error.message : 'a success';
    throw new Error(`expected an API error, got ${got}`);
  }
  return error;
}

/** The machine's PostgreSQL, where usage and key specs keep their own schema. */
export const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Drops a spec's own schema (its usage log and keys) after the run. */
export async function dropSchema(schema: string): Promise<void> {
  const pg = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
  await pg.initialize();
  await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pg.destroy();
}
