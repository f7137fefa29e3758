// Compiles apps/ and libs/ for running with SWC (decorator metadata included, which esbuild
// lacks and NestJS DI needs) and rewrites the tsconfig path aliases to relative requires, so
// `node dist/apps/<app>/src/main.js` runs without a loader. Type checking is the `typecheck`
// targets; this step only transpiles (~0.2 s), which keeps starting an app fast. The Nx
// `build` target of every app runs it.
//
// Never rebuilds or deletes what a running app runs from. Each build goes to its own folder,
// dist/.builds/<hash of the sources and build settings>, and dist/apps and dist/libs are
// symlinks flipped to it atomically when it is complete. Node resolves a script's real path,
// so a running gateway keeps loading (worker threads, lazy requires) from the build it started
// with while a worker started later runs the new one. The same sources build once: the next
// run finds the folder and only points the links at it. Old builds are removed only when
// they are not among the last KEEP_BUILDS, have not been current for KEEP_HOURS, and no live
// process started by `tools/serve.mjs` holds them.
import { transformFile } from '@swc/core';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const KEEP_BUILDS = 5;
const KEEP_HOURS = 2;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const builds = join(dist, '.builds');
const LINKS = ['apps', 'libs'];
const swcrcText = readFileSync(join(root, '.swcrc'), 'utf8');
const swcrc = JSON.parse(swcrcText);
const { paths } = JSON.parse(
  readFileSync(join(root, 'tsconfig.base.json'), 'utf8'),
).compilerOptions;
const ASSETS = /\.(json|html|yaml|yml|txt|lua)$/;
const SKIP = /\.(spec|e2e-spec|int-spec|fixtures|scenarios)\.ts$|\.d\.ts$/;
// Sample resumes and model answers: fixtures, but the task-queue benchmark runs them from dist/.
const KEEP = /[\\/]libs[\\/]resume[\\/]src[\\/]testing[\\/][^\\/]+\.fixtures\.ts$/;

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'node_modules') yield* walk(full);
    } else yield full;
  }
}

const started = Date.now();
const sources = [];
for (const top of LINKS) {
  for (const project of readdirSync(join(root, top)).sort()) {
    const src = join(root, top, project, 'src');
    // A browser app bundled by its own Vite build (apps/console → dist/console) is not Node code.
    if (existsSync(join(root, top, project, 'vite.config.ts'))) continue;
    if (existsSync(src)) sources.push(...walk(src));
  }
}
const inputs = sources.filter(
  (file) => ASSETS.test(file) || (file.endsWith('.ts') && !(SKIP.test(file) && !KEEP.test(file))),
);

const hash = createHash('sha256');
hash.update(readFileSync(fileURLToPath(import.meta.url)));
hash.update(swcrcText);
hash.update(JSON.stringify(paths));
for (const file of inputs) hash.update(`\0${relative(root, file)}\0`).update(readFileSync(file));
const id = hash.digest('hex').slice(0, 16);
const target = join(builds, id);

let built = false;
if (!existsSync(join(target, '.complete'))) {
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  await compile(staging);
  writeFileSync(join(staging, '.complete'), `${new Date().toISOString()}\n`);
  try {
    renameSync(staging, target);
    built = true;
  } catch (error) {
    // Another build of the same sources finished first: theirs is identical.
    if (!existsSync(join(target, '.complete'))) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
}
for (const name of LINKS) pointAt(join(dist, name), join('.builds', id, name));
const now = new Date();
utimesSync(join(target, '.complete'), now, now);
prune();
console.log(
  built
    ? `built ${inputs.length} files into dist/.builds/${id} in ${Date.now() - started} ms`
    : `dist/ is up to date (dist/.builds/${id}, ${Date.now() - started} ms)`,
);

async function compile(out) {
  await Promise.all(
    inputs.map(async (file) => {
      const rel = relative(root, file);
      const dest = join(out, rel);
      mkdirSync(dirname(dest), { recursive: true });
      if (ASSETS.test(file)) {
        cpSync(file, dest);
        return;
      }
      // Source maps point at the sources from the folder the file will be in, not staging.
      const final = join(target, rel);
      const { code, map } = await transformFile(file, {
        ...swcrc,
        swcrc: false,
        filename: file,
        sourceFileName: relative(dirname(final), file),
        jsc: { ...swcrc.jsc, baseUrl: root, paths },
      });
      const js = dest.replace(/\.ts$/, '.js');
      writeFileSync(js, `${code}\n//# sourceMappingURL=${basename(js)}.map\n`);
      if (map) writeFileSync(`${js}.map`, map);
    }),
  );
}

/** Replaces `link` with a symlink to `to` in one rename (a reader sees the old or the new). */
function pointAt(link, to) {
  mkdirSync(dirname(link), { recursive: true });
  const current = lstatSync(link, { throwIfNoEntry: false });
  if (current?.isSymbolicLink() && readlinkSync(link) === to) return;
  if (current && !current.isSymbolicLink()) {
    // The folder an older build.mjs wrote in place: kept aside, so its runners go on.
    const legacy = join(builds, `legacy-${started}-${process.pid}`);
    mkdirSync(legacy, { recursive: true });
    renameSync(link, join(legacy, basename(link)));
  }
  const temporary = `${link}.link-${process.pid}`;
  rmSync(temporary, { force: true });
  symlinkSync(to, temporary, 'dir');
  renameSync(temporary, link);
}

function prune() {
  const current = new Set(
    LINKS.map((name) => realpathOrNull(join(dist, name))).map((p) => p && dirname(p)),
  );
  const pinned = pinnedBuilds();
  const dirs = readdirSync(builds)
    .map((name) => join(builds, name))
    .filter((dir) => !current.has(dir) && !pinned.has(dir));
  // Another build's staging folder is removed only when its process is gone: builds run
  // side by side (nx run-many builds every app), and age says nothing about a live one.
  for (const dir of dirs.filter((d) => /\.tmp-\d+$/.test(d))) {
    if (!processAlive(Number(dir.split('-').pop()))) rmSync(dir, { recursive: true, force: true });
  }
  const entries = dirs
    .filter((dir) => !/\.tmp-\d+$/.test(dir))
    .map((dir) => ({ dir, since: lastCurrent(dir) }))
    .sort((a, b) => b.since - a.since);
  const cutoff = Date.now() - KEEP_HOURS * 3_600_000;
  for (const [index, { dir, since }] of entries.entries()) {
    if (index >= KEEP_BUILDS - 1 && since < cutoff) rmSync(dir, { recursive: true, force: true });
  }
}

/** When a build was last made current (its marker is touched then); 0 for partial ones. */
function lastCurrent(dir) {
  try {
    return statSync(join(dir, '.complete')).mtimeMs;
  } catch {
    return existsSync(dir) && !/\.tmp-\d+$/.test(dir) ? statSync(dir).mtimeMs : 0;
  }
}

/** Builds that a live app started by tools/serve.mjs runs from (dist/.builds/<id>/.pins/<pid>). */
function pinnedBuilds() {
  const pinned = new Set();
  for (const name of readdirSync(builds)) {
    const pins = join(builds, name, '.pins');
    if (!existsSync(pins)) continue;
    for (const pid of readdirSync(pins)) {
      if (processAlive(Number(pid))) pinned.add(join(builds, name));
      else rmSync(join(pins, pid), { force: true });
    }
  }
  return pinned;
}

function processAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function realpathOrNull(path) {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}
