import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { Flag, Numeric } from './field-coercion';

/**
 * Gateway keys. Off by default (the embedded default trusts every caller, who may name
 * itself with `x-gateway-user` or OpenAI's `user` field); on, every model call needs a
 * gateway key, and a request counts against its key's own user: only a key marked
 * `multiUser` (a trusted backend) may name the user it acts for. The admin API needs
 * `adminKey` either way.
 */
export class AuthConfig {
  @Flag()
  @IsBoolean()
  enabled = false;

  /** Guards the admin API (`GATEWAY_ADMIN_KEY`). */
  @IsOptional()
  @IsString()
  @MinLength(16)
  adminKey?: string;

  /** Key of the HMAC that gateway keys are stored as (`GATEWAY_KEY_SECRET`); keep it stable. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  hashSecret?: string;

  /** How long a looked-up key is trusted from memory (a disabled key stops within this on other instances). */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(300_000)
  cacheTtlMs = 10_000;
}
