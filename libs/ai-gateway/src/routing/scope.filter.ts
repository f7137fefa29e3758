import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { modelAllowed } from '../keys/model-scope';
import type { RouteTarget } from './model-resolver.service';
import type { Candidate } from './strategies/strategy.types';

/**
 * A candidate and the name the caller used that led to it: a route or bare model name
 * grants its targets, a chain entry its own, and a fallback provider added to an explicit
 * `provider/model` only its own `provider/model`.
 */
export interface Reached {
  candidate: Candidate;
  via: string;
}

/** Why a candidate left the plan before any call: outside the caller's model scope. */
export const NOT_ALLOWED = 'not_allowed';

export interface ScopeSplit {
  kept: Candidate[];
  skipped: Array<{ target: RouteTarget; reason: typeof NOT_ALLOWED }>;
}

/**
 * Keeps the candidates the caller's scope (its key's `allowedModels`) allows — through the
 * name that reached them or their own `provider/model` — so a fallback can never serve a
 * model from a provider the key may not use. No scope keeps everything. Throws
 * `MODEL_NOT_ALLOWED` (403) when nothing is left.
 */
export function filterByScope(
  reached: readonly Reached[],
  scope: readonly string[] | undefined,
  model: string,
): ScopeSplit {
  if (!scope) return { kept: reached.map((r) => r.candidate), skipped: [] };
  const split: ScopeSplit = { kept: [], skipped: [] };
  for (const { candidate, via } of reached) {
    const { provider, model: id } = candidate.target;
    if (modelAllowed(scope, via) || modelAllowed(scope, `${provider}/${id}`)) {
      split.kept.push(candidate);
    } else split.skipped.push({ target: candidate.target, reason: NOT_ALLOWED });
  }
  if (split.kept.length === 0) {
    throw new GatewayError(
      GatewayErrorCode.MODEL_NOT_ALLOWED,
      `This gateway key may not use model '${model}': none of its providers is in the key's scope`,
      { param: 'model' },
    );
  }
  return split;
}
