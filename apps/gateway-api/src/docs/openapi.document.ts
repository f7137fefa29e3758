import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject, PathItemObject, SchemaObject } from '@nestjs/swagger';
import { ANTHROPIC_DOCS_URL, API_TAGS, OPENAI_SPEC_URL } from './api-tags';
import { toOpenApi31 } from './openapi-31';
import type { OperationRoute } from './operation-access';
import { SECURITY_SCHEMES, applyAccess, setAccess } from './operation-access';
import { API_SCHEMAS } from './schemas/api-schemas';
import { DOCS_PATH, OPENAPI_PATH } from './swagger-ui.page';

const DESCRIPTION = `The gateway's own APIs — admin keys, usage, tasks and jobs, provider status and self-test, health and metrics — in full.

The OpenAI-compatible doors (\`/v1/chat/completions\`, \`/v1/embeddings\`, \`/v1/models\`, \`/v1/responses\`, \`/v1/files\`, \`/v1/batches\`, …) and Anthropic's \`/v1/messages\` are listed briefly: their requests and answers are the vendors' own, see [OpenAI's specification](${OPENAI_SPEC_URL}) and [Anthropic's API reference](${ANTHROPIC_DOCS_URL}).

Errors are OpenAI's shape, \`{"error": {"message", "type", "code", "param"}}\` (Anthropic's on \`/v1/messages\`).`;

/**
 * The OpenAPI 3.1 document of the app's routes: `@nestjs/swagger` reads the controllers'
 * decorators; the bodies' schemas come from `schemas/`, each operation's security from
 * its `@RequireAccess`, and what the library still writes in 3.0's dialect is rewritten.
 * Nothing of the configuration goes in: the document holds no secret, whatever is set.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('AI gateway')
    .setDescription(DESCRIPTION)
    .setVersion('v1')
    .addServer('/', 'This gateway');
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) builder.addSecurity(name, scheme);
  for (const tag of Object.values(API_TAGS)) {
    builder.addTag(tag.name, tag.description, 'externalDocs' in tag ? tag.externalDocs : undefined);
  }

  const routes = new Map<string, OperationRoute>();
  const document = SwaggerModule.createDocument(app, builder.build(), {
    // A controller without @ApiTags is still listed, under its own name.
    autoTagControllers: true,
    operationIdFactory: (controller, method) => {
      const id = `${controller.replace(/Controller$/, '')}_${method}`;
      routes.set(id, { controller, method });
      return id;
    },
  });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...(API_SCHEMAS as Record<string, SchemaObject>) },
  };
  Object.assign(document.paths, docsPaths());
  applyAccess(document, app, routes);
  return toOpenApi31(document);
}

/** `/openapi.json` and `/docs`: plain Fastify routes, outside what swagger scans. */
function docsPaths(): Record<string, PathItemObject> {
  const documentOp = {
    tags: [API_TAGS.docs.name],
    operationId: 'ApiDocs_document',
    summary: 'This document (OpenAPI 3.1)',
    responses: {
      '200': {
        description: 'The OpenAPI document.',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
    },
  };
  const pageOp = {
    tags: [API_TAGS.docs.name],
    operationId: 'ApiDocs_page',
    summary: 'This document, as a page (Swagger UI)',
    responses: {
      '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
    },
  };
  setAccess(documentOp, 'public');
  setAccess(pageOp, 'public');
  return { [OPENAPI_PATH]: { get: documentOp }, [DOCS_PATH]: { get: pageOp } };
}
