// Compiles apps/ and libs/ to dist/ with SWC (decorator metadata included, which
// esbuild lacks and NestJS DI needs) and rewrites the tsconfig path aliases to relative
// requires, so `node dist/apps/<app>/main.js` runs without a loader. Type checking is
// `npm run typecheck`; this step only transpiles, which keeps `npm start` fast.
import { transformFile } from '@swc/core';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const { paths } = JSON.parse(
  readFileSync(join(root, 'tsconfig.base.json'), 'utf8'),
).compilerOptions;
const ASSETS = /\.(json|html|yaml|yml|txt|lua)$/;
const SKIP = /\.(spec|e2e-spec|int-spec|fixtures|scenarios)\.ts$|\.d\.ts$/;
// Sample resumes and model answers: fixtures, but the task-queue benchmark runs them from dist/.
const KEEP = /[\\/]libs[\\/]resume[\\/]src[\\/]testing[\\/][^\\/]+\.fixtures\.ts$/;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'node_modules') yield* walk(full);
    } else yield full;
  }
}

const sources = [];
for (const top of ['apps', 'libs']) {
  for (const project of readdirSync(join(root, top))) {
    const src = join(root, top, project, 'src');
    try {
      statSync(src);
    } catch {
      continue;
    }
    sources.push(...walk(src));
  }
}

rmSync(out, { recursive: true, force: true });
const started = Date.now();
await Promise.all(
  sources.map(async (file) => {
    const rel = relative(root, file);
    const target = join(out, rel);
    mkdirSync(dirname(target), { recursive: true });
    if (ASSETS.test(file)) {
      cpSync(file, target);
      return;
    }
    if (!file.endsWith('.ts') || (SKIP.test(file) && !KEEP.test(file))) return;
    const { code, map } = await transformFile(file, {
      ...swcrc,
      swcrc: false,
      filename: file,
      sourceFileName: relative(dirname(target), file),
      jsc: { ...swcrc.jsc, baseUrl: root, paths },
    });
    const js = target.replace(/\.ts$/, '.js');
    writeFileSync(js, `${code}\n//# sourceMappingURL=${js.split('/').pop()}.map\n`);
    if (map) writeFileSync(`${js}.map`, map);
  }),
);
console.log(`built ${sources.length} files into dist/ in ${Date.now() - started} ms`);
