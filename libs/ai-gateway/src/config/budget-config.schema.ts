import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Flag, Numeric } from './field-coercion';

/** Spending caps of one owner (provider, key, user or team), in USD. */
export class BudgetLimitsConfig {
  @Numeric()
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 6 })
  @Min(0)
  dailyUsd?: number;

  @Numeric()
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 6 })
  @Min(0)
  monthlyUsd?: number;

  /** Custom reset period: a fixed window of `windowMs` aligned to the epoch. */
  @Numeric()
  @ValidateIf((l: BudgetLimitsConfig) => l.windowMs !== undefined)
  @IsNumber({ maxDecimalPlaces: 6 })
  @Min(0)
  windowUsd?: number;

  @Numeric()
  @ValidateIf((l: BudgetLimitsConfig) => l.windowUsd !== undefined)
  @IsInt()
  @Min(60_000)
  @Max(31_536_000_000)
  windowMs?: number;
}

/** Budgets of users and teams, and how budgets behave when Redis is unreachable. */
export class BudgetsConfig {
  /** Redis down: refuse (503, the default) or let requests through unbudgeted. */
  @Flag()
  @IsBoolean()
  failOpen = false;

  /** A reservation nobody settles (crashed instance) stops counting after this. */
  @Numeric()
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  reservationTtlMs = 300_000;

  @Numeric()
  @IsInt()
  @Min(0)
  @Max(600_000)
  unavailableRetryAfterMs = 2_000;

  /** Models whose worst-case cost for a request exceeds this are skipped (a request may lower it). */
  @Numeric()
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 6 })
  @Min(0)
  maxCostPerRequestUsd?: number;

  @IsObject()
  users: Record<string, BudgetLimitsConfig> = {};

  @IsObject()
  teams: Record<string, BudgetLimitsConfig> = {};

  @IsOptional()
  @ValidateNested()
  @Type(() => BudgetLimitsConfig)
  defaultUser?: BudgetLimitsConfig;

  @IsOptional()
  @ValidateNested()
  @Type(() => BudgetLimitsConfig)
  defaultTeam?: BudgetLimitsConfig;
}
