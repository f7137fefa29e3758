import { formatResetDuration } from './rate-limit-headers';
import type { RateLimitRefusal, RateLimitScope } from './rate-limit.types';

/** `key "key-1"`, `the gateway`: names a scope in messages (ids, never secrets). */
export function describeScope(scope: RateLimitScope): string {
  return scope.kind === 'global' ? 'the gateway' : `${scope.kind} "${scope.id}"`;
}

/** What a refused caller reads: which limit, what it asked, when to retry. */
export function limitedMessage(refusal: RateLimitRefusal, tokens: number): string {
  const who = describeScope(refusal.scope);
  const retry = `Try again in ${formatResetDuration(refusal.retryAfterMs)}.`;
  const { requestsPerMinute, tokensPerMinute, concurrentRequests } = refusal.scope;
  switch (refusal.dimension) {
    case 'requests':
      return `Rate limit reached for ${who}: ${requestsPerMinute} requests per minute. ${retry}`;
    case 'tokens':
      return refusal.tooLarge
        ? `Request too large for ${who}: it may use ${tokens} tokens (prompt and max_tokens), ` +
            `above the limit of ${tokensPerMinute} tokens per minute.`
        : `Rate limit reached for ${who}: ${tokensPerMinute} tokens per minute, and this ` +
            `request may use ${tokens}. ${retry}`;
    case 'concurrency':
      return `Too many concurrent requests for ${who}: at most ${concurrentRequests} at once. ${retry}`;
  }
}
