import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the page lives; its assets sit under it (`/docs/<file>`). */
export const DOCS_PATH = '/docs';
export const OPENAPI_PATH = '/openapi.json';

/**
 * The page's policy: nothing but its own origin. Scripts are files (the initializer too:
 * no inline script, no eval — Swagger UI's bundle only falls back to `new Function` where
 * `globalThis` is missing). Swagger UI sets styles through the DOM (`element.style`), which
 * `style-src` does not govern, so styles need no `'unsafe-inline'` either. `data:` images:
 * the icons inlined in swagger-ui.css. `connect-src 'self'`: the document and "Try it out".
 * (Rendered in Chromium under this policy, the page reports no violation.)
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of the page and of each of its assets. */
export const DOCS_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': DOCS_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // A new gateway version ships new assets under the same names.
  'cache-control': 'no-cache',
};

/**
 * The page: Swagger UI from the package @nestjs/swagger installs (`swagger-ui-dist`), no
 * CDN. Relative URLs, so it works behind a proxy that mounts the gateway under a prefix.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>AI gateway API</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script src="docs/swagger-initializer.js"></script>
  </body>
</html>
`;

/**
 * Swagger UI's start, served as a file (a strict CSP refuses inline scripts). The online
 * validator badge is off: it would send the document to swagger.io.
 */
export const DOCS_INITIALIZER_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
  });
});
`;

/** One asset of the page: a file of swagger-ui-dist, or text of ours. */
export interface DocsAsset {
  contentType: string;
  file?: string;
  text?: string;
}

/** The page's assets by URL. */
export function docsAssets(): Readonly<Record<string, DocsAsset>> {
  const dist = swaggerUiDist();
  return {
    [`${DOCS_PATH}/swagger-ui.css`]: {
      contentType: 'text/css; charset=utf-8',
      file: join(dist, 'swagger-ui.css'),
    },
    [`${DOCS_PATH}/swagger-ui-bundle.js`]: {
      contentType: 'text/javascript; charset=utf-8',
      file: join(dist, 'swagger-ui-bundle.js'),
    },
    [`${DOCS_PATH}/swagger-initializer.js`]: {
      contentType: 'text/javascript; charset=utf-8',
      text: DOCS_INITIALIZER_JS,
    },
  };
}

/**
 * The folder of `swagger-ui-dist`, resolved from `@nestjs/swagger` (its dependency, not
 * ours: the version that matches the swagger package is the one it installed).
 */
function swaggerUiDist(): string {
  const fromSwagger = createRequire(require.resolve('@nestjs/swagger'));
  return dirname(fromSwagger.resolve('swagger-ui-dist/package.json'));
}
