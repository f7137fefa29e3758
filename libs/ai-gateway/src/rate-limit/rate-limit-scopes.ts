import type { GatewayConfig } from '../config/gateway-config.schema';
import type { RateLimitConfig, RateLimitFailMode } from '../config/rate-limit-config.schema';
import { MAX_RATE_LIMIT, RateLimitsConfig } from '../config/rate-limit-config.schema';
import type { KeyLimits } from '../shared/caller-limits';
import { MAX_CONCURRENT_REQUESTS } from './rate-limit-checks';
import type { RateLimitScope, RateLimitScopeKind } from './rate-limit.types';

/** Who is asking, as far as rate limits care. */
export interface RateLimitSubject {
  /** The gateway key's id (never its secret). */
  keyId?: string;
  /** The key's own limits from its record; they replace `rateLimits.defaultKey`. */
  keyLimits?: KeyLimits;
  userId?: string;
  teamId?: string;
  /** The model or route name as the caller wrote it. */
  model: string;
  /** The client's address: limited by `rateLimits.ip` only when there is no key. */
  ip?: string;
}

/** The id of the one global scope. */
export const GLOBAL_SCOPE_ID = '*';

const DEFAULTS: Readonly<RateLimitsConfig> = new RateLimitsConfig();

/**
 * The `rateLimits` section with its defaults (an older configuration object built by
 * hand may lack it).
 */
export function rateLimitSettingsOf(config: GatewayConfig): RateLimitsConfig {
  return (config as Partial<GatewayConfig>).rateLimits ?? DEFAULTS;
}

/**
 * The scopes that apply to a request, most specific first: key, user, team, model, IP
 * (callers without a key only), global. An owner's own entry replaces the default for
 * its kind as a whole (like budgets): a key's limits from its record, `users.<id>`,
 * `teams.<id>`; models have no default. A scope with no limit set is left out, so a
 * request nothing limits needs no store call at all. Each scope's failure policy is its
 * own `failMode`, else `rateLimits.failMode` (a key's record has none: `defaultKey`'s).
 */
export function scopesFor(
  settings: RateLimitsConfig | undefined,
  subject: RateLimitSubject,
): RateLimitScope[] {
  const config = settings ?? DEFAULTS;
  const scopes: RateLimitScope[] = [];
  const add = (
    kind: RateLimitScopeKind,
    id: string,
    limits: RateLimitConfig | KeyLimits | undefined,
    failMode?: RateLimitFailMode,
  ): void => {
    const scope = scopeOf(kind, id, limits, failMode ?? config.failMode);
    if (scope) scopes.push(scope);
  };
  if (subject.keyId) {
    add('key', subject.keyId, subject.keyLimits ?? config.defaultKey, config.defaultKey?.failMode);
  }
  if (subject.userId) {
    const limits = config.users[subject.userId] ?? config.defaultUser;
    add('user', subject.userId, limits, limits?.failMode);
  }
  if (subject.teamId) {
    const limits = config.teams[subject.teamId] ?? config.defaultTeam;
    add('team', subject.teamId, limits, limits?.failMode);
  }
  const model = config.models[subject.model];
  add('model', subject.model, model, model?.failMode);
  if (!subject.keyId && subject.ip) add('ip', subject.ip, config.ip, config.ip?.failMode);
  add('global', GLOBAL_SCOPE_ID, config.global, config.global?.failMode);
  return scopes;
}

function scopeOf(
  kind: RateLimitScopeKind,
  id: string,
  limits: RateLimitConfig | KeyLimits | undefined,
  failMode: RateLimitFailMode,
): RateLimitScope | undefined {
  if (!limits || id === '') return undefined;
  const requestsPerMinute = limitOf(limits.requestsPerMinute, MAX_RATE_LIMIT);
  const tokensPerMinute = limitOf(limits.tokensPerMinute, MAX_RATE_LIMIT);
  const concurrentRequests = limitOf(limits.concurrentRequests, MAX_CONCURRENT_REQUESTS);
  if (
    requestsPerMinute === undefined &&
    tokensPerMinute === undefined &&
    concurrentRequests === undefined
  ) {
    return undefined;
  }
  const scope: RateLimitScope = { kind, id, failMode };
  if (requestsPerMinute !== undefined) scope.requestsPerMinute = requestsPerMinute;
  if (tokensPerMinute !== undefined) scope.tokensPerMinute = tokensPerMinute;
  if (concurrentRequests !== undefined) scope.concurrentRequests = concurrentRequests;
  return scope;
}

/**
 * A limit the stores can account: config limits are validated at boot, but a key's record
 * may hold a null or a figure above the maximum, which would be capped rather than break
 * every request of the key.
 */
function limitOf(value: number | null | undefined, max: number): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return undefined;
  return Math.min(value, max);
}
