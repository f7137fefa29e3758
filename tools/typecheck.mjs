// Type-checks one Nx project — `node tools/typecheck.mjs <project root>` — with the
// workspace's compiler options (tsconfig.json: strict, noEmit, the path aliases): every .ts
// file under the root, specs and tests included, and reports the errors found in them (the
// libs they import are checked by their own target). The projects' `typecheck` targets run
// it, so Nx caches each project's result and `nx affected` re-checks only what changed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ts = createRequire(import.meta.url)('typescript');
const SKIPPED = new Set(['node_modules', 'dist', 'tmp', 'coverage', '.nx']);

const projectRoot = process.argv[2];
if (!projectRoot || !existsSync(resolve(root, projectRoot))) {
  console.error('usage: node tools/typecheck.mjs <project root>');
  process.exit(2);
}
const started = Date.now();
// A project with a tsconfig.json of its own (tools/) is checked with it; the others with the root's.
const own = join(resolve(root, projectRoot), 'tsconfig.json');
const configPath = existsSync(own) ? own : join(root, 'tsconfig.json');
const config = ts.getParsedCommandLineOfConfigFile(
  configPath,
  { noEmit: true },
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => report([diagnostic]),
  },
);
const files = configPath === own ? config.fileNames : [...walk(resolve(root, projectRoot))];
const mine = new Set(files.map((file) => resolve(file)));
// The workspace's ambient declarations (a lib's `declare module` for an untyped package) apply
// wherever that package is imported, as they do in the whole-workspace check.
const ambient = config.fileNames.filter((file) => file.endsWith('.d.ts'));
const program = ts.createProgram({ rootNames: [...ambient, ...files], options: config.options });
const diagnostics = [
  ...program.getOptionsDiagnostics(),
  ...program.getGlobalDiagnostics(),
  ...program
    .getSourceFiles()
    .filter((file) => mine.has(resolve(file.fileName)))
    .flatMap((file) => [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ]),
];
if (diagnostics.length > 0) report(diagnostics);
console.log(`typecheck ${projectRoot}: ${mine.size} files, no errors (${Date.now() - started} ms)`);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIPPED.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) yield full;
  }
}

function report(found) {
  const host = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  };
  console.error(ts.formatDiagnosticsWithColorAndContext(found, host));
  console.error(
    `typecheck ${relative(root, resolve(root, projectRoot)) || '.'}: ${found.length} error(s)`,
  );
  process.exit(1);
}
