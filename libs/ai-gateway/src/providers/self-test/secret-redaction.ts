import type { GatewayConfig } from '../../config/gateway-config.schema';

const REDACTED = '[redacted]';

/** Longest error message passed on: provider messages can be long, and only the gist helps. */
const MAX_MESSAGE_LENGTH = 500;

/** Shorter configured "keys" (placeholders of local servers) would blank out ordinary words. */
const MIN_SECRET_LENGTH = 8;

/**
 * Key-shaped tokens a provider may quote back (OpenAI's "Incorrect API key provided: sk-…",
 * Google's `AIza…`), and the gateway's own `gk_` keys — even partly masked ones.
 */
const KEY_SHAPES = /\b(?:sk-[\w*-]{6,}|sk_[\w*-]{6,}|gk_[\w*-]{6,}|AIza[\w*-]{10,})/g;

/**
 * An error message fit to show an admin: every configured provider key and the admin key
 * removed, key-shaped tokens masked, and the length capped.
 */
export function redactSecrets(message: string, config: GatewayConfig): string {
  let text = message;
  const secrets = Object.values(config.providers).flatMap((provider) => provider.apiKeys);
  if (config.auth.adminKey) secrets.push(config.auth.adminKey);
  // Longest first, so a key that contains another is removed whole.
  for (const secret of secrets
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length)) {
    text = text.split(secret).join(REDACTED);
  }
  text = text.replace(KEY_SHAPES, REDACTED);
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}
