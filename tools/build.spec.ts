import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// tools/build.mjs on a workspace of its own: one app, one lib behind a path alias, and a file
// the app loads only when asked (as the gateway's worker threads and lazy requires do).
const root = join(__dirname, '..');
let workspace: string;
const started: ChildProcessWithoutNullStreams[] = [];

function write(path: string, text: string): void {
  mkdirSync(dirname(join(workspace, path)), { recursive: true });
  writeFileSync(join(workspace, path), text);
}

function build(): string {
  return execFileSync(process.execPath, [join(workspace, 'tools/build.mjs')], {
    encoding: 'utf8',
  }).trim();
}

const current = (): string => readlinkSync(join(workspace, 'dist/apps'));
const builds = (): string[] => readdirSync(join(workspace, 'dist/.builds')).sort();

/** Starts the built app; `load()` makes it require its late file and answers what it read. */
async function startApp(): Promise<{ load: () => Promise<string> }> {
  const child = spawn(process.execPath, [join(workspace, 'dist/apps/demo/src/main.js')]);
  started.push(child);
  const lines: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      if (waiting) waiting(line);
      else lines.push(line);
    }
  });
  const next = (): Promise<string> =>
    lines.length > 0
      ? Promise.resolve(lines.shift()!)
      : new Promise((resolve) => (waiting = (line) => ((waiting = undefined), resolve(line))));
  expect(await next()).toBe('ready lib-1');
  return {
    load: () => {
      child.stdin.write('load\n');
      return next();
    },
  };
}

beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'build-spec-'));
  cpSync(join(root, 'tools/build.mjs'), join(workspace, 'tools/build.mjs'));
  cpSync(join(root, '.swcrc'), join(workspace, '.swcrc'));
  symlinkSync(join(root, 'node_modules'), join(workspace, 'node_modules'), 'dir');
  write(
    'tsconfig.base.json',
    JSON.stringify({ compilerOptions: { paths: { '@demo/lib': ['./libs/lib/src/index.ts'] } } }),
  );
  write('libs/lib/src/index.ts', "export const name = 'lib-1';\n");
  write('apps/demo/src/late.ts', "export const late = 'late-1';\n");
  write(
    'apps/demo/src/main.ts',
    [
      "import { name } from '@demo/lib';",
      'process.stdout.write(`ready ${name}\\n`);',
      "process.stdin.setEncoding('utf8').on('data', () => {",
      "  const { late } = require('./late') as { late: string };",
      '  process.stdout.write(`${late}\\n`);',
      '});',
      '',
    ].join('\n'),
  );
});

afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
  rmSync(workspace, { recursive: true, force: true });
});

describe('tools/build.mjs', () => {
  it('links dist/apps and dist/libs to a build of the sources, and builds the same sources once', () => {
    expect(build()).toMatch(/^built 3 files into dist\/\.builds\/[0-9a-f]{16} in \d+ ms$/);
    const first = current();
    expect(first).toMatch(/^\.builds\/[0-9a-f]{16}\/apps$/);
    expect(readlinkSync(join(workspace, 'dist/libs'))).toBe(first.replace(/apps$/, 'libs'));
    expect(build()).toMatch(/^dist\/ is up to date/);
    expect(current()).toBe(first);
    expect(builds()).toHaveLength(1);
  });

  it('never changes what a running app loads: a rebuild goes to a new folder beside it', async () => {
    build();
    const before = await startApp();
    write('apps/demo/src/late.ts', "export const late = 'late-2';\n");
    expect(build()).toMatch(/^built /);
    const after = await startApp();
    expect(await before.load()).toBe('late-1');
    expect(await after.load()).toBe('late-2');
    expect(builds()).toHaveLength(2);
  });

  it('moves a folder an older build wrote in place aside instead of deleting it', () => {
    write('dist/apps/demo/src/main.js', 'old');
    build();
    const legacy = builds().find((name) => name.startsWith('legacy-'))!;
    expect(existsSync(join(workspace, 'dist/.builds', legacy, 'apps/demo/src/main.js'))).toBe(true);
    expect(realpathSync(join(workspace, 'dist/apps'))).toContain('/dist/.builds/');
  });

  it('prunes builds past the last five that are hours old, unless a live app pinned one', () => {
    build();
    const hoursAgo = new Date(Date.now() - 3 * 3_600_000);
    for (let i = 0; i < 8; i++) {
      const dir = join(workspace, 'dist/.builds', `old${i}`);
      mkdirSync(join(dir, 'apps'), { recursive: true });
      writeFileSync(join(dir, '.complete'), '');
      utimesSync(join(dir, '.complete'), hoursAgo, new Date(hoursAgo.getTime() + i * 1000));
    }
    const pin = (build: string, pid: number): void => {
      mkdirSync(join(workspace, 'dist/.builds', build, '.pins'));
      writeFileSync(join(workspace, 'dist/.builds', build, '.pins', String(pid)), 'demo\n');
    };
    pin('old0', process.pid); // a live app
    pin('old1', 2 ** 22 + 1); // above Linux's largest pid: an app long gone

    write('libs/lib/src/index.ts', "export const name = 'lib-2';\n");
    build();
    const kept = builds();
    // Kept: the new build, the four last current before it (the first build, old7, old6,
    // old5) and old0, which a live app pinned.
    expect(kept.filter((name) => name.startsWith('old'))).toEqual(['old0', 'old5', 'old6', 'old7']);
    expect(kept).toHaveLength(6);
  });

  it("leaves a live build's staging folder alone and drops an abandoned one", () => {
    build();
    const hoursAgo = new Date(Date.now() - 3 * 3_600_000);
    for (let i = 0; i < 6; i++) {
      const dir = join(workspace, 'dist/.builds', `old${i}`);
      mkdirSync(join(dir, 'apps'), { recursive: true });
      writeFileSync(join(dir, '.complete'), '');
      utimesSync(join(dir, '.complete'), hoursAgo, hoursAgo);
    }
    // Another build of the same sources, still compiling (nx run-many builds every app at
    // once), and one whose process died mid-way.
    const live = `0123456789abcdef.tmp-${process.pid}`;
    const dead = `0123456789abcdef.tmp-${2 ** 22 + 1}`;
    for (const name of [live, dead]) {
      mkdirSync(join(workspace, 'dist/.builds', name, 'apps'), { recursive: true });
      utimesSync(join(workspace, 'dist/.builds', name), hoursAgo, hoursAgo);
    }
    write('libs/lib/src/index.ts', "export const name = 'lib-2';\n");
    build();
    expect(builds()).toContain(live);
    expect(builds()).not.toContain(dead);
  });
});
