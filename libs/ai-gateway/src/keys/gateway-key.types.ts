import type { BudgetLimits, KeyLimits } from '../shared/caller-limits';

/** A key as the admin API shows it: never the secret, never its hash. */
export interface GatewayKeyView {
  id: string;
  name: string;
  /** The secret's last four characters, to tell keys apart. */
  hint: string;
  userId: string | null;
  teamId: string | null;
  /** Its requests may name the user they act for (`x-gateway-user`, OpenAI's `user`). */
  multiUser: boolean;
  allowedModels: string[] | null;
  budget: BudgetLimits | null;
  limits: KeyLimits | null;
  expiresAt: string | null;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  rotatedAt: string | null;
}

/** A newly created or rotated key: the only time the secret is ever returned. */
export interface IssuedKey {
  key: GatewayKeyView;
  secret: string;
}

/** What a request authenticated with a gateway key may do. */
export interface AuthenticatedKey {
  id: string;
  userId?: string;
  teamId?: string;
  /**
   * A trusted multi-user backend: a request may name the user it acts for (when the key
   * has no user of its own). Absent: the header and `user` field select nothing.
   */
  multiUser?: true;
  allowedModels?: string[];
  budget?: BudgetLimits;
  limits?: KeyLimits;
  /** Epoch ms after which the key is refused. */
  expiresAt?: number;
}

/** The outcome of checking a presented key. */
export type KeyCheck =
  | { status: 'ok'; key: AuthenticatedKey }
  | { status: 'invalid' | 'disabled' | 'expired' }
  /** The key store is unreachable and the key is not in the cache. */
  | { status: 'unavailable' };
