import type { CanActivate } from '@nestjs/common';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_CSP, IMMUTABLE_CACHE } from './console-headers';
import { resolveConsoleDir } from './console-dir';
import { registerConsole } from './console.routes';

/** The gateway's guard with auth on refuses what has no key: here it refuses everything. */
@Injectable()
class DenyAll implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller('v1')
class ApiController {
  @Get('models')
  models(): object {
    return { object: 'list', data: [] };
  }
}

@Module({ controllers: [ApiController], providers: [{ provide: APP_GUARD, useClass: DenyAll }] })
class GuardedModule {}

const INDEX =
  '<!doctype html><title>console</title><script type="module" src="/console/assets/index-abc123.js"></script>';

async function appServing(dir: string): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    GuardedModule,
    new FastifyAdapter(),
    {
      logger: false,
    },
  );
  registerConsole(app, { dir });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('registerConsole', () => {
  let root: string;
  let built: string;
  let app: NestFastifyApplication;
  const get = (url: string) => app.getHttpAdapter().getInstance().inject({ url });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'console-routes-'));
    built = join(root, 'dist', 'console');
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), INDEX);
    writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log(1);\n');
    writeFileSync(join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(root, 'secret.txt'), 'outside the console');
    app = await appServing(built);
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at /console/ with the CSP, security headers and no-cache', async () => {
    const response = await get('/console/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toBe(INDEX);
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with a year-long immutable cache, other files revalidated', async () => {
    const asset = await get('/console/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe(IMMUTABLE_CACHE);
    expect(asset.headers['content-security-policy']).toBe(CONSOLE_CSP);
    const icon = await get('/console/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers unknown paths under /console/ with index.html, missing assets with 404', async () => {
    const deep = await get('/console/requests/abc');
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toBe(INDEX);
    expect((await get('/console/assets/gone-123.js')).statusCode).toBe(404);
    expect((await get('/console/missing.css')).statusCode).toBe(404);
  });

  it('redirects / and /console to /console/', async () => {
    const bare = await get('/console');
    expect([301, 302]).toContain(bare.statusCode);
    expect(bare.headers.location).toBe('/console/');
    const home = await get('/');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/console/');
  });

  it('never serves a file outside the console folder or a hidden one', async () => {
    for (const url of [
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/assets/%2e%2e/%2e%2e/secret.txt',
    ]) {
      const response = await get(url);
      expect(response.body).not.toContain('outside the console');
    }
    writeFileSync(join(built, '.env'), 'SECRET=1');
    const hidden = await get('/console/.env');
    expect(hidden.body).not.toContain('SECRET');
  });

  it('is not behind the API guard, which still guards the API', async () => {
    expect((await get('/console/')).statusCode).toBe(200);
    expect((await get('/v1/models')).statusCode).toBe(403);
  });

  it('says how to build the console when it is not built, and serves it once it is', async () => {
    const empty = join(root, 'not-built');
    const bare = await appServing(empty);
    try {
      const response = await bare.getHttpAdapter().getInstance().inject({ url: '/console/' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.body).toContain('npx nx run console:build');
      mkdirSync(empty, { recursive: true });
      writeFileSync(join(empty, 'index.html'), INDEX);
      const later = await bare.getHttpAdapter().getInstance().inject({ url: '/console/' });
      expect(later.statusCode).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe(resolveConsoleDir.name, () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'console-dir-'));
    mkdirSync(join(root, 'dist', '.builds', 'f00d', 'apps', 'gateway-api', 'src', 'console'), {
      recursive: true,
    });
    mkdirSync(join(root, 'apps', 'gateway-api', 'src', 'console'), { recursive: true });
    writeFileSync(join(root, 'nx.json'), '{}');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const compiled = () =>
    join(root, 'dist', '.builds', 'f00d', 'apps', 'gateway-api', 'src', 'console');
  const sources = () => join(root, 'apps', 'gateway-api', 'src', 'console');

  it('takes CONSOLE_DIR first, relative to the working directory', () => {
    expect(resolveConsoleDir({ CONSOLE_DIR: 'web' }, sources(), '/srv')).toBe(join('/srv', 'web'));
    expect(resolveConsoleDir({ CONSOLE_DIR: '/opt/console' }, sources(), '/srv')).toBe(
      '/opt/console',
    );
  });

  it('points at the workspace root dist/console before it is built', () => {
    expect(resolveConsoleDir({}, compiled(), '/elsewhere')).toBe(join(root, 'dist', 'console'));
  });

  it('finds the built console from the compiled gateway and from its sources', () => {
    mkdirSync(join(root, 'dist', 'console'), { recursive: true });
    writeFileSync(join(root, 'dist', 'console', 'index.html'), INDEX);
    expect(resolveConsoleDir({}, compiled(), '/elsewhere')).toBe(join(root, 'dist', 'console'));
    expect(resolveConsoleDir({}, sources(), '/elsewhere')).toBe(join(root, 'dist', 'console'));
  });
});
