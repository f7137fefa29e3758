import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { ProviderKind } from '../config/gateway-config.schema';
import type { Caller } from '../shared/call-result';
import type {
  ListQuery,
  ProviderObject,
  ProviderObjectsRepository,
} from './provider-objects.repository';

/** OpenAI's list page: `data`, `first_id`, `last_id`, `has_more`. */
export interface ListPage<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** Ids the providers make are short printable ASCII; anything else names nothing. */
const PLAUSIBLE_ID = /^[\x21-\x7e]{1,256}$/;

export function isPlausibleId(id: string): boolean {
  return PLAUSIBLE_ID.test(id);
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
  if (after !== undefined && !isPlausibleId(after)) {
    throw GatewayError.invalidRequest("Invalid request: 'after' is not an id", 'after');
  }
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
  providers: Readonly<Record<string, { kind: ProviderKind; enabled?: boolean }>>,
  named: string | undefined,
): string {
  const usable = (name: string): boolean => providers[name].enabled !== false;
  if (named !== undefined) {
    if (!Object.hasOwn(providers, named) || !usable(named)) {
      throw GatewayError.invalidRequest(
        `Invalid header 'x-gateway-provider': no enabled provider '${named}' is configured`,
        'x-gateway-provider',
      );
    }
    return named;
  }
  for (const kind of FILE_KINDS) {
    const found = Object.keys(providers).find(
      (name) => providers[name].kind === kind && usable(name),
    );
    if (found) return found;
  }
  throw new GatewayError(
    GatewayErrorCode.UNSUPPORTED_FEATURE,
    'POST /v1/files needs an openai or openai-compatible provider, and none is configured',
    { param: 'x-gateway-provider' },
  );
}

/**
 * A provider's 404 for an object the gateway holds a record of: it is gone there
 * (expired, deleted outside the gateway), so the record goes too and the caller gets the
 * gateway's 404. Any other failure is returned as it is.
 */
export async function goneAtProvider(
  error: unknown,
  entry: ProviderObject<unknown>,
  objects: Pick<ProviderObjectsRepository, 'remove'>,
  what: 'File' | 'Batch',
): Promise<unknown> {
  if (!(error instanceof GatewayError) || error.upstreamStatus !== 404) return error;
  await objects.remove(entry.id);
  return new GatewayError(
    GatewayErrorCode.NOT_FOUND,
    `No such ${what.toLowerCase()}: '${entry.id}' (provider ${entry.provider} no longer has it).`,
    { param: what === 'File' ? 'file_id' : 'batch_id', provider: entry.provider },
  );
}
