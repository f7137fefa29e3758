import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createUsageDataSource } from '../database/usage-data-source';
import { UsageDatabase } from '../database/usage-database.service';
import type { UsageRow } from './usage-row';
import { UsageRepository } from './usage.repository';

/** The machine's PostgreSQL (trust auth), used by the integration specs. */
export const TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A usage store opened for one test, with its clean-up. */
export interface TestUsageStore {
  database: UsageDatabase;
  repository: UsageRepository;
  /** PostgreSQL schema of this test (undefined for sql.js). */
  schema?: string;
  close(): Promise<void>;
}

/**
 * A PostgreSQL usage store in a fresh schema `usage_test_<random>`, migrated. `url`
 * may point at a proxy in front of the database; the schema is dropped through
 * `TEST_DATABASE_URL` so clean-up works while the proxy is down.
 */
export async function openPostgresTestStore(
  url = TEST_DATABASE_URL,
  options: { migrate?: boolean } = {},
): Promise<TestUsageStore> {
  const schema = `usage_test_${randomBytes(6).toString('hex')}`;
  const dataSource = createUsageDataSource(
    { databaseUrl: url, schema },
    { connectTimeoutMs: 1_000, queryTimeoutMs: 5_000 },
  );
  const database = new UsageDatabase(dataSource, { runMigrations: true });
  if (options.migrate !== false) await database.open();
  return {
    database,
    repository: new UsageRepository(database),
    schema,
    close: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
}

/** An in-memory sql.js usage store, migrated. */
export async function openSqljsTestStore(): Promise<TestUsageStore> {
  const database = new UsageDatabase(createUsageDataSource({ store: 'memory' }), {
    runMigrations: true,
  });
  await database.open();
  return { database, repository: new UsageRepository(database), close: () => database.close() };
}

/**
 * The file store (better-sqlite3) in a fresh temporary data directory, migrated; `close`
 * removes the directory unless `keep` (a restart test reopens it with `dataDir`).
 */
export async function openFileTestStore(
  options: { dataDir?: string; keep?: boolean } = {},
): Promise<TestUsageStore & { dataDir: string }> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'usage-file-store-')));
  const database = new UsageDatabase(createUsageDataSource({ store: 'file', dataDir }), {
    runMigrations: true,
  });
  await database.open();
  return {
    database,
    dataDir,
    repository: new UsageRepository(database),
    close: async () => {
      await database.close();
      if (!options.keep) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Drops a test schema through a short-lived direct connection. */
export async function dropSchema(schema: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL, poolSize: 1 });
  await admin.initialize();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.destroy();
  }
}

/** Counts the rows of a schema's `usage_log` and how many request ids appear twice. */
export async function countRows(schema: string): Promise<{ rows: number; duplicates: number }> {
  const admin = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL, poolSize: 1 });
  await admin.initialize();
  try {
    const [row] = await admin.query<Array<{ rows: number; duplicates: number }>>(
      `SELECT count(*)::int AS rows, (count(*) - count(DISTINCT request_id))::int AS duplicates FROM "${schema}".usage_log`,
    );
    return row;
  } finally {
    await admin.destroy();
  }
}

/** A complete usage row; `n` makes the request id and a few figures distinct. */
export function usageRow(n: number, overrides: Partial<UsageRow> = {}): UsageRow {
  return {
    requestId: `req-${n}`,
    clientRequestId: null,
    createdAt: 1_763_769_600_000 + n,
    keyId: 'key_1',
    userId: 'alice',
    teamId: 'research',
    task: null,
    ingress: 'chat.completions',
    route: 'smart',
    provider: 'openai',
    model: 'gpt-4o-mini',
    promptTokens: 100 + n,
    completionTokens: 20,
    cachedTokens: 0,
    reasoningTokens: 0,
    costMicroUsd: 27 + n,
    costSavedMicroUsd: 0,
    priced: true,
    priceSource: 'pricing-file',
    latencyMs: 120,
    ttftMs: null,
    status: 'ok',
    errorCode: null,
    cacheStatus: 'miss',
    attempts: 1,
    fallbackChain: 'openai/gpt-4o-mini=ok',
    stream: false,
    streamCompleted: null,
    budgetNote: null,
    promptText: null,
    guardrails: null,
    ...overrides,
  };
}
