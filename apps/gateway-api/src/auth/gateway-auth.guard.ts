import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  GatewayConfigService,
  GatewayError,
  GatewayErrorCode,
  GatewayKeys,
} from '@ai-gateway/core';
import type { AuthenticatedKey, Caller } from '@ai-gateway/core';
import type { FastifyRequest } from 'fastify';
import type { Access } from './access.decorator';
import { ACCESS_METADATA } from './access.decorator';
import { presentedKey } from './presented-key';
import { setRequestAuth } from './request-auth';

/** Retry-After when the key store cannot be reached. */
const AUTH_UNAVAILABLE_RETRY_MS = 1_000;

/**
 * Authenticates a request by its route's {@link Access}: gateway keys (checked by
 * `GatewayKeys`, cached in memory) for model calls when auth is on, the admin key for
 * the admin API. Failures are 401 `invalid_api_key` in OpenAI's shape — the same answer
 * for an unknown, a disabled and an expired key apart from the message, and never an
 * echo of what was presented.
 */
@Injectable()
export class GatewayAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: GatewayKeys,
    private readonly config: GatewayConfigService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'client';
    if (access === 'public') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const presented = presentedKey(request);
    const admin = (access === 'admin' || access === 'usage') && this.keys.isAdminKey(presented);
    if (access === 'admin' || admin) {
      if (!admin) {
        throw unauthorized(
          this.config.current.auth.adminKey
            ? 'This endpoint needs the admin key (Authorization: Bearer <admin key>)'
            : 'The admin API is disabled: set auth.adminKey (or GATEWAY_ADMIN_KEY)',
        );
      }
      setRequestAuth(request, { admin: true });
      return true;
    }
    if (!this.config.current.auth.enabled) return true;
    if (!presented) {
      throw unauthorized(
        'Missing gateway key: send it as Authorization: Bearer <key> or X-API-Key: <key>',
      );
    }
    const check = await this.keys.check(presented);
    switch (check.status) {
      case 'ok':
        setRequestAuth(request, { admin: false, caller: callerOf(check.key) });
        return true;
      case 'disabled':
        throw unauthorized('This gateway key has been disabled');
      case 'expired':
        throw unauthorized('This gateway key has expired');
      case 'invalid':
        throw unauthorized('Invalid gateway key');
      case 'unavailable':
        throw new GatewayError(
          GatewayErrorCode.AUTH_UNAVAILABLE,
          'Gateway keys cannot be checked right now; retry shortly',
          { retryable: true, retryAfterMs: AUTH_UNAVAILABLE_RETRY_MS },
        );
    }
  }
}

function unauthorized(message: string): GatewayError {
  return new GatewayError(GatewayErrorCode.INVALID_API_KEY, message, { retryable: false });
}

function callerOf(key: AuthenticatedKey): Caller {
  return {
    keyId: key.id,
    userId: key.userId,
    teamId: key.teamId,
    allowedModels: key.allowedModels,
    keyBudget: key.budget,
    keyLimits: key.limits,
  };
}
