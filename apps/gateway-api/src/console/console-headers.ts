/**
 * The console's Content-Security-Policy: its own scripts, styles, images and API calls
 * only — no inline script or style attribute, no frame around it, no base or form target
 * elsewhere. (uPlot and Preact set element styles through the CSSOM, which CSP allows.)
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Sent with every response under /console (pages, assets, redirects, the not-built 404). */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Hashed build assets (`assets/index-<hash>.js`) never change under their name. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/** index.html and unhashed files: revalidated on every load, so a new build shows at once. */
export const REVALIDATE_CACHE = 'no-cache';
