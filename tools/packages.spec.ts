import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The publishable libs' manifests against the workspace: what is tested here is what they
// claim. (That their dependencies are exactly what the compiled code requires is checked by
// tools/build-package.mjs on every build; that they install and run in a fresh NestJS app,
// by tools/consumer-test.mjs.)
interface Manifest {
  name: string;
  version: string;
  license: string;
  type: string;
  main: string;
  types: string;
  exports: Record<string, string | { types: string; default: string }>;
  files: string[];
  engines: { node: string };
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
  publishConfig: { access: string };
}

const root = join(__dirname, '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const json = <T>(path: string): T => JSON.parse(read(path)) as T;
const workspace = json<Manifest>('package.json');
const nx = json<{ release: { projects: string[] } }>('nx.json');
const PACKAGES = [
  {
    project: 'ai-gateway',
    root: 'libs/ai-gateway',
    name: '@ai-gateway/core',
    // The file store's driver is the host's choice (it compiles a native addon): optional,
    // and without it the embedded store stays in memory, with a warning.
    optionalPeers: ['better-sqlite3'],
    // One copy of the OpenTelemetry API in a host: the library's spans join the host's SDK.
    hostPeers: ['@opentelemetry/api'],
  },
  {
    project: 'resume',
    root: 'libs/resume',
    name: '@ai-gateway/resume',
    optionalPeers: [],
    hostPeers: [],
  },
];
const installed = (name: string): string =>
  json<{ version: string }>(`node_modules/${name}/package.json`).version;

describe.each(PACKAGES)('$name', ({ project, root: lib, name, optionalPeers, hostPeers }) => {
  const manifest = json<Manifest>(`${lib}/package.json`);

  it('is a CommonJS package whose entry points are compiled files with declarations', () => {
    expect(manifest).toMatchObject({ name, license: workspace.license, type: 'commonjs' });
    expect(manifest.main).toBe('./lib/index.js');
    expect(manifest.types).toBe('./lib/index.d.ts');
    expect(manifest.exports['.']).toEqual({ types: './lib/index.d.ts', default: './lib/index.js' });
    expect(manifest.exports['./package.json']).toBe('./package.json');
    expect(manifest.files).toEqual(['lib', 'README.md', 'CHANGELOG.md']);
    expect(manifest.publishConfig).toEqual({ access: 'public' });
    expect(manifest.devDependencies).toBeUndefined();
  });

  it("claims the Node lines CI tests, the workspace's own", () => {
    expect(manifest.engines).toEqual(workspace.engines);
  });

  it("leaves NestJS, reflect-metadata and rxjs to the host, in ranges holding the workspace's", () => {
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(
      [
        '@nestjs/common',
        '@nestjs/core',
        ...hostPeers,
        ...optionalPeers,
        'reflect-metadata',
        'rxjs',
      ].sort(),
    );
    expect(manifest.peerDependenciesMeta ?? {}).toEqual(
      Object.fromEntries(optionalPeers.map((peer) => [peer, { optional: true }])),
    );
    for (const [peer, range] of Object.entries(manifest.peerDependencies)) {
      const [major, minor] = installed(peer).split('.').map(Number);
      const floor = /^\^(\d+)\.(\d+)\.\d+$/.exec(range);
      expect([peer, floor && Number(floor[1])]).toEqual([peer, major]);
      expect(Number(floor![2])).toBeLessThanOrEqual(minor);
    }
  });

  it('depends on what the workspace tests with: the same ranges as its package.json', () => {
    for (const [dependency, range] of Object.entries(manifest.dependencies)) {
      if (dependency.startsWith('@ai-gateway/')) continue;
      expect([dependency, range]).toEqual([dependency, workspace.dependencies[dependency]]);
    }
  });

  it('is released by nx release, and its README lists the exported names', () => {
    expect(nx.release.projects).toContain(project);
    expect(json<{ name: string }>(`${lib}/project.json`).name).toBe(project);
    expect(read(`${lib}/README.md`)).toMatch(/^## Exported names$/m);
  });
});

describe('@ai-gateway/resume', () => {
  it('depends on @ai-gateway/core at exactly the version released with it', () => {
    const core = json<Manifest>('libs/ai-gateway/package.json');
    const resume = json<Manifest>('libs/resume/package.json');
    expect(resume.dependencies['@ai-gateway/core']).toBe(core.version);
    expect(resume.version).toBe(core.version);
  });
});

describe('@ai-gateway/core', () => {
  it('has a ./testing entry next to its main one', () => {
    const core = json<Manifest>('libs/ai-gateway/package.json');
    expect(core.exports['./testing']).toEqual({
      types: './lib/testing/index.d.ts',
      default: './lib/testing/index.js',
    });
  });
});

describe('the package READMEs', () => {
  it('list exactly the names the barrels export (tools/exported-names.mjs; --write refreshes)', () => {
    // Throws with the script's stderr when a README and a barrel disagree.
    execFileSync(process.execPath, [join(root, 'tools/exported-names.mjs'), '--check'], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  }, 60_000);
});
