import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { CONSOLE_SECURITY_HEADERS, IMMUTABLE_CACHE, REVALIDATE_CACHE } from './console-headers';
import { resolveConsoleDir } from './console-dir';

/** Where the console is served; `/console` and `/` redirect here. */
export const CONSOLE_PATH = '/console/';

export interface ConsoleOptions {
  /** The built console (index.html, assets/); default: `resolveConsoleDir`. */
  dir?: string;
}

const NOT_BUILT =
  'The console is not built on this gateway.\n\n' +
  'Build it from the workspace root with `npx nx run console:build` (it lands in dist/console),\n' +
  'then reload this page; or point CONSOLE_DIR at a folder holding a console build.\n';

/**
 * The operator console (apps/console, a Vite build) at `/console/`: its files through
 * @fastify/static, every other path under /console/ answered with index.html (the console
 * routes by `#/…`, but a deep link still lands on the app), `/console` and `/` redirected
 * there. Hashed assets are cached for a year, index.html revalidated on every load; every
 * answer carries the console's CSP and security headers. Plain Fastify routes outside
 * Nest: public like the page itself — the console's data calls carry the operator's key
 * to the ordinary guarded APIs.
 */
export function registerConsole(app: NestFastifyApplication, options: ConsoleOptions = {}): void {
  const dir = options.dir ?? resolveConsoleDir(process.env, __dirname, process.cwd());
  const fastify = app.getHttpAdapter().getInstance();
  // Encapsulated: the headers hook and `reply.sendFile` stay inside these routes.
  void fastify.register((instance: FastifyInstance, _opts, done) => {
    consoleRoutes(instance, resolve(dir));
    done();
  });
}

function consoleRoutes(fastify: FastifyInstance, dir: string): void {
  // `serve: false`: the routes below decide what each path gets; the plugin only sends files.
  void fastify.register(fastifyStatic, { root: dir, serve: false, suppressWarning: true });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    void reply.headers(CONSOLE_SECURITY_HEADERS);
    done(null, payload);
  });

  fastify.get('/', (_request, reply) => reply.redirect(CONSOLE_PATH, 302));
  fastify.get('/console', (_request, reply) => reply.redirect(CONSOLE_PATH, 301));
  fastify.get(CONSOLE_PATH, (_request, reply) => sendIndex(reply, dir));
  fastify.get<{ Params: { '*': string } }>(`${CONSOLE_PATH}*`, async (request, reply) => {
    const path = request.params['*'];
    const file = await fileIn(dir, path);
    if (file) {
      const hashed = path.startsWith('assets/');
      return reply
        .header('cache-control', hashed ? IMMUTABLE_CACHE : REVALIDATE_CACHE)
        .sendFile(path, dir, { cacheControl: false });
    }
    // A missing asset is a 404 (not the page, which a browser would try to run as a script);
    // any other path is a deep link into the app.
    if (path.startsWith('assets/') || /\.[A-Za-z0-9]{1,8}$/.test(path)) {
      return reply
        .code(404)
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send('Not found\n');
    }
    return sendIndex(reply, dir);
  });
}

async function sendIndex(reply: FastifyReply, dir: string): Promise<FastifyReply> {
  if (!(await fileIn(dir, 'index.html'))) {
    return reply
      .code(404)
      .header('cache-control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send(NOT_BUILT);
  }
  return reply
    .header('cache-control', REVALIDATE_CACHE)
    .sendFile('index.html', dir, { cacheControl: false });
}

/**
 * Whether `path` (relative, from the URL) names a regular file inside `dir`: no parent
 * segments, no hidden files, no way out of the folder.
 */
async function fileIn(dir: string, path: string): Promise<boolean> {
  if (path === '' || path.includes('\0') || path.includes('\\')) return false;
  if (path.split('/').some((segment) => segment === '' || segment.startsWith('.'))) return false;
  const full = resolve(dir, path);
  if (!full.startsWith(dir + sep)) return false;
  try {
    return (await stat(full)).isFile();
  } catch {
    return false;
  }
}
