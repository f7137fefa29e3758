/** Fields that `${ENV}` interpolation turns into text and the loader turns back into numbers or booleans. */
const NUMERIC_FIELDS = new Set([
  'maxJobsPerKey',
  'attempts',
  'backoffMs',
  'keepCompletedSeconds',
  'keepFailedSeconds',
  'concurrency',
  'lockDurationMs',
  'stalledIntervalMs',
  'maxStalledCount',
  'inlineMaxChars',
  'perKeyConcurrency',
  'maxWaiting',
  'maxWaitingPerKey',
  'maxWaitMs',
  'memoryMb',
  'maxInflatedBytes',
  'batchSize',
  'flushIntervalMs',
  'bufferLimit',
  'retentionDays',
  'cachedInputCostPerMTok',
  'dailyUsd',
  'monthlyUsd',
  'windowUsd',
  'reservationTtlMs',
  'cacheTtlMs',
  'rateLimitWaitMs',
  'maxCostPerRequestUsd',
  'unavailableRetryAfterMs',
  'requestsPerMinute',
  'tokensPerMinute',
  'concurrentRequests',
  'expectedInstances',
  'adminRequestsPerMinute',
  'maxSizeMb',
  'ttlSeconds',
  'threshold',
  'semanticThreshold',
  'maxEntriesPerScope',
  'maxScopes',
  'maxScopesPerTenant',
  'annFrom',
  'maxInputChars',

  'firstTokenTimeoutMs',
  'idleTimeoutMs',
  'keyCooldownMs',
  'keyQuarantineMs',
  'baseDelayMs',
  'maxDelayMs',
  'maxRetryAfterMs',
  'budgetRatio',
  'minRetriesPerSecond',
  'failureThreshold',
  'errorRateThreshold',
  'minRequests',
  'windowMs',
  'openMs',
  'contextWindow',
  'maxOutputTokens',
  'inputCostPerMTok',
  'outputCostPerMTok',
  'delayMs',
  'minDelayMs',
  'deadlineMs',
  'commandTimeoutMs',

  'port',
  'bodyLimitBytes',
  'timeoutMs',
  'connectTimeoutMs',
  'maxRetries',
  'priority',
  'maxConnections',
  'maxConnectionsPerCaller',
]);
const BOOLEAN_FIELDS = new Set([
  'allowPrivateNetworks',
  'runMigrationsOnStart',
  'failOpen',
  'retryBeforeFallback',
  'enabled',
  'fake',
  'logPrompts',
  'shared',
  'allowTools',
  'requireDeterministic',
]);

/**
 * Reads, interpolates and validates the configuration once. Throws a single
 * `GatewayError(INVALID_CONFIG)` listing every bad key, so a broken file is fixed in
 * one pass rather than one error per boot.
 */

/** Env interpolation yields strings; known numeric and boolean fields are coerced back. */
export function coerceScalars(node: unknown, key = ''): unknown {
  if (Array.isArray(node)) return node.map((item) => coerceScalars(item));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, coerceScalars(v, k)]));
  }
  if (
    typeof node === 'string' &&
    NUMERIC_FIELDS.has(key) &&
    node.trim() !== '' &&
    !Number.isNaN(Number(node))
  ) {
    return Number(node);
  }
  if (typeof node === 'string' && BOOLEAN_FIELDS.has(key) && /^(true|false)$/i.test(node)) {
    return node.toLowerCase() === 'true';
  }
  return node;
}
