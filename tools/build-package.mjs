// Builds one publishable lib into dist/packages/<name> (`node tools/build-package.mjs
// libs/ai-gateway`): tsc with declarations (the lib's tsconfig.lib.json), then the lib's
// package.json, README.md and CHANGELOG.md beside `lib/` — a folder that `npm pack` turns into
// an installable tarball. Run by the libs' Nx `build` targets.
//
// A workspace lib that is not published on its own but runs inside this one (the fake provider
// the core's embedded default starts) is compiled in and its imports point at the copy under
// lib/vendor/. Imports of published libs (`@ai-gateway/core` inside resume) stay package
// imports, resolved at build time from the built declarations (tsconfig.lib.json `paths`).
//
// The build fails when the compiled code requires a package that the manifest does not
// declare, or declares one that nothing requires: the manifest is what the code uses.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ts = require('typescript');

/** Packages loaded by name by a dependency, so no `require` of ours names them. */
const LOADED_BY_NAME = {
  '@ai-gateway/core': {
    pg: 'TypeORM loads the PostgreSQL driver when usage.databaseUrl is set',
    'sql.js': 'TypeORM loads the embedded usage store (the default)',
  },
};
const ASSETS = /\.(json|html|yaml|yml|txt|lua)$/;
const BUILTINS = new Set(builtinModules);

const projectRoot = process.argv[2];
if (!projectRoot) throw new Error('usage: node tools/build-package.mjs libs/<lib>');
const libDir = resolve(root, projectRoot);
const manifest = JSON.parse(readFileSync(join(libDir, 'package.json'), 'utf8'));
const out = join(root, 'dist/packages', manifest.name.split('/').pop());
const started = Date.now();

const config = ts.getParsedCommandLineOfConfigFile(
  join(libDir, 'tsconfig.lib.json'),
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail(flatten(d)) },
);
const { outDir, rootDir } = config.options;
rmSync(outDir, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', join(libDir, 'tsconfig.lib.json')],
  { stdio: 'inherit', cwd: root },
);
if (tsc.status !== 0) fail(`tsc failed for ${projectRoot}`);

// Lay out lib/ (this lib's src) and lib/vendor/<lib> (workspace libs compiled in).
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const ownSrc = join(libDir, 'src');
const vendored = new Map(); // import alias → folder under lib/vendor
renameSync(join(outDir, relative(rootDir, ownSrc)), join(out, 'lib'));
copyAssets(ownSrc, join(out, 'lib'));
if (relative(rootDir, ownSrc) !== '') {
  const aliases = aliasesBySource();
  for (const name of readdirSync(outDir)) {
    const src = join(rootDir, name, 'src');
    if (src === ownSrc || !existsSync(join(outDir, name, 'src'))) continue;
    const alias = aliases.get(join(src, 'index.ts'));
    if (!alias) fail(`${name}: compiled in, but no tsconfig path alias names it`);
    mkdirSync(join(out, 'lib/vendor'), { recursive: true });
    renameSync(join(outDir, name, 'src'), join(out, 'lib/vendor', name));
    copyAssets(src, join(out, 'lib/vendor', name));
    vendored.set(alias, join(out, 'lib/vendor', name, 'index'));
  }
}
rmSync(outDir, { recursive: true, force: true });
rmEmptyDir(dirname(outDir));

const required = new Set();
for (const file of walk(join(out, 'lib'))) {
  if (!/\.(js|d\.ts)$/.test(file)) continue;
  let text = readFileSync(file, 'utf8');
  for (const [alias, target] of vendored) {
    let to = relative(dirname(file), target).split(sep).join(posix.sep);
    if (!to.startsWith('.')) to = `./${to}`;
    text = text.replace(new RegExp(`(["'])${escape(alias)}\\1`, 'g'), `$1${to}$1`);
  }
  writeFileSync(file, text);
  for (const specifier of bareSpecifiers(file, text)) required.add(packageOf(specifier));
}

for (const alias of vendored.keys()) required.delete(alias);
const declared = new Set(
  ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
    Object.keys(manifest[field] ?? {}),
  ),
);
const indirect = LOADED_BY_NAME[manifest.name] ?? {};
const missing = [...required].filter((name) => !declared.has(name));
const unused = [...declared].filter(
  (name) =>
    !required.has(name) && !(name in indirect) && !(name in (manifest.peerDependencies ?? {})),
);
if (missing.length) fail(`${manifest.name} requires undeclared packages: ${missing.join(', ')}`);
if (unused.length)
  fail(`${manifest.name} declares packages nothing requires: ${unused.join(', ')}`);

writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const doc of ['README.md', 'CHANGELOG.md']) {
  if (existsSync(join(libDir, doc))) cpSync(join(libDir, doc), join(out, doc));
}
if (existsSync(join(root, 'LICENSE'))) cpSync(join(root, 'LICENSE'), join(out, 'LICENSE'));
for (const target of exportTargets(manifest.exports)) {
  if (!existsSync(join(out, target)))
    fail(`${manifest.name}: export target ${target} was not built`);
}
console.log(
  `built ${manifest.name}@${manifest.version} into ${relative(root, out)} in ${Date.now() - started} ms` +
    (vendored.size ? ` (compiled in: ${[...vendored.keys()].join(', ')})` : ''),
);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** Non-TypeScript files a lib reads at run time (tsc copies only the JSON it imports). */
function copyAssets(src, target) {
  for (const file of walk(src)) {
    const to = join(target, relative(src, file));
    if (ASSETS.test(file) && !existsSync(to)) {
      mkdirSync(dirname(to), { recursive: true });
      cpSync(file, to);
    }
  }
}

function aliasesBySource() {
  const { paths } = JSON.parse(
    readFileSync(join(root, 'tsconfig.base.json'), 'utf8'),
  ).compilerOptions;
  return new Map(Object.entries(paths).map(([alias, [target]]) => [resolve(root, target), alias]));
}

/**
 * Module names the compiled code loads: `require`, `import()`, a declaration's `import`,
 * `export … from` and `import("…")` type, and a bare `require.resolve` (one with a `paths`
 * option resolves from another package's folder). Read from the syntax tree, not comments.
 */
function* bareSpecifiers(file, text) {
  const names = [];
  const visit = (node) => {
    let specifier;
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifier = node.moduleSpecifier.text;
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      specifier = node.argument.literal.text;
    } else if (
      ts.isCallExpression(node) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isResolve =
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'require' &&
        callee.name.text === 'resolve' &&
        node.arguments.length === 1;
      if (isRequire || isImport || isResolve) specifier = node.arguments[0].text;
    }
    if (specifier) names.push(specifier);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false));
  for (const specifier of names) {
    if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
    if (BUILTINS.has(specifier.split('/')[0])) continue;
    yield specifier;
  }
}

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function* exportTargets(node) {
  if (typeof node === 'string') yield node;
  else if (node && typeof node === 'object')
    for (const value of Object.values(node)) yield* exportTargets(value);
}

function escape(text) {
  return text.replace(/[/\\^$.*+?()[\]{}|-]/g, '\\$&');
}

function flatten(diagnostic) {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
}

function rmEmptyDir(dir) {
  try {
    if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
  } catch {
    // absent already
  }
}

function fail(message) {
  console.error(`build-package: ${message}`);
  process.exit(1);
}
