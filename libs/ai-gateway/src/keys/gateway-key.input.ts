import 'reflect-metadata';
import { Type, plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { BudgetLimitsConfig } from '../config/budget-config.schema';
import { GatewayError } from '../errors/gateway.error';

/** A gateway key's own rate limits (enforced by the rate limiter). */
export class KeyLimitsInput {
  @IsOptional()
  @IsInt()
  @Min(1)
  requestsPerMinute?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  tokensPerMinute?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  concurrentRequests?: number;
}

/** Body of `POST /v1/admin/keys` (and, every field optional, of `PATCH`). */
export class GatewayKeyInput {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  userId?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  teamId?: string;

  /** Model or route names; a trailing `*` matches a prefix (`openai/*`). Absent = any. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(/^[^\s*]+\*?$|^\*$/, { each: true })
  allowedModels?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => BudgetLimitsConfig)
  budget?: BudgetLimitsConfig;

  @IsOptional()
  @ValidateNested()
  @Type(() => KeyLimitsInput)
  limits?: KeyLimitsInput;

  /** ISO-8601 time after which the key is refused. */
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}

/**
 * Validates an admin request body into a {@link GatewayKeyInput}; anything wrong (unknown
 * fields too) is a 400 naming the first bad field. `partial` for updates.
 */
export function parseGatewayKeyInput(body: unknown, partial = false): Partial<GatewayKeyInput> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw GatewayError.invalidRequest('Invalid request: the body must be a JSON object');
  }
  const input = plainToInstance(GatewayKeyInput, body);
  const errors = validateSync(input, {
    whitelist: true,
    forbidNonWhitelisted: true,
    skipMissingProperties: partial,
  });
  const first = firstError(errors);
  if (first)
    throw GatewayError.invalidRequest(`Invalid '${first.path}': ${first.message}`, first.path);
  if (input.expiresAt !== undefined && Number.isNaN(Date.parse(input.expiresAt))) {
    throw GatewayError.invalidRequest("Invalid 'expiresAt': not a date", 'expiresAt');
  }
  return input;
}

function firstError(
  errors: ValidationError[],
  prefix = '',
): { path: string; message: string } | undefined {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const message = Object.values(error.constraints ?? {})[0];
    if (message) return { path, message: message.replace(/^\S+ /, '') || message };
    const nested = firstError(error.children ?? [], path);
    if (nested) return nested;
  }
  return undefined;
}
