import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Instruction, Stage } from './dockerfile';
import { dockerIgnore, parseDockerfile, parseEnv } from './dockerfile';

// There is no Docker engine in CI: this checks the files' shape, and tools/docker-steps.mjs
// runs the Dockerfile's steps on Node 24.
const root = join(__dirname, '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const stages = parseDockerfile(read('Dockerfile'));
const [build, runtime] = stages;

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const APP_SERVICES = ['fake-provider', 'gateway-api', 'worker'];

function only(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** `dist/apps/<app>/src/<file>.js` → the source it is built from. */
function sourceOf(built: string): string {
  const match = /^dist\/(apps\/[^/]+\/src\/.+)\.js$/.exec(built);
  if (!match) throw new Error(`${built} is not an app file under dist/apps`);
  return `${match[1]}.ts`;
}

describe('Dockerfile', () => {
  it('builds and runs on Node 24 LTS, a line the packages claim', () => {
    expect(stages.map((stage) => [stage.name, stage.image])).toEqual([
      ['build', 'node:24-slim'],
      ['runtime', 'node:24-slim'],
    ]);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines;
    expect(engines.node).toMatch(/\^24\.\d+\.\d+/);
  });

  it('installs from the committed lockfile, with the manifests copied before the sources', () => {
    const steps = build.instructions.map((i) => `${i.keyword} ${i.args}`);
    const manifests = steps.indexOf('COPY package.json package-lock.json ./');
    const install = steps.findIndex((step) => /^RUN npm ci\b/.test(step));
    const sources = steps.indexOf('COPY . .');
    expect(manifests).toBeGreaterThanOrEqual(0);
    expect(manifests).toBeLessThan(install);
    expect(install).toBeLessThan(sources);
    expect(steps.some((step) => /\bnpm (install|i)\b/.test(step))).toBe(false);
  });

  it('builds the apps through their Nx build targets, then drops the dev dependencies', () => {
    const run = only(build, 'RUN').map((i) => i.args);
    expect(run.at(-1)).toMatch(/nx run-many -t build --projects=tag:type:app\b/);
    expect(run.at(-1)).toMatch(/&& npm prune --omit=dev\b/);
    for (const app of ['gateway-api', 'worker', 'fake-provider']) {
      const project = JSON.parse(read(`apps/${app}/project.json`)) as {
        tags: string[];
        targets: { build: { options: { command: string } } };
      };
      expect(project.tags).toContain('type:app');
      expect(project.targets.build.options.command).toBe('node tools/build.mjs');
    }
  });

  it('runs as the unprivileged node user, from the built output and production modules only', () => {
    expect(only(runtime, 'USER').map((i) => i.args)).toEqual(['node']);
    expect(parseEnv(only(runtime, 'ENV')[0].args)).toEqual({ NODE_ENV: 'production' });
    expect(only(runtime, 'COPY').map((i) => [i.flags.from, i.args])).toEqual([
      ['build', '/app/package.json ./package.json'],
      ['build', '/app/node_modules ./node_modules'],
      ['build', '/app/dist ./dist'],
      ['build', '/app/data ./data'],
    ]);
    // The data directory (the embedded file store) is the only thing the node user owns.
    expect(only(runtime, 'COPY').at(-1)?.flags.chown).toBe('node:node');
    expect(only(runtime, 'RUN')).toEqual([]);
  });

  it('starts the gateway from a file the build produces, with signals reaching node (exec form)', () => {
    const [cmd] = only(runtime, 'CMD');
    expect(cmd.json?.[0]).toBe('node');
    const main = cmd.json!.at(-1)!;
    expect(main).toBe('dist/apps/gateway-api/src/main.js');
    expect(existsSync(join(root, sourceOf(main)))).toBe(true);
    execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { stdio: 'pipe' });
    expect(existsSync(join(root, main))).toBe(true);
    expect(only(runtime, 'EXPOSE').map((i) => i.args)).toEqual([
      compose.services['gateway-api'].environment?.PORT,
    ]);
  });

  it('keeps dependencies, build output, git and env files out of the build context', () => {
    const ignored = dockerIgnore(read('.dockerignore'));
    for (const path of [
      'node_modules',
      'node_modules/x/index.js',
      'dist/apps',
      '.git/HEAD',
      '.env',
      '.env.production',
      '.nx/cache',
    ]) {
      expect([path, ignored(path)]).toEqual([path, true]);
    }
    for (const path of [
      'package.json',
      'package-lock.json',
      'tools/build.mjs',
      'apps/gateway-api/src/main.ts',
      'config/gateway.example.yaml',
    ]) {
      expect([path, ignored(path)]).toEqual([path, false]);
    }
  });
});

describe('docker-compose.yml', () => {
  it('runs every app from the one image this Dockerfile builds', () => {
    for (const name of APP_SERVICES) {
      const service = compose.services[name];
      expect([name, service.image, service.build]).toEqual([
        name,
        'ai-gateway:local',
        { context: '.', dockerfile: 'Dockerfile' },
      ]);
    }
  });

  it("starts each app with node on a file the build produces from that app's sources", () => {
    execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { stdio: 'pipe' });
    for (const name of APP_SERVICES) {
      const command = compose.services[name].command!;
      expect(command[0]).toBe('node');
      const main = command.at(-1)!;
      expect(existsSync(join(root, sourceOf(main)))).toBe(true);
      expect(existsSync(join(root, main))).toBe(true);
    }
  });

  it('waits for healthy dependencies, and every dependency has a health check', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect([name, dependency, condition]).toEqual([name, dependency, 'service_healthy']);
        expect(compose.services[dependency]?.healthcheck?.test.length).toBeGreaterThan(0);
      }
    }
  });

  it('probes the ports the apps listen on, and the gateway finds the fake provider at its port', () => {
    const { services } = compose;
    const port = (name: string, variable: string): string => services[name].environment![variable];
    const probe = (name: string): string =>
      /127\.0\.0\.1:(\d+)/.exec(services[name].healthcheck!.test.join(' '))![1];
    expect(probe('gateway-api')).toBe(port('gateway-api', 'PORT'));
    expect(probe('worker')).toBe(port('worker', 'WORKER_PORT'));
    expect(probe('fake-provider')).toBe(port('fake-provider', 'PORT'));
    expect(port('gateway-api', 'FAKE_PROVIDER_URL')).toBe(
      `http://fake-provider:${port('fake-provider', 'PORT')}`,
    );
    expect(services['gateway-api'].ports).toContain(
      `${port('gateway-api', 'PORT')}:${port('gateway-api', 'PORT')}`,
    );
  });

  it('publishes PostgreSQL and Redis on the loopback only, and keeps keys out of the file', () => {
    expect(compose.services.postgres.ports).toEqual(['127.0.0.1:5432:5432']);
    expect(compose.services.redis.ports).toEqual(['127.0.0.1:6379:6379']);
    for (const name of ['gateway-api', 'worker']) {
      for (const [key, value] of Object.entries(compose.services[name].environment ?? {})) {
        if (/KEY|SECRET/.test(key)) expect([key, value]).toEqual([key, `\${${key}:-}`]);
      }
    }
  });
});
