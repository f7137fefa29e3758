import type { FastifyInstance, RouteOptions } from 'fastify';
import type { TestGateway } from './harness';
import { startGateway } from './harness';
import { checkOpenApi } from './openapi-validation';

/**
 * Every route Fastify registers, from its birth: an `onRoute` hook on each instance made
 * (Nest's adapter makes the gateway's), so plain Fastify routes count as much as
 * controllers' ones.
 */
const mockRegisteredRoutes: { method: string; url: string }[] = [];
jest.mock('fastify', () => {
  const actual = jest.requireActual<{ fastify: (options?: unknown) => FastifyInstance }>('fastify');
  const create = (options?: unknown) => {
    const instance = actual.fastify(options);
    instance.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) {
        mockRegisteredRoutes.push({ method, url: route.url });
      }
    });
    return instance;
  };
  const wrapped = Object.assign(create, actual.fastify);
  return Object.assign({}, actual, { fastify: wrapped, default: wrapped });
});

const ADMIN_KEY = 'admin-canary-9a8b7c6d5e4f3a2b';
const HASH_SECRET = 'hash-secret-canary-0123456789abcdef';
const METRICS_TOKEN = 'metrics-canary-5f4e3d2c1b0a';
const PROVIDER_KEYS = ['sk-openai-canary-1234567890abcd', 'sk-ant-canary-abcdef1234567890'];

/**
 * Registered routes the document leaves out, each for a reason. Nothing else may be
 * missing from it.
 */
const NOT_DOCUMENTED: { method: string; path: RegExp; reason: string }[] = [
  {
    method: 'HEAD',
    path: /.*/,
    reason: "Fastify's automatic twin of every GET route (exposeHeadRoutes)",
  },
  {
    method: 'GET',
    path: /^\/docs\/swagger-(ui\.css|ui-bundle\.js|initializer\.js)$/,
    reason: "the docs page's own script and style files, not an API",
  },
  {
    method: 'GET',
    path: /^\/console(\/.*)?$/,
    reason: 'the web console: pages and assets of a browser app, not an API',
  },
  { method: 'GET', path: /^\/$/, reason: 'a redirect to the web console' },
];

/** The bodies of the gateway's own APIs: each success answer names its schema. */
const RESPONSE_SCHEMAS: [string, string, string, string][] = [
  ['post', '/v1/admin/keys', '201', 'GatewayKeyIssued'],
  ['get', '/v1/admin/keys', '200', 'GatewayKeyList'],
  ['get', '/v1/admin/keys/{id}', '200', 'GatewayKey'],
  ['patch', '/v1/admin/keys/{id}', '200', 'GatewayKey'],
  ['post', '/v1/admin/keys/{id}/disable', '200', 'GatewayKey'],
  ['post', '/v1/admin/keys/{id}/enable', '200', 'GatewayKey'],
  ['post', '/v1/admin/keys/{id}/rotate', '200', 'GatewayKeyIssued'],
  ['get', '/v1/usage/summary', '200', 'UsageSummary'],
  ['get', '/v1/usage/requests', '200', 'UsageRequestsPage'],
  ['post', '/v1/tasks', '202', 'TaskJob'],
  ['get', '/v1/jobs', '200', 'TaskJobList'],
  ['get', '/v1/jobs/{id}', '200', 'TaskJob'],
  ['post', '/v1/jobs/{id}/retry', '202', 'TaskJob'],
  ['get', '/v1/providers/status', '200', 'ProviderStatusList'],
  ['get', '/v1/providers/test', '200', 'SelfTestReport'],
  ['get', '/health/live', '200', 'HealthLive'],
  ['get', '/health/ready', '200', 'HealthReady'],
];

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  externalDocs?: { url: string };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  'x-gateway-access'?: string;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

/** A registered path as the document writes it: `:id` → `{id}`; `*` matches one `{name}`. */
function documentedPathPattern(url: string): RegExp {
  const escaped = url.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const params = escaped.replace(/:(\w+)/g, '\\{$1\\}').replace(/\*$/, '\\{\\w+\\}');
  return new RegExp(`^${params}$`);
}

function operationsOf(document: Document): { method: string; path: string; op: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

describe('OpenAPI document and docs page (e2e)', () => {
  let gateway: TestGateway;
  let document: Document;
  let documentText: string;
  let gatewayKey: string;

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, { headers });

  beforeAll(async () => {
    gateway = await startGateway({
      providers: {
        openai: {
          kind: 'openai',
          baseUrl: 'http://127.0.0.1:9/v1',
          apiKeys: [PROVIDER_KEYS[0]],
          models: ['gpt-test'],
          maxRetries: 0,
        },
        anthropic: {
          kind: 'anthropic',
          baseUrl: 'http://127.0.0.1:9',
          apiKeys: [PROVIDER_KEYS[1]],
          maxRetries: 0,
        },
      },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: HASH_SECRET },
      // Gateway keys on admin routes count as wrong keys: the access check sends a dozen.
      server: { metricsToken: METRICS_TOKEN, authFailuresPerMinute: 1_000 },
    });
    const response = await get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    documentText = await response.text();
    document = JSON.parse(documentText) as Document;
    const created = await fetch(`${gateway.url}/v1/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'openapi-e2e' }),
    });
    expect(created.status).toBe(201);
    gatewayKey = ((await created.json()) as { key: string }).key;
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('serves a valid OpenAPI 3.1 document whose schemas are JSON Schema 2020-12', async () => {
    expect(document.openapi).toBe('3.1.0');
    const { documentErrors, schemaErrors } = await checkOpenApi(document);
    expect(documentErrors).toEqual([]);
    expect(schemaErrors).toEqual([]);
    expect(documentText).not.toContain('"nullable"');
  });

  it('lists every route the app registered, with its method and path', () => {
    const registered = mockRegisteredRoutes.filter(
      ({ method, url }) => !NOT_DOCUMENTED.some((x) => x.method === method && x.path.test(url)),
    );
    // The hook saw the whole app (controllers and plain Fastify routes).
    expect(registered).toEqual(
      expect.arrayContaining([
        { method: 'POST', url: '/v1/chat/completions' },
        { method: 'GET', url: '/v1/admin/keys/:id' },
        { method: 'GET', url: '/health/live' },
        { method: 'GET', url: '/openapi.json' },
        { method: 'GET', url: '/docs' },
      ]),
    );
    // HEAD is left out only as the twin of a GET of the same path.
    const lonelyHeads = mockRegisteredRoutes.filter(
      (r) =>
        r.method === 'HEAD' &&
        !mockRegisteredRoutes.some((g) => g.method === 'GET' && g.url === r.url),
    );
    expect(lonelyHeads).toEqual([]);
    const operations = operationsOf(document);
    const missing = registered.filter(
      ({ method, url }) =>
        !operations.some((o) => o.method === method && documentedPathPattern(url).test(o.path)),
    );
    expect(missing).toEqual([]);
  });

  it('documents no route the app does not have', () => {
    const stale = operationsOf(document).filter(
      ({ method, path }) =>
        !mockRegisteredRoutes.some(
          (r) => r.method === method && documentedPathPattern(r.url).test(path),
        ),
    );
    expect(stale.map((o) => `${o.method} ${o.path}`)).toEqual([]);
  });

  it("names the schema of each of the gateway's own answers, and the shared error schema", () => {
    for (const [method, path, status, schema] of RESPONSE_SCHEMAS) {
      const op = document.paths[path]?.[method];
      expect({ [`${method} ${path}`]: op?.summary !== undefined }).toEqual({
        [`${method} ${path}`]: true,
      });
      expect(op.responses[status]?.content?.['application/json']?.schema).toEqual({
        $ref: `#/components/schemas/${schema}`,
      });
    }
    for (const { method, path, op } of operationsOf(document)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]/.test(status) || !response.content?.['application/json']) continue;
        const ref = response.content['application/json'].schema?.$ref;
        const expected = path.startsWith('/v1/messages') ? 'AnthropicError' : 'Error';
        expect({ [`${method} ${path} ${status}`]: ref }).toEqual({
          [`${method} ${path} ${status}`]: `#/components/schemas/${expected}`,
        });
      }
    }
  });

  it("links each OpenAI- or Anthropic-compatible door to the vendor's own specification", () => {
    const vendorDoors = operationsOf(document).filter(({ op }) =>
      op.tags?.some((tag) => /^(OpenAI|Anthropic)-compatible$/.test(tag)),
    );
    const paths = new Set(vendorDoors.map((o) => o.path));
    for (const path of [
      '/v1/chat/completions',
      '/v1/embeddings',
      '/v1/models',
      '/v1/responses',
      '/v1/files',
      '/v1/batches',
      '/v1/completions',
      '/v1/moderations',
      '/v1/images/generations',
      '/v1/audio/speech',
      '/v1/audio/transcriptions',
      '/v1/messages',
    ]) {
      expect(paths).toContain(path);
    }
    for (const { op } of vendorDoors) {
      expect(op.externalDocs?.url).toMatch(
        /^https:\/\/(github\.com\/openai\/openai-openapi|docs\.anthropic\.com\/)/,
      );
    }
  });

  it('documents for each route the keys the guard actually asks for', async () => {
    const probe = async (method: string, path: string, key?: string): Promise<number> => {
      const url = path.replace(/\{\w+\}/g, 'probe-id');
      const response = await fetch(`${gateway.url}${url}`, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(method === 'GET' || method === 'DELETE'
            ? {}
            : { 'content-type': 'application/json' }),
        },
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      });
      await response.arrayBuffer();
      return response.status;
    };
    const answers: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const { method, path, op } of operationsOf(document)) {
      const schemes = (op.security ?? []).flatMap((requirement) => Object.keys(requirement));
      const id = `${method} ${path}`;
      // With auth on, only a public route answers without a key.
      answers[`${id} without a key`] = (await probe(method, path)) === 401;
      expected[`${id} without a key`] = schemes.length > 0;
      // A gateway key opens exactly the routes documented as taking one.
      if (schemes.length > 0) {
        answers[`${id} with a gateway key`] = (await probe(method, path, gatewayKey)) !== 401;
        expected[`${id} with a gateway key`] = schemes.includes('gatewayKey');
      }
    }
    expect(answers).toEqual(expected);
  });

  it('serves /docs as HTML under a strict Content-Security-Policy, with local assets only', async () => {
    const page = await get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    const scriptSrc = /(?:^|;\s*)script-src ([^;]*)/.exec(csp)?.[1];
    expect(scriptSrc).toBe("'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');

    const html = await page.text();
    // No inline script or style: every script has a src, no style element or attribute.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style|\sstyle=/i);
    expect(html).not.toMatch(/https?:\/\/|\/\/cdn/i);
    const assets = [...html.matchAll(/<(?:script|link)[^>]*\s(?:src|href)="([^"]+)"/g)]
      .map((match) => match[1])
      .filter((href) => !href.startsWith('data:'));
    expect(assets.sort()).toEqual([
      'docs/swagger-initializer.js',
      'docs/swagger-ui-bundle.js',
      'docs/swagger-ui.css',
    ]);
    for (const asset of assets) {
      const response = await fetch(new URL(asset, `${gateway.url}/docs`));
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
      expect(response.headers.get('content-type')).toMatch(
        asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const text = await response.text();
      expect(text.length).toBeGreaterThan(0);
      if (asset.endsWith('initializer.js')) expect(text).toContain("url: 'openapi.json'");
    }
  });

  it('needs no key with gateway auth on, and holds none of the configured secrets', async () => {
    const texts = [documentText];
    for (const path of [
      '/openapi.json',
      '/docs',
      '/docs/swagger-initializer.js',
      '/docs/swagger-ui.css',
    ]) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      texts.push(await response.text());
    }
    const secrets = [ADMIN_KEY, HASH_SECRET, METRICS_TOKEN, gatewayKey, ...PROVIDER_KEYS];
    for (const text of texts) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
