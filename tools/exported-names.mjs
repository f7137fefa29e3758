// The names each package exports, from its barrels, listed in its README between the
// `exported-names` markers: `node tools/exported-names.mjs --write` fills them,
// `--check` (CI, tools/packages.spec.ts) fails when a README and a barrel disagree.
// Names are grouped by the room (top-level folder) they are declared in.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = [
  {
    readme: 'libs/ai-gateway/README.md',
    entries: [
      { name: '@ai-gateway/core', file: 'libs/ai-gateway/src/index.ts' },
      { name: '@ai-gateway/core/testing', file: 'libs/ai-gateway/src/testing/index.ts' },
    ],
  },
  {
    readme: 'libs/resume/README.md',
    entries: [
      { name: '@ai-gateway/resume', file: 'libs/resume/src/index.ts' },
      { name: '@ai-gateway/resume/testing', file: 'libs/resume/src/testing/index.ts' },
    ],
  },
];
const START = /<!-- exported-names:start[^>]*-->/;
const END = '<!-- exported-names:end -->';

function program(files) {
  const config = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile).config;
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  return ts.createProgram(
    files.map((file) => join(root, file)),
    { ...options, noEmit: true },
  );
}

/** `{ room: [names…] }` of one barrel, rooms and names sorted. */
function exportsOf(checker, source, libSrc) {
  const rooms = new Map();
  for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(source))) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declared = target.declarations?.[0]?.getSourceFile().fileName ?? source.fileName;
    const path = relative(libSrc, declared).split('/');
    const room =
      path[0] === '..'
        ? `re-exported from ${packageOf(declared)}`
        : path.length > 1
          ? path[0]
          : 'root';
    if (!rooms.has(room)) rooms.set(room, []);
    rooms.get(room).push(symbol.getName());
  }
  return [...rooms.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([room, names]) => [room, names.sort((a, b) => a.localeCompare(b))]);
}

/** `openai` for …/node_modules/openai/resources/…, `@scope/name` for scoped packages. */
function packageOf(file) {
  const parts = file.split('/node_modules/').pop().split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

export function exportedNamesMarkdown(pkg, prog = program(pkg.entries.map((e) => e.file))) {
  const checker = prog.getTypeChecker();
  const out = [];
  for (const entry of pkg.entries) {
    const source = prog.getSourceFile(join(root, entry.file));
    const rooms = exportsOf(
      checker,
      source,
      join(root, entry.file.split('/').slice(0, 3).join('/')),
    );
    const count = rooms.reduce((n, [, names]) => n + names.length, 0);
    out.push(`\`${entry.name}\` (${count}):`, '');
    for (const [room, names] of rooms) {
      out.push(`- ${room}: ${names.map((name) => `\`${name}\``).join(', ')}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function withList(readme, list) {
  const start = readme.match(START);
  const end = readme.indexOf(END);
  if (!start || end < 0) throw new Error('the exported-names markers are missing');
  const head = readme.slice(0, start.index + start[0].length);
  return `${head}\n\n${list}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes('--write');
  const prog = program(PACKAGES.flatMap((pkg) => pkg.entries.map((e) => e.file)));
  let stale = 0;
  for (const pkg of PACKAGES) {
    const path = join(root, pkg.readme);
    const readme = readFileSync(path, 'utf8');
    const next = withList(readme, exportedNamesMarkdown(pkg, prog));
    if (next === readme) continue;
    if (write) writeFileSync(path, next);
    else {
      stale++;
      console.error(`${pkg.readme}: the exported names differ from the barrels (--write)`);
    }
  }
  process.exit(stale ? 1 : 0);
}
