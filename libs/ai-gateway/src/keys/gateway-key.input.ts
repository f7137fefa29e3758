import 'reflect-metadata';
import { Type, plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsInt,
  IsObject,
  IsOptional,
  IsNumber,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { GatewayError } from '../errors/gateway.error';

/**
 * A gateway key's own budget, in USD: the config's caps (`BudgetLimitsConfig`), as a JSON
 * body gives them. Its own class because the config's accepts numbers as text (what
 * `${ENV}` yields), and an API body must send numbers as numbers.
 */
export class KeyBudgetInput {
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 6 })
  @Min(0)
  dailyUsd?: number;

  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 6 })
  @Min(0)
  monthlyUsd?: number;

  /** Custom reset period: a fixed window of `windowMs` aligned to the epoch. */
  @ValidateIf((l: KeyBudgetInput) => l.windowMs !== undefined)
  @IsNumber({ maxDecimalPlaces: 6 })
  @Min(0)
  windowUsd?: number;

  @ValidateIf((l: KeyBudgetInput) => l.windowUsd !== undefined)
  @IsInt()
  @Min(60_000)
  @Max(31_536_000_000)
  windowMs?: number;
}

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

/** No control characters (NUL included): ids and names end up in logs, rows and labels. */
const PRINTABLE = /^[^\p{Cc}]*$/u;
const PRINTABLE_MESSAGE = { message: '$property must not contain control characters' };

/**
 * Body of `POST /v1/admin/keys` (and, every field optional, of `PATCH`, where `null`
 * clears a nullable field: `userId`, `teamId`, `allowedModels`, `budget`, `limits`,
 * `expiresAt`; `name` and `multiUser` cannot be null).
 */
export class GatewayKeyInput {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(PRINTABLE, PRINTABLE_MESSAGE)
  name!: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  @Matches(PRINTABLE, PRINTABLE_MESSAGE)
  userId?: string | null;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  @Matches(PRINTABLE, PRINTABLE_MESSAGE)
  teamId?: string | null;

  /**
   * A trusted multi-user backend: its requests may name the end user they act for
   * (`x-gateway-user` or OpenAI's `user` field), whose budget and limits then apply. Other
   * keys' requests are always their own user's (or no user's): the header is ignored.
   */
  @IsOptional()
  @IsBoolean()
  multiUser?: boolean;

  /** Model or route names; a trailing `*` matches a prefix (`openai/*`). Absent = any. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(/^[^\s*]+\*?$|^\*$/, { each: true })
  allowedModels?: string[] | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => KeyBudgetInput)
  budget?: KeyBudgetInput | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => KeyLimitsInput)
  limits?: KeyLimitsInput | null;

  /** ISO-8601 time after which the key is refused. */
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string | null;
}

/** Fields that need a value: `@IsOptional` would let a `null` through to the store. */
const NOT_NULL = ['name', 'multiUser'] as const;
/** Objects whose fields are all optional numbers: a `null` inside is not "absent". */
const NUMBER_GROUPS = ['budget', 'limits'] as const;

/**
 * Validates an admin request body into a {@link GatewayKeyInput}; anything wrong (unknown
 * fields, wrong types, `null` where a value is needed) is a 400 naming the first bad
 * field. `partial` for updates. `null` means "none" for the nullable fields.
 */
export function parseGatewayKeyInput(body: unknown, partial = false): Partial<GatewayKeyInput> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw GatewayError.invalidRequest('Invalid request: the body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  for (const field of NOT_NULL) {
    if (fields[field] === null) throw notNull(field);
  }
  for (const group of NUMBER_GROUPS) {
    const value = fields[group];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [name, inner] of Object.entries(value)) {
      if (inner === null) throw notNull(`${group}.${name}`);
    }
  }
  const input = plainToInstance(GatewayKeyInput, body);
  const errors = validateSync(input, {
    whitelist: true,
    forbidNonWhitelisted: true,
    // Only absent fields are skipped: a present one of the wrong type is a 400, never a 500.
    skipUndefinedProperties: partial,
  });
  const first = firstError(errors);
  if (first)
    throw GatewayError.invalidRequest(`Invalid '${first.path}': ${first.message}`, first.path);
  if (typeof input.expiresAt === 'string' && Number.isNaN(Date.parse(input.expiresAt))) {
    throw GatewayError.invalidRequest("Invalid 'expiresAt': not a date", 'expiresAt');
  }
  return input;
}

function notNull(path: string): GatewayError {
  return GatewayError.invalidRequest(`Invalid '${path}': must not be null`, path);
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
