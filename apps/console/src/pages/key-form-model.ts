import type { GatewayKey, KeyInput } from '../api/types';
import { fromLocalInput, toLocalInput } from '../lib/format';

/** The key form's fields, as typed (text), before they become an API body. */
export interface KeyFormState {
  name: string;
  userId: string;
  teamId: string;
  multiUser: boolean;
  /** Model or route names, separated by commas or spaces; `openai/*` matches a prefix. */
  allowedModels: string;
  dailyUsd: string;
  monthlyUsd: string;
  requestsPerMinute: string;
  tokensPerMinute: string;
  concurrentRequests: string;
  /** `datetime-local` text. */
  expiresAt: string;
}

export const EMPTY_KEY_FORM: KeyFormState = {
  name: '',
  userId: '',
  teamId: '',
  multiUser: false,
  allowedModels: '',
  dailyUsd: '',
  monthlyUsd: '',
  requestsPerMinute: '',
  tokensPerMinute: '',
  concurrentRequests: '',
  expiresAt: '',
};

const text = (value: number | undefined): string => (value === undefined ? '' : String(value));

/** The form of an existing key, for editing. */
export function formOf(key: GatewayKey): KeyFormState {
  return {
    name: key.name,
    userId: key.userId ?? '',
    teamId: key.teamId ?? '',
    multiUser: key.multiUser,
    allowedModels: (key.allowedModels ?? []).join(', '),
    dailyUsd: text(key.budget?.dailyUsd),
    monthlyUsd: text(key.budget?.monthlyUsd),
    requestsPerMinute: text(key.limits?.requestsPerMinute),
    tokensPerMinute: text(key.limits?.tokensPerMinute),
    concurrentRequests: text(key.limits?.concurrentRequests),
    expiresAt: toLocalInput(key.expiresAt),
  };
}

/** A field the form refuses before asking the gateway (which checks everything again). */
export class KeyFormError extends Error {
  constructor(
    readonly field: keyof KeyFormState,
    message: string,
  ) {
    super(message);
  }
}

function money(state: KeyFormState, field: 'dailyUsd' | 'monthlyUsd', label: string) {
  const raw = state[field].trim();
  if (raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new KeyFormError(field, `${label} must be a number of US dollars, 0 or more.`);
  }
  return value;
}

function count(
  state: KeyFormState,
  field: 'requestsPerMinute' | 'tokensPerMinute' | 'concurrentRequests',
  label: string,
) {
  const raw = state[field].trim();
  if (raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new KeyFormError(field, `${label} must be a whole number, 1 or more.`);
  }
  return value;
}

/** Drops undefined fields; an object left empty is `null` ("none"). */
function compact<T extends object>(value: T): T | null {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as T) : null;
}

/**
 * The API body of the form. `original`: the key being edited — then an emptied field
 * becomes `null` (the gateway clears it) and a custom budget window the form does not
 * show is kept. Creating, empty fields are left out.
 */
export function keyInputOf(state: KeyFormState, original?: GatewayKey): KeyInput {
  const name = state.name.trim();
  if (!name) throw new KeyFormError('name', 'Give the key a name.');
  const expiresAt = state.expiresAt ? fromLocalInput(state.expiresAt) : undefined;
  if (state.expiresAt && !expiresAt)
    throw new KeyFormError('expiresAt', 'Not a valid date and time.');
  const models = state.allowedModels
    .split(/[\s,]+/)
    .map((m) => m.trim())
    .filter(Boolean);
  const budget = compact({
    dailyUsd: money(state, 'dailyUsd', 'The daily budget'),
    monthlyUsd: money(state, 'monthlyUsd', 'The monthly budget'),
    windowUsd: original?.budget?.windowUsd,
    windowMs: original?.budget?.windowMs,
  });
  const limits = compact({
    requestsPerMinute: count(state, 'requestsPerMinute', 'Requests per minute'),
    tokensPerMinute: count(state, 'tokensPerMinute', 'Tokens per minute'),
    concurrentRequests: count(state, 'concurrentRequests', 'Concurrent requests'),
  });
  const input: KeyInput = {
    name,
    userId: state.userId.trim() || null,
    teamId: state.teamId.trim() || null,
    multiUser: state.multiUser,
    allowedModels: models.length ? models : null,
    budget,
    limits,
    expiresAt: expiresAt ?? null,
  };
  if (original) return input;
  // Creating: what is not set is simply left out.
  const created: KeyInput = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== null && v !== false),
  );
  return created;
}
