import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { Flag, Numeric } from './field-coercion';

/** The usage log: PostgreSQL when `databaseUrl` (or `DATABASE_URL`) is set, else an embedded store. */
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

  /** Embedded store only: persist it to this file (in memory when absent). */
  @IsOptional()
  @IsString()
  sqlitePath?: string;

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
