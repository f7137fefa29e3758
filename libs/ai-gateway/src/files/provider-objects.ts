import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { ProviderKind } from '../config/gateway-config.schema';
import type { Caller } from '../shared/call-result';
import type { ListQuery, ProviderObject } from './provider-objects.repository';

/** OpenAI's list page: `data`, `first_id`, `last_id`, `has_more`. */
export interface ListPage<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** The owner check: another key's object is answered exactly like a missing one. */
export function assertOwned<T>(
  found: ProviderObject<T> | undefined,
  caller: Pick<Caller, 'keyId'> | undefined,
  what: 'File' | 'Batch',
  id: string,
  param: string,
): ProviderObject<T> {
  if (!found || found.keyId !== (caller?.keyId ?? null)) {
    throw new GatewayError(GatewayErrorCode.NOT_FOUND, `No such ${what.toLowerCase()}: '${id}'.`, {
      param,
    });
  }
  return found;
}

/** `limit` (1–100, default `fallback`), `after` and `order` of a list call. */
export function listQueryOf(
  query: Record<string, unknown>,
  fallback: number,
): ListQuery & { purpose?: string } {
  const limitText = query.limit;
  const limit = limitText === undefined ? fallback : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw GatewayError.invalidRequest(
      "Invalid request: 'limit' must be an integer from 1",
      'limit',
    );
  }
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') {
    throw GatewayError.invalidRequest("Invalid request: 'order' must be 'asc' or 'desc'", 'order');
  }
  const after = typeof query.after === 'string' && query.after !== '' ? query.after : undefined;
  const purpose =
    typeof query.purpose === 'string' && query.purpose !== '' ? query.purpose : undefined;
  return { limit: Math.min(limit, 10_000), order, after, purpose };
}

export function pageOf<T extends { id?: unknown }>(data: T[], hasMore: boolean): ListPage<T> {
  return {
    object: 'list',
    data,
    first_id: typeof data[0]?.id === 'string' ? data[0].id : null,
    last_id: typeof data.at(-1)?.id === 'string' ? (data.at(-1)!.id as string) : null,
    has_more: hasMore,
  };
}

/** Provider kinds whose accounts hold files and batches in OpenAI's API. */
const FILE_KINDS: readonly ProviderKind[] = ['openai', 'openai-compatible'];

/**
 * The provider a new file goes to: the one the caller names (`x-gateway-provider`), else
 * the first configured OpenAI provider, else the first OpenAI-compatible one.
 */
export function fileProviderOf(
  providers: Readonly<Record<string, { kind: ProviderKind }>>,
  named: string | undefined,
): string {
  if (named !== undefined) {
    if (!Object.hasOwn(providers, named)) {
      throw GatewayError.invalidRequest(
        `Invalid header 'x-gateway-provider': no provider '${named}' is configured`,
        'x-gateway-provider',
      );
    }
    return named;
  }
  for (const kind of FILE_KINDS) {
    const found = Object.keys(providers).find((name) => providers[name].kind === kind);
    if (found) return found;
  }
  throw new GatewayError(
    GatewayErrorCode.UNSUPPORTED_FEATURE,
    'POST /v1/files needs an openai or openai-compatible provider, and none is configured',
    { param: 'x-gateway-provider' },
  );
}
