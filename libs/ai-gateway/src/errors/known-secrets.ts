import { MIN_SECRET_LENGTH } from './secret-redaction';

/** Beyond this many, the oldest secret is forgotten (a bound, far above any real config). */
const MAX_KNOWN_SECRETS = 1_000;

/** Provider headers whose values are credentials (Azure's `api-key`, a proxy's token…). */
export const CREDENTIAL_HEADER = /auth|key|token|secret|signature|cookie/i;

/**
 * The secrets this process holds, for the redaction every `GatewayError` message goes
 * through. Process-wide on purpose: an error is built in many places (adapters, SDK
 * callbacks, the pipeline, task runs), and none of them should need the configuration to
 * keep a key out of its message. Secrets are only ever added: a key rotated out of the
 * config is still a secret and stays redacted.
 */
export class KnownSecrets {
  private readonly secrets = new Set<string>();
  private snapshot: readonly string[] = [];

  /** Adds secrets; values shorter than {@link MIN_SECRET_LENGTH} are ignored. */
  add(values: Iterable<string | undefined | null>): void {
    let changed = false;
    for (const value of values) {
      if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) continue;
      if (this.secrets.has(value)) continue;
      this.secrets.add(value);
      changed = true;
      if (this.secrets.size > MAX_KNOWN_SECRETS) {
        this.secrets.delete(this.secrets.values().next().value as string);
      }
    }
    // Longest first, so a secret that contains another is removed whole.
    if (changed) this.snapshot = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  /** Every known secret, longest first. */
  list(): readonly string[] {
    return this.snapshot;
  }
}

/** The process's one registry, read by `GatewayError`. */
export const knownSecrets = new KnownSecrets();

/**
 * The parts of a provider entry that hold credentials. Structural, so the errors room needs
 * nothing from the config room (which builds its errors from this one).
 */
export interface ProviderCredentials {
  apiKeys?: readonly string[];
  headers?: Readonly<Record<string, string>>;
}

/**
 * The parts of a configuration that hold secrets; `tasks` is the resume tasks' section
 * (`@ai-gateway/resume`), present when a host loads it.
 */
export interface ConfigCredentials {
  providers: Readonly<Record<string, ProviderCredentials>>;
  auth: { adminKey?: string; hashSecret?: string };
  tasks?: { webhooks?: { secret?: string } };
}

/** A provider entry's credentials: its API keys and any credential-bearing header values. */
export function providerSecrets(provider: ProviderCredentials): string[] {
  const headers = Object.entries(provider.headers ?? {})
    .filter(([name]) => CREDENTIAL_HEADER.test(name))
    .map(([, value]) => value);
  return [...(provider.apiKeys ?? []), ...headers];
}

/** Every secret of a configuration: provider credentials, the admin key, signing keys. */
export function configSecrets(config: ConfigCredentials): string[] {
  const secrets = Object.values(config.providers).flatMap(providerSecrets);
  for (const value of [
    config.auth.adminKey,
    config.auth.hashSecret,
    config.tasks?.webhooks?.secret,
  ]) {
    if (value) secrets.push(value);
  }
  return secrets;
}

/** Makes every secret of `config` known to the redaction (call on load and on each reload). */
export function registerConfigSecrets(config: ConfigCredentials): void {
  knownSecrets.add(configSecrets(config));
}
