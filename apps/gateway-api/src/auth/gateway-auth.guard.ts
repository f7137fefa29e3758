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
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Access } from './access.decorator';
import { ACCESS_METADATA } from './access.decorator';
import type { AuthFailureLimiter } from './auth-failure-limiter';
import { authFailureLimiterOf } from './auth-failure-limiter';
import { presentedKey } from './presented-key';
import { setRequestAuth } from './request-auth';

/** Retry-After when the key store cannot be reached. */
const AUTH_UNAVAILABLE_RETRY_MS = 1_000;

/**
 * Authenticates a request by its route's {@link Access}: gateway keys (checked by
 * `GatewayKeys`, cached in memory) for model calls when auth is on, the admin key for
 * the admin API and, when auth is on, for what shows every tenant's traffic (provider
 * status, metrics). Failures are 401 `invalid_api_key` in OpenAI's shape — the same
 * answer for an unknown, a disabled and an expired key apart from the message, and never
 * an echo of what was presented. Every wrong key counts against the client address
 * (`AuthFailureLimiter`); past `server.authFailuresPerMinute` the address gets 429 before
 * its key is even looked at.
 */
@Injectable()
export class GatewayAuthGuard implements CanActivate {
  private readonly failures: AuthFailureLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: GatewayKeys,
    private readonly config: GatewayConfigService,
  ) {
    this.failures = authFailureLimiterOf(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'client';
    if (access === 'public' || !this.checksKeys(access)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    this.failures.assertAllowed(request.ip);
    const presented = presentedKey(request);
    try {
      await this.authenticate(access, request, presented);
      return true;
    } catch (error) {
      if (presented !== undefined && error instanceof WrongKey) {
        this.failures.recordFailure(request.ip);
      }
      throw error;
    }
  }

  /** Whether `access` needs a key under the current config (auth off: model routes and operator views are open). */
  private checksKeys(access: Access): boolean {
    const { auth, server } = this.config.current;
    switch (access) {
      case 'public':
        return false;
      case 'admin':
      case 'usage':
        return true;
      case 'client':
      case 'operator':
        return auth.enabled;
      case 'metrics':
        return auth.enabled && server.metricsAccess === 'admin';
    }
  }

  private async authenticate(
    access: Exclude<Access, 'public'>,
    request: FastifyRequest,
    presented: string | undefined,
  ): Promise<void> {
    const { auth, server } = this.config.current;
    if (access !== 'client' && this.keys.isAdminKey(presented)) {
      setRequestAuth(request, { admin: true });
      return;
    }
    if (access === 'metrics' && sameSecret(presented, server.metricsToken)) return;
    if (access === 'admin') {
      throw new WrongKey(
        auth.adminKey
          ? 'This endpoint needs the admin key (Authorization: Bearer <admin key>)'
          : 'The admin API is disabled: set auth.adminKey (or GATEWAY_ADMIN_KEY)',
      );
    }
    if (access === 'operator' || access === 'metrics') {
      const needs =
        access === 'metrics'
          ? 'This endpoint needs the admin key or server.metricsToken (Authorization: Bearer <token>)'
          : 'This endpoint needs the admin key (Authorization: Bearer <admin key>)';
      // A tenant's own valid key is no guess: refused, not counted against its address.
      if (presented && (await this.keys.check(presented)).status === 'ok') {
        throw unauthorized(`${needs}; a gateway key cannot read it`);
      }
      throw new WrongKey(needs);
    }
    if (!auth.enabled) return;
    if (!presented) {
      throw unauthorized(
        'Missing gateway key: send it as Authorization: Bearer <key> or X-API-Key: <key>',
      );
    }
    const check = await this.keys.check(presented);
    switch (check.status) {
      case 'ok':
        setRequestAuth(request, { admin: false, caller: callerOf(check.key) });
        return;
      case 'disabled':
        throw new WrongKey('This gateway key has been disabled');
      case 'expired':
        throw new WrongKey('This gateway key has expired');
      case 'invalid':
        throw new WrongKey('Invalid gateway key');
      case 'unavailable':
        throw new GatewayError(
          GatewayErrorCode.AUTH_UNAVAILABLE,
          'Gateway keys cannot be checked right now; retry shortly',
          { retryable: true, retryAfterMs: AUTH_UNAVAILABLE_RETRY_MS },
        );
    }
  }
}

/** A 401 for a key that was presented and is wrong: counted against the client address. */
class WrongKey extends GatewayError {
  constructor(message: string) {
    super(GatewayErrorCode.INVALID_API_KEY, message, { retryable: false });
  }
}

/** Constant-time equality of a presented secret and a configured one (absent: never equal). */
function sameSecret(presented: string | undefined, expected: string | undefined): boolean {
  if (!presented || !expected) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function unauthorized(message: string): GatewayError {
  return new GatewayError(GatewayErrorCode.INVALID_API_KEY, message, { retryable: false });
}

function callerOf(key: AuthenticatedKey): Caller {
  return {
    keyId: key.id,
    userId: key.userId,
    teamId: key.teamId,
    multiUser: key.multiUser,
    allowedModels: key.allowedModels,
    keyBudget: key.budget,
    keyLimits: key.limits,
  };
}
