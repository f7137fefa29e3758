#!/usr/bin/env node
// Refreshes the console's screenshots in docs/console: `node apps/console/e2e/screenshots.mjs`.
//
// It runs the browser spec that visits every page (pages.e2e-spec.ts) with
// CONSOLE_SCREENSHOTS_DIR set: the spec's globalSetup builds the gateway and the console,
// the spec starts a gateway on the fake provider with the scripted demo load (successes, a
// fallback, a cache hit, an open circuit, a 429, a failed job), signs in with the admin key
// and writes <page>-desktop.png (1280×800) and <page>-phone.png (390×844) for the sign-in
// page, every console page and /docs — checking each console page with axe-core on the way
// (no serious or critical violation). One code path for the pictures and the checks: the
// screenshots show exactly what CI checks. Needs Debian's chromium (/usr/bin/chromium, or
// CHROMIUM_PATH).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = join(root, 'docs', 'console');
const result = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
    '-c',
    join(root, 'apps', 'console', 'jest.config.js'),
    '--runTestsByPath',
    join(root, 'apps', 'console', 'e2e', 'pages.e2e-spec.ts'),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CONSOLE_SCREENSHOTS_DIR: out } },
);
if (result.status === 0) console.log(`screenshots written to ${out}`);
process.exit(result.status ?? 1);
