import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { UsageDatabase } from './usage-database.service';
import { UsageLogEntity } from './usage-log.entity';
import type { UsageRow } from './usage-row';

/** Rows per INSERT statement (sql.js binds 26 parameters per row). */
const ROWS_PER_STATEMENT: Readonly<Record<string, number>> = { postgres: 5_000, sqljs: 1_000 };

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

  constructor(private readonly database: UsageDatabase) {}

  /**
   * Inserts the rows; a row whose request id is already stored is skipped (ON CONFLICT
   * DO NOTHING), so a replayed batch never duplicates. All or nothing per statement.
   * PostgreSQL gets one column array per parameter (`INSERT … SELECT FROM unnest(…)`):
   * 26 parameters whatever the batch size, and no per-value SQL building.
   */
  async insertBatch(rows: readonly UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    const dataSource = await this.database.open();
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
        await dataSource
          .createQueryBuilder()
          .insert()
          .into(UsageLogEntity)
          .values(entities)
          .orIgnore()
          .updateEntity(false)
          .execute();
      }
    }
  }

  /** Rows stored. */
  async count(): Promise<number> {
    return (await this.open()).getRepository(UsageLogEntity).count();
  }

  /** One stored row by request id, in the writer's shape. */
  async findByRequestId(requestId: string): Promise<UsageRow | undefined> {
    const entity = await (await this.open()).getRepository(UsageLogEntity).findOneBy({ requestId });
    return entity ? fromEntity(entity) : undefined;
  }

  /** Round trip to the database; rejects while it is unreachable. */
  async ping(): Promise<void> {
    await (await this.open()).query('SELECT 1');
  }

  private open(): Promise<DataSource> {
    return this.database.open();
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

function toEntity(row: UsageRow): UsageLogEntity {
  return {
    requestId: row.requestId,
    createdAt: new Date(row.createdAt),
    keyId: row.keyId ?? null,
    userId: row.userId ?? null,
    teamId: row.teamId ?? null,
    task: row.task ?? null,
    route: row.route ?? null,
    provider: row.provider ?? null,
    model: row.model ?? null,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    cachedTokens: row.cachedTokens,
    costMicroUsd: row.costMicroUsd,
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
  };
}

function fromEntity(entity: UsageLogEntity): UsageRow {
  return { ...entity, createdAt: entity.createdAt.getTime() };
}
