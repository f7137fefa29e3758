/**
 * True when the database refused the data itself (SQLSTATE class 22, data exception,
 * or 23, integrity violation): retrying the same rows can never succeed, so the writer
 * isolates and drops the bad rows instead of buffering them forever. Everything else —
 * connection refused, timeouts, missing table, server shutting down — is treated as an
 * outage: the rows wait and are retried.
 */
export function isRejectedByDatabase(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && (code.startsWith('22') || code.startsWith('23'));
}

function sqlState(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { code, driverError } = error as { code?: unknown; driverError?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  return driverError === error ? undefined : sqlState(driverError);
}
