import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createReadStream } from 'node:fs';
import { buildOpenApiDocument } from './openapi.document';
import { DOCS_HEADERS, DOCS_HTML, DOCS_PATH, OPENAPI_PATH, docsAssets } from './swagger-ui.page';

/**
 * `GET /openapi.json` (the OpenAPI 3.1 document of this app) and `GET /docs` (Swagger UI,
 * served from local files). Plain Fastify routes, outside the guard: both are public, and
 * neither holds anything of the configuration — the document is built from the
 * controllers' decorators alone, once, on its first request (booting stays as fast).
 */
export function registerApiDocs(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  let documentJson: string | undefined;

  fastify.get(OPENAPI_PATH, (_request, reply) => {
    documentJson ??= JSON.stringify(buildOpenApiDocument(app));
    void reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .send(documentJson);
  });

  fastify.get(DOCS_PATH, (_request, reply) => {
    void reply.headers(DOCS_HEADERS).type('text/html; charset=utf-8').send(DOCS_HTML);
  });

  for (const [url, asset] of Object.entries(docsAssets())) {
    fastify.get(url, (_request, reply) => {
      const body = asset.file === undefined ? asset.text : createReadStream(asset.file);
      void reply.headers(DOCS_HEADERS).type(asset.contentType).send(body);
    });
  }
}
