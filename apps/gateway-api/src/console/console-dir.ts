import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where the console's build lands, under the workspace root (apps/console's Vite build). */
const BUILD_PATH = join('dist', 'console');

/**
 * The folder the console is served from: `CONSOLE_DIR` when set (relative to `cwd`), else
 * the first `dist/console` holding an index.html above `from` — which finds the workspace's
 * build both from the compiled gateway (`dist/.builds/<hash>/apps/gateway-api/src/console`)
 * and from its sources under Jest. When none is built yet, where it will be: the
 * workspace root's (the first folder with an nx.json), else `cwd`'s. Looked up once, at boot;
 * the files themselves are read per request, so a build made later is served without a restart.
 */
export function resolveConsoleDir(
  env: Readonly<Record<string, string | undefined>>,
  from: string,
  cwd: string,
): string {
  const override = env.CONSOLE_DIR?.trim();
  if (override) return resolve(cwd, override);
  let workspace: string | undefined;
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, BUILD_PATH);
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (workspace === undefined && existsSync(join(dir, 'nx.json'))) workspace = dir;
    if (dirname(dir) === dir) break;
  }
  return join(workspace ?? cwd, BUILD_PATH);
}
