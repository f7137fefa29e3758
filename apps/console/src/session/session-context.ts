import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { Session } from './session';

export interface SessionValue {
  session: Session;
  /** The gateway API with the session's key. */
  api: ApiClient;
  /** Forgets the key; `message` is shown on the sign-in form (why the session ended). */
  signOut: (message?: string) => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

/** The signed-in session; only pages rendered inside the signed-in shell call it. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside the signed-in console');
  return value;
}
