import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { Flag, Numeric } from './field-coercion';

/**
 * The usage log (and the gateway's other tables: keys, stored responses, files): PostgreSQL
 * when `databaseUrl` (or `DATABASE_URL`) is set, else the embedded store — a SQLite file
 * under `dataDir` that survives restarts (`store: file`, the default) or this process's
 * memory (`store: memory`, for tests).
 */
export class UsageConfig {
  @IsOptional()
  @IsString()
  @MinLength(1)
  databaseUrl?: string;

  @IsOptional()
  @Matches(/^[A-Za-z_][A-Za-z0-9_]*$/)
  schema?: string;

  @Flag()
  @IsBoolean()
  runMigrationsOnStart = true;

  @Numeric()
  @IsInt()
  @Min(1)
  @Max(5_000)
  batchSize = 500;

  @Numeric()
  @IsInt()
  @Min(10)
  @Max(60_000)
  flushIntervalMs = 1_000;

  /** Rows the durable buffer may hold while the database is down; more are dropped (counted). */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  bufferLimit = 250_000;

  /** Durable buffer file when there is no Redis. */
  @IsString()
  @MinLength(1)
  bufferFile = 'data/usage-buffer.jsonl';

  /** Without a database URL: `file` (SQLite under `dataDir`, kept across restarts) or `memory`. */
  @IsIn(['file', 'memory'])
  store: 'file' | 'memory' = 'file';

  /** The file store's directory, created on first start (`AI_GATEWAY_DATA_DIR`). */
  @IsString()
  @MinLength(1)
  dataDir = 'data';

  /** The file store's SQLite file; default `<dataDir>/gateway.sqlite`. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  sqlitePath?: string;

  /**
   * A better-sqlite3 addon (`better_sqlite3.node`) built for this Node version, when the
   * installed one was built for another (`BETTER_SQLITE3_BINDING`).
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  sqliteBinding?: string;

  @Numeric()
  @IsInt()
  @Min(1)
  @Max(3_650)
  retentionDays = 90;

  /** Responses API: how long a stored response (`store: true`) is kept, as OpenAI's 30 days. */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(3_650)
  responsesRetentionDays = 30;
}
