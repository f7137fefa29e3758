import type { ResponseMeta } from '@ai-gateway/core';
import { isCacheHit } from '@ai-gateway/core';
import { headerValue } from '../http/header-value';
import { traceOf } from '../observability/request-meta';

/**
 * Headers that say who served a response. The built-in local fake is also marked in
 * `x-gateway-fake` so nobody mistakes its answers for a model's.
 */
export function metaHeaders(meta: ResponseMeta): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': meta.requestId,
    // Model ids come from the caller on providers that take any model: encoded to be sendable.
    'x-gateway-provider': headerValue(meta.provider),
    'x-gateway-model': headerValue(meta.model),
    // Calls actually sent (retries and hedges included; skipped candidates are not calls).
    'x-gateway-attempts': String(
      meta.attempts.filter((a) => !a.outcome.startsWith('skipped')).length ||
        (isCacheHit(meta.cache) ? 0 : 1),
    ),
  };
  const cache = meta.cache;
  if (cache) {
    headers['x-gateway-cache'] = cache.status;
    if (cache.similarity !== undefined) {
      headers['x-gateway-cache-similarity'] = cache.similarity.toFixed(4);
    }
    if (cache.reason) headers['x-gateway-cache-reason'] = cache.reason;
    if (cache.ageSeconds !== undefined) headers.age = String(cache.ageSeconds);
    if (cache.savedMicroUsd !== undefined && isCacheHit(cache)) {
      headers['x-gateway-cost-saved-usd'] = (cache.savedMicroUsd / 1_000_000).toFixed(6);
    }
  }
  // The decision trace: every candidate tried, in order, with its outcome.
  if (meta.attempts.length > 0) {
    headers['x-gateway-trace'] = headerValue(traceOf(meta.attempts));
  }
  if (meta.route) headers['x-gateway-route'] = headerValue(meta.route);
  // Streams learn their cost only at the end: the header is there for complete answers.
  if (meta.costUsd !== undefined) headers['x-gateway-cost-usd'] = meta.costUsd.toFixed(6);
  else if (meta.priced === false) headers['x-gateway-cost-usd'] = 'unpriced';
  if (meta.rateLimitHeaders) Object.assign(headers, meta.rateLimitHeaders);
  // What the middleware decided (`pii_scrubber=masked:2, prompt_injection_detector=flagged:…`).
  if (meta.guardrails) headers['x-gateway-guardrails'] = headerValue(meta.guardrails);
  if (meta.fake)
    headers['x-gateway-fake'] = 'true; the local fake provider answered, not a real model';
  return headers;
}
