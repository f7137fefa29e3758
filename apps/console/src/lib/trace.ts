/** One candidate of a request's decision trace. */
export interface TraceStep {
  provider: string;
  model: string;
  /** `ok`, the error code the attempt failed with, or `skipped:<reason>`. */
  outcome: string;
  kind: 'served' | 'failed' | 'skipped';
  /** Why it was skipped, or the code it failed with. */
  reason?: string;
}

/**
 * Parses the gateway's decision trace — the usage row's `fallbackChain` and the
 * `x-gateway-trace` header share one format, `provider/model=outcome, …` (the provider is
 * the config name, the model its own id, which may hold `/`). `encoded`: the header form,
 * where characters outside visible ASCII are percent-encoded.
 */
export function parseTrace(text: string | null | undefined, encoded = false): TraceStep[] {
  if (!text) return [];
  return text
    .split(', ')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const entry = encoded ? decodeSafely(part) : part;
      const eq = entry.lastIndexOf('=');
      const target = eq >= 0 ? entry.slice(0, eq) : entry;
      const outcome = eq >= 0 ? entry.slice(eq + 1) : '';
      const slash = target.indexOf('/');
      const provider = slash >= 0 ? target.slice(0, slash) : target;
      const model = slash >= 0 ? target.slice(slash + 1) : '';
      if (outcome === 'ok') return { provider, model, outcome, kind: 'served' as const };
      if (outcome.startsWith('skipped')) {
        const reason = outcome.slice('skipped:'.length) || undefined;
        return { provider, model, outcome, kind: 'skipped' as const, reason };
      }
      return { provider, model, outcome, kind: 'failed' as const, reason: outcome };
    });
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const REASONS: Record<string, string> = {
  circuit_open: 'circuit open',
  keys_resting: 'every API key resting (rate limited or refused)',
  provider_unavailable: 'provider not running',
  caller_share: "caller's share of the connection pool in use",
  budget_cap: 'provider over its budget cap',
  max_cost: 'worst case over the per-request cost cap',
  budget_exceeded: 'caller over budget',
  budget_unavailable: 'budget store unreachable',
  not_allowed: "outside the key's allowed models",
  server_error: 'server error (5xx)',
  timeout: 'timed out',
  rate_limited: 'rate limited by the provider (429)',
  connection: 'connection failed',
  context_length_exceeded: 'context window exceeded',
  stream_interrupted: 'stream interrupted',
  auth: 'provider refused the API key',
  cancelled: 'cancelled',
};

/** A step in words: `served`, `failed: server error (5xx)`, `skipped: circuit open`. */
export function describeStep(step: TraceStep): string {
  if (step.kind === 'served') return 'served the answer';
  const reason = step.reason ? (REASONS[step.reason] ?? step.reason.replace(/_/g, ' ')) : '';
  const verb = step.kind === 'skipped' ? 'skipped' : 'failed';
  return reason ? `${verb}: ${reason}` : verb;
}
