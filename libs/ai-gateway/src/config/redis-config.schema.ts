import 'reflect-metadata';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { Numeric } from './field-coercion';

/** Shared state (breakers, later limits and budgets) lives in Redis when it is configured. */
export class RedisConfig {
  @IsOptional()
  @IsString()
  url?: string;

  @IsString()
  keyPrefix = 'aigw:';

  /** Redis calls on the request path give up after this; an outage is a fast decision. */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(60_000)
  commandTimeoutMs = 200;
}
