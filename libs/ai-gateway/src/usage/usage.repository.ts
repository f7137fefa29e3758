import { Injectable } from '@nestjs/common';
import type { DataSource, DeleteQueryBuilder } from 'typeorm';
import { UsageDatabase } from '../database/usage-database.service';
import { UsageLogEntity } from '../database/usage-log.entity';
import type { UsageRow } from './usage-row';

/** Rows per INSERT statement (sql.js binds 26 parameters per row). */
const ROWS_PER_STATEMENT: Readonly<Record<string, number>> = { postgres: 5_000, sqljs: 200 };

/** Rows the in-memory embedded (sql.js) store keeps; the oldest go first. The file store keeps `retentionDays`. */
export const EMBEDDED_ROW_LIMIT = 10_000;
const EMBEDDED_TRIM_SLACK = 2_000;

/** PostgreSQL array type of each column type, for the `unnest` insert. */
const PG_ARRAY_TYPES: Readonly<Record<string, string>> = {
  varchar: 'varchar[]',
  text: 'text[]',
  integer: 'int4[]',
  bigint: 'int8[]',
  boolean: 'bool[]',
  Date: 'timestamptz[]',
};

/** The PostgreSQL insert of a data source: its SQL and the entity field behind each array. */
interface PostgresInsert {
  sql: string;
  fields: Array<keyof UsageLogEntity>;
}

/**
 * The usage log's only door to the database (and the only TypeORM user besides the
 * data source): writes rows idempotently by request id and answers what the writer and
 * the tests need.
 */
@Injectable()
export class UsageRepository {
  private postgresInsert?: PostgresInsert;
  private sqliteInsert?: SqliteInsert;
  private fileInsert?: FileInsert;
  private embeddedRows = 0;
  /**
   * In-memory embedded store only: accepted rows not yet inserted. Inserting into
   * SQLite-in-WebAssembly costs ~35 µs a row on the gateway's own core, so rows are
   * held here (the newest {@link EMBEDDED_ROW_LIMIT}, as the store itself keeps) and
   * inserted when something reads the store. Nothing is lost: the store lives in this
   * process's memory either way.
   */
  private deferred: UsageRow[] = [];
  private materializing?: Promise<void>;

  constructor(private readonly database: UsageDatabase) {}

  /** True for the in-memory embedded store (bounded to its newest rows; nothing to expire). */
  get inMemory(): boolean {
    return this.database.inMemory;
  }

  /** True for the embedded file store (its big statements run on a database thread). */
  get isFile(): boolean {
    return this.database.isFile;
  }

  /**
   * Inserts the rows; a row whose request id is already stored is skipped (ON CONFLICT
   * DO NOTHING), so a replayed batch never duplicates. All or nothing per statement.
   * PostgreSQL gets one column array per parameter (`INSERT … SELECT FROM unnest(…)`):
   * 26 parameters whatever the batch size, and no per-value SQL building.
   */
  async insertBatch(rows: readonly UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.database.inMemory) return this.defer(rows);
    await this.write(rows);
  }

  private async write(rows: readonly UsageRow[]): Promise<void> {
    const dataSource = await this.database.open();
    const thread = this.database.fileThread();
    if (thread) {
      // The file store: one prepared single-row insert per row, one transaction per batch,
      // on the database thread — the event loop only lays the values out and copies them.
      const insert = (this.fileInsert ??= fileInsertOf(dataSource));
      await thread.batch(
        insert.sql,
        rows.map((row) => insert.values(row)),
      );
      return;
    }
    const step = ROWS_PER_STATEMENT[dataSource.options.type] ?? 500;
    for (let start = 0; start < rows.length; start += step) {
      const entities = rows.slice(start, start + step).map(toEntity);
      if (dataSource.options.type === 'postgres') {
        const insert = (this.postgresInsert ??= postgresInsertOf(dataSource));
        await dataSource.query(
          insert.sql,
          insert.fields.map((field) => entities.map((entity) => entity[field])),
        );
      } else {
        // TypeORM's query builder spends time quadratic in the parameter count here;
        // a plain multi-row INSERT with the driver's own value conversion does not.
        const insert = (this.sqliteInsert ??= sqliteInsertOf(dataSource));
        await dataSource.query(insert.sql(entities.length), insert.values(entities));
        await this.boundEmbedded(dataSource, entities.length);
      }
    }
  }

  /**
   * The embedded store lives in this process's memory (sql.js): it keeps the newest
   * {@link EMBEDDED_ROW_LIMIT} rows so a long-running embedded gateway stays bounded.
   * Real usage history belongs in PostgreSQL.
   */
  private async boundEmbedded(dataSource: DataSource, inserted: number): Promise<void> {
    this.embeddedRows += inserted;
    // Rows written on read (in memory) are trimmed exactly; a persisted store in steps.
    const slack = this.database.inMemory ? 0 : EMBEDDED_TRIM_SLACK;
    if (this.embeddedRows <= EMBEDDED_ROW_LIMIT + slack) return;
    const table = dataSource.driver.escape(dataSource.getMetadata(UsageLogEntity).tableName);
    await dataSource.query(
      `DELETE FROM ${table} WHERE request_id NOT IN (SELECT request_id FROM ${table} ORDER BY created_at DESC LIMIT ?)`,
      [EMBEDDED_ROW_LIMIT],
    );
    this.embeddedRows = EMBEDDED_ROW_LIMIT;
  }

  private defer(rows: readonly UsageRow[]): void {
    for (const row of rows) this.deferred.push(row);
    const over = this.deferred.length - EMBEDDED_ROW_LIMIT;
    // Past the bound the oldest go, as the store would trim them after inserting.
    if (over > EMBEDDED_TRIM_SLACK) this.deferred.splice(0, over);
  }

  /**
   * The open data source with every accepted row in it: what reads (the analytics, the
   * tests) go through.
   */
  async reader(): Promise<DataSource> {
    while (this.deferred.length > 0 || this.materializing) {
      if (!this.materializing) {
        const rows = this.deferred.splice(0);
        this.materializing = this.write(rows)
          .catch((error: unknown) => {
            this.deferred.unshift(...rows);
            throw error;
          })
          .finally(() => {
            this.materializing = undefined;
          });
      }
      await this.materializing;
    }
    return this.database.open();
  }

  /**
   * Rows of a read-only query built by TypeORM (`getQueryAndParameters()`): on the file
   * store's database thread, so an aggregate over many rows never holds the event loop;
   * elsewhere through the data source. Every accepted row is in it (see {@link reader}).
   */
  async readRaw<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const dataSource = await this.reader();
    const thread = this.database.fileThread();
    return thread ? thread.all<T>(sql, params) : dataSource.query<T[]>(sql, [...params]);
  }

  /**
   * Runs a delete (retention's) where {@link readRaw} would — the file store's database
   * thread, else the data source — and resolves with the rows deleted.
   */
  async delete(query: DeleteQueryBuilder<UsageLogEntity>): Promise<number> {
    await this.reader();
    const thread = this.database.fileThread();
    if (thread) return thread.run(...query.getQueryAndParameters());
    return (await query.execute()).affected ?? 0;
  }

  /** Rows stored. */
  async count(): Promise<number> {
    return (await this.reader()).getRepository(UsageLogEntity).count();
  }

  /** One stored row by request id, in the writer's shape. */
  /** The newest row a caller tagged with its own id (`x-client-request-id` / `x-request-id`). */
  async findByClientRequestId(clientRequestId: string): Promise<UsageRow | undefined> {
    const entity = await (
      await this.reader()
    )
      .getRepository(UsageLogEntity)
      .findOne({ where: { clientRequestId }, order: { createdAt: 'DESC' } });
    return entity ? usageRowFromEntity(entity) : undefined;
  }

  async findByRequestId(requestId: string): Promise<UsageRow | undefined> {
    const entity = await (
      await this.reader()
    )
      .getRepository(UsageLogEntity)
      .findOneBy({ requestId });
    return entity ? usageRowFromEntity(entity) : undefined;
  }

  /** Round trip to the database; rejects while it is unreachable. */
  async ping(): Promise<void> {
    await (await this.database.open()).query('SELECT 1');
  }
}

/** `INSERT INTO usage_log (…) SELECT * FROM unnest($1::varchar[], …) ON CONFLICT DO NOTHING`, from the entity's metadata. */
function postgresInsertOf(dataSource: DataSource): PostgresInsert {
  const metadata = dataSource.getMetadata(UsageLogEntity);
  const escape = (name: string): string => dataSource.driver.escape(name);
  const table = metadata.schema
    ? `${escape(metadata.schema)}.${escape(metadata.tableName)}`
    : escape(metadata.tableName);
  const columns = metadata.columns.map((column) => {
    const type = typeof column.type === 'function' ? column.type.name : column.type;
    const arrayType = PG_ARRAY_TYPES[type];
    if (!arrayType) throw new Error(`usage_log.${column.databaseName}: no array type for ${type}`);
    return { name: escape(column.databaseName), arrayType, field: column.propertyName };
  });
  const params = columns.map((column, i) => `$${i + 1}::${column.arrayType}`).join(', ');
  return {
    sql: `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) SELECT * FROM unnest(${params}) ON CONFLICT DO NOTHING`,
    fields: columns.map((column) => column.field as keyof UsageLogEntity),
  };
}

/** The file store's single-row insert and a row's values in its column order. */
interface FileInsert {
  sql: string;
  values(row: UsageRow): unknown[];
}

/**
 * The file store's insert, values laid out by hand: the driver's per-column conversion
 * costs ~10 µs a row on the event loop, this ~1 µs. The same text as TypeORM writes:
 * times as UTC `YYYY-MM-DD HH:MM:SS.SSS`, booleans as 1/0, absent values as NULL.
 */
function fileInsertOf(dataSource: DataSource): FileInsert {
  const metadata = dataSource.getMetadata(UsageLogEntity);
  const escape = (name: string): string => dataSource.driver.escape(name);
  const columns = metadata.columns.map((column) => column.propertyName as keyof UsageLogEntity);
  const sql = `INSERT OR IGNORE INTO ${escape(metadata.tableName)} (${metadata.columns.map((c) => escape(c.databaseName)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  return {
    sql,
    values: (row) => {
      const entity = toEntity(row);
      return columns.map((field): unknown => {
        const value = entity[field];
        if (value instanceof Date) return value.toISOString().slice(0, 23).replace('T', ' ');
        if (typeof value === 'boolean') return value ? 1 : 0;
        return value ?? null;
      });
    },
  };
}

/** The embedded store's insert: SQL for n rows, and the rows' values in column order. */
interface SqliteInsert {
  sql(rows: number): string;
  values(entities: UsageLogEntity[]): unknown[];
}

function sqliteInsertOf(dataSource: DataSource): SqliteInsert {
  const metadata = dataSource.getMetadata(UsageLogEntity);
  const escape = (name: string): string => dataSource.driver.escape(name);
  const columns = metadata.columns;
  const head = `INSERT OR IGNORE INTO ${escape(metadata.tableName)} (${columns.map((c) => escape(c.databaseName)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const sqlByCount = new Map<number, string>();
  return {
    sql: (rows) => {
      let sql = sqlByCount.get(rows);
      if (!sql) {
        sql = head + Array.from({ length: rows }, () => tuple).join(', ');
        sqlByCount.set(rows, sql);
      }
      return sql;
    },
    values: (entities) =>
      entities.flatMap((entity) =>
        columns.map((column): unknown => {
          const value: unknown = column.getEntityValue(entity);
          return dataSource.driver.preparePersistentValue(value, column) as unknown;
        }),
      ),
  };
}

function toEntity(row: UsageRow): UsageLogEntity {
  return {
    requestId: row.requestId,
    clientRequestId: row.clientRequestId ?? null,
    createdAt: new Date(row.createdAt),
    keyId: row.keyId ?? null,
    userId: row.userId ?? null,
    teamId: row.teamId ?? null,
    task: row.task ?? null,
    ingress: row.ingress ?? null,
    route: row.route ?? null,
    provider: row.provider ?? null,
    model: row.model ?? null,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    cachedTokens: row.cachedTokens,
    reasoningTokens: row.reasoningTokens ?? 0,
    costMicroUsd: row.costMicroUsd,
    costSavedMicroUsd: row.costSavedMicroUsd ?? 0,
    priced: row.priced,
    priceSource: row.priceSource ?? null,
    latencyMs: row.latencyMs,
    ttftMs: row.ttftMs ?? null,
    status: row.status,
    errorCode: row.errorCode ?? null,
    cacheStatus: row.cacheStatus ?? null,
    attempts: row.attempts,
    fallbackChain: row.fallbackChain ?? null,
    stream: row.stream,
    streamCompleted: row.streamCompleted ?? null,
    budgetNote: row.budgetNote ?? null,
    promptText: row.promptText ?? null,
    guardrails: row.guardrails ?? null,
  };
}

export function usageRowFromEntity(entity: UsageLogEntity): UsageRow {
  return { ...entity, createdAt: entity.createdAt.getTime() };
}
