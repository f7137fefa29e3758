// The better-sqlite3 addon for Node 24, beside the workspace's Node 20 one. better-sqlite3
// binds V8 directly, so each Node ABI needs its own build, and `npm rebuild` under Node 24
// would replace the Node 20 addon the rest of CI uses. This copies the installed package to
// a cache folder outside the repository ($BSQ24_DIR, default <tmp>/ai-gateway-bsq24), compiles
// it there with Node 24's own headers (no download) and prints the variable that makes the
// gateway load it (`usage.sqliteBinding`). Reused while the version and the Node ABI match.
//   eval "$(node tools/sqlite-node24.mjs)"    → BETTER_SQLITE3_BINDING=<…/better_sqlite3.node>
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureNode24 } from './node24.mjs';

const require = createRequire(import.meta.url);
const { node } = ensureNode24();
const nodeDir = dirname(dirname(node));
const source = dirname(require.resolve('better-sqlite3/package.json'));
const { version } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
const abi = execFileSync(node, ['-p', 'process.versions.modules']).toString().trim();
const dir = process.env.BSQ24_DIR ?? join(tmpdir(), 'ai-gateway-bsq24');
const target = join(dir, 'better-sqlite3');
const binding = join(target, 'build/Release/better_sqlite3.node');
const stamp = join(dir, 'built-for');
const wanted = `${version} abi ${abi}`;

if (!(existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted)) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  rmSync(join(target, 'build'), { recursive: true, force: true });
  const gyp = require.resolve('node-gyp/bin/node-gyp.js', {
    paths: [dirname(execFileSync('npm', ['root', '-g']).toString().trim() + '/npm/x')],
  });
  try {
    execFileSync(node, [gyp, 'rebuild', '--release', `--nodedir=${nodeDir}`], {
      cwd: target,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  }
  writeFileSync(stamp, wanted);
}
// The addon loads in Node 24: checked here rather than in the first test that opens a store.
execFileSync(node, [
  '-e',
  `new (require(${JSON.stringify(source)}))(':memory:', { nativeBinding: ${JSON.stringify(binding)} }).close()`,
]);
console.log(`BETTER_SQLITE3_BINDING=${binding}`);
