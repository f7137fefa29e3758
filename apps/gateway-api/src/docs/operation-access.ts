import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type {
  OpenAPIObject,
  OperationObject,
  SecurityRequirementObject,
  SecuritySchemeObject,
} from '@nestjs/swagger';
import type { Access } from '../auth/access.decorator';
import { ACCESS_METADATA } from '../auth/access.decorator';
import { jsonContent } from './api-responses.decorator';
import { schemaRef } from './schemas/api-schemas';

/** The document's security schemes: which secret a caller presents, and how. */
export const SECURITY_SCHEMES = {
  gatewayKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A gateway key (`Authorization: Bearer <key>`), issued by the admin API. Needed when `auth.enabled` is on.',
  },
  adminKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'The admin key (`auth.adminKey`, `Authorization: Bearer <admin key>`).',
  },
  apiKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description:
      'The same keys in the `X-API-Key` header instead of `Authorization` (what the Anthropic SDKs send).',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: '`server.metricsToken`: reads `/metrics` only.',
  },
} satisfies Record<string, SecuritySchemeObject>;

type SchemeName = keyof typeof SECURITY_SCHEMES;

/** How each {@link Access} reads in the document (the guard's rules, `gateway-auth.guard.ts`). */
const ACCESS_DOCS: Record<Access, { schemes: SchemeName[]; note: string }> = {
  public: { schemes: [], note: 'No key.' },
  client: {
    schemes: ['gatewayKey', 'apiKeyHeader'],
    note: 'A gateway key when `auth.enabled` is on; no key when it is off.',
  },
  usage: {
    schemes: ['gatewayKey', 'adminKey', 'apiKeyHeader'],
    note: 'A gateway key (its own rows and jobs only) or the admin key (everything).',
  },
  operator: {
    schemes: ['adminKey', 'apiKeyHeader'],
    note: "Every tenant's traffic: the admin key when `auth.enabled` is on; no key when it is off.",
  },
  metrics: {
    schemes: ['adminKey', 'metricsToken', 'apiKeyHeader'],
    note: 'The admin key or `server.metricsToken` when `auth.enabled` is on (`server.metricsAccess: public` opens it).',
  },
  admin: {
    schemes: ['adminKey', 'apiKeyHeader'],
    note: 'The admin key only, whether or not `auth.enabled` is on.',
  },
};

/** The route of an operation: its controller's class name and the handler's name. */
export interface OperationRoute {
  controller: string;
  method: string;
}

/**
 * Sets each operation's `security` from the same `@RequireAccess` metadata the guard reads
 * (the handler's, else the controller's, else `client`), so the document cannot drift from
 * what is enforced. Also adds `x-gateway-access` with the access level's name.
 */
export function applyAccess(
  document: OpenAPIObject,
  app: INestApplication,
  routes: ReadonlyMap<string, OperationRoute>,
): void {
  const controllers = controllersOf(app);
  const reflector = new Reflector();
  for (const operation of operationsOf(document)) {
    const route = operation.operationId ? routes.get(operation.operationId) : undefined;
    const controller = route ? controllers.get(route.controller) : undefined;
    if (!route || !controller) continue;
    const handler = (controller.prototype as Record<string, unknown>)[route.method];
    if (typeof handler !== 'function') continue;
    const access =
      reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [handler, controller]) ??
      'client';
    setAccess(operation, access);
  }
}

/**
 * The security requirements and note of an {@link Access} on one operation, and the guard's
 * 401 where a key is checked.
 */
export function setAccess(operation: OperationObject, access: Access): void {
  const { schemes, note } = ACCESS_DOCS[access];
  operation.security = schemes.map((name): SecurityRequirementObject => ({ [name]: [] }));
  operation.description = [operation.description, `**Access:** ${note}`]
    .filter(Boolean)
    .join('\n\n');
  if (access !== 'public') {
    operation.responses['401'] ??= {
      description:
        'Missing or wrong key (`invalid_api_key`); wrong keys are throttled per address.',
      content: jsonContent(schemaRef('Error')),
    };
  }
  (operation as OperationObject & { 'x-gateway-access': Access })['x-gateway-access'] = access;
}

function controllersOf(app: INestApplication): Map<string, Type> {
  const controllers = new Map<string, Type>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype;
      if (typeof type === 'function') controllers.set(type.name, type as Type);
    }
  }
  return controllers;
}

function* operationsOf(document: OpenAPIObject): Iterable<OperationObject> {
  for (const item of Object.values(document.paths)) {
    for (const operation of [
      item.get,
      item.put,
      item.post,
      item.delete,
      item.patch,
      item.options,
      item.head,
    ]) {
      if (operation) yield operation;
    }
  }
}
