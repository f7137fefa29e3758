import { ApiClient, ApiError } from '../api/client';

/**
 * Who the console is signed in as: the admin key (everything), a gateway key (`gk_…`: its
 * own usage, jobs and playground only) or no key on a gateway without auth ("open": every
 * read that needs no admin key).
 */
export type Role = 'admin' | 'key' | 'open';

export interface Session {
  /** The key every call presents; '' on an open gateway without one. */
  key: string;
  role: Role;
}

/** Gateway keys are issued as `gk_…`; the admin key is whatever the operator configured. */
const GATEWAY_KEY_PREFIX = 'gk_';

/**
 * sessionStorage, never localStorage: the key lives as long as the tab and never reaches
 * disk for other tabs or later visits. It is never put in a URL or logged.
 */
const STORAGE_KEY = 'ai-gateway-console.session';

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.key !== 'string') return undefined;
    if (value.role !== 'admin' && value.role !== 'key' && value.role !== 'open') return undefined;
    return { key: value.key, role: value.role };
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  sessionStorage.removeItem(PLAYGROUND_KEY);
}

/** A sign-in that did not work, with the message to show. */
export class SignInError extends Error {}

/**
 * Checks a key against the gateway's own APIs, with one call that a right key passes (so
 * a good sign-in leaves no failed request behind, and a wrong one counts once):
 * - no key: `GET /v1/usage/summary` answers only on a gateway without auth;
 * - a gateway key (`gk_…`): `GET /v1/usage/summary`, which it may read for itself;
 * - anything else can only be the admin key: `GET /v1/admin/keys`.
 */
export async function signIn(key: string): Promise<Session> {
  const api = new ApiClient(key);
  const role: Role = !key ? 'open' : key.startsWith(GATEWAY_KEY_PREFIX) ? 'key' : 'admin';
  try {
    if (role === 'admin') await api.get('/v1/admin/keys');
    else await api.get('/v1/usage/summary', { period: '24h' });
    return { key, role };
  } catch (error) {
    throw asSignInError(error, role);
  }
}

function asSignInError(error: unknown, role: Role): SignInError {
  if (!(error instanceof ApiError)) {
    return new SignInError('Sign-in failed: the gateway did not answer as expected.');
  }
  if (error.status === 401) {
    if (role === 'open') {
      return new SignInError(
        'This gateway checks keys: enter the admin key or a gateway key to sign in.',
      );
    }
    if (role === 'admin') {
      return new SignInError(
        `Sign-in refused: ${error.message}. Enter the admin key (GATEWAY_ADMIN_KEY) or a ` +
          'gateway key (gk_…); on a gateway without auth, leave the field empty.',
      );
    }
    return new SignInError(`Sign-in refused: ${error.message}.`);
  }
  if (error.status === 429) return new SignInError(`Too many attempts: ${error.message}`);
  return new SignInError(error.message);
}

/**
 * The admin key cannot call models when the gateway checks keys (chat is for gateway
 * keys): the playground then uses a gateway key the operator pastes, kept like the
 * session's key.
 */
const PLAYGROUND_KEY = 'ai-gateway-console.playground-key';

/** The playground's gateway key: null until chosen, '' to call without one (auth off). */
export function loadPlaygroundKey(): string | null {
  try {
    return sessionStorage.getItem(PLAYGROUND_KEY);
  } catch {
    return null;
  }
}

export function savePlaygroundKey(key: string): void {
  sessionStorage.setItem(PLAYGROUND_KEY, key);
}
