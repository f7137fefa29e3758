import type { ApiClient, CallOptions } from './client';
import { ApiError } from './client';
import type {
  BudgetEntry,
  GatewayKey,
  JobState,
  JobView,
  KeyInput,
  LimitEntry,
  ListBody,
  ModelEntry,
  ProviderStatus,
} from './types';

/** What an endpoint answered: its data, or that this gateway does not have it yet. */
export type Availability<T> = { available: true; data: T } | { available: false };

/** Runs `load`; an unknown endpoint (404 from an older gateway) becomes "not available". */
async function ifAvailable<T>(load: () => Promise<T>, any404 = false): Promise<Availability<T>> {
  try {
    return { available: true, data: await load() };
  } catch (error) {
    if (error instanceof ApiError && (error.unknownEndpoint || (any404 && error.status === 404))) {
      return { available: false };
    }
    throw error;
  }
}

export async function providersStatus(
  api: ApiClient,
  options?: CallOptions,
): Promise<ProviderStatus[]> {
  return (await api.get<ListBody<ProviderStatus>>('/v1/providers/status', undefined, options)).data;
}

/** Models and routes a caller can name (`GET /v1/models`), sorted by id. */
export async function listModels(
  api: ApiClient,
  key?: string,
  options?: CallOptions,
): Promise<ModelEntry[]> {
  const response = await api.fetch('/v1/models', {
    method: 'GET',
    key,
    signal: options?.signal,
  });
  const body = (await response.json()) as ListBody<ModelEntry>;
  return [...body.data].sort((a, b) => a.id.localeCompare(b.id));
}

export function budgets(
  api: ApiClient,
  options?: CallOptions,
): Promise<Availability<BudgetEntry[]>> {
  return ifAvailable(
    async () =>
      (await api.get<ListBody<BudgetEntry>>('/v1/admin/budgets', undefined, options)).data,
  );
}

export function limits(api: ApiClient, options?: CallOptions): Promise<Availability<LimitEntry[]>> {
  return ifAvailable(
    async () => (await api.get<ListBody<LimitEntry>>('/v1/admin/limits', undefined, options)).data,
  );
}

export async function listKeys(api: ApiClient, options?: CallOptions): Promise<GatewayKey[]> {
  return (await api.get<ListBody<GatewayKey>>('/v1/admin/keys', undefined, options)).data;
}

export const createKey = (api: ApiClient, input: KeyInput): Promise<GatewayKey> =>
  api.post<GatewayKey>('/v1/admin/keys', input);

export const updateKey = (api: ApiClient, id: string, input: KeyInput): Promise<GatewayKey> =>
  api.patch<GatewayKey>(`/v1/admin/keys/${encodeURIComponent(id)}`, input);

/** `disable`, `enable` or `rotate` (rotate answers with the new secret in `key`). */
export const keyAction = (
  api: ApiClient,
  id: string,
  action: 'disable' | 'enable' | 'rotate',
): Promise<GatewayKey> =>
  api.post<GatewayKey>(`/v1/admin/keys/${encodeURIComponent(id)}/${action}`);

/** Jobs per state (`GET /v1/jobs/counts`): only the numeric fields. */
export function jobCounts(
  api: ApiClient,
  options?: CallOptions,
): Promise<Availability<Array<[string, number]>>> {
  return ifAvailable(async () => {
    const body = await api.get<Record<string, unknown>>('/v1/jobs/counts', undefined, options);
    return Object.entries(body).filter((entry): entry is [string, number] => {
      return typeof entry[1] === 'number';
    });
    // Before the endpoint existed, /v1/jobs/counts was read as a job id: any 404 means "not here".
  }, true);
}

export async function listJobs(
  api: ApiClient,
  state: JobState,
  options?: CallOptions,
): Promise<JobView[]> {
  return (await api.get<ListBody<JobView>>('/v1/jobs', { state, limit: 100 }, options)).data;
}

export const getJob = (api: ApiClient, id: string, options?: CallOptions): Promise<JobView> =>
  api.get<JobView>(`/v1/jobs/${encodeURIComponent(id)}`, undefined, options);

export const retryJob = (api: ApiClient, id: string): Promise<JobView> =>
  api.post<JobView>(`/v1/jobs/${encodeURIComponent(id)}/retry`);
