// Runs a built app — `node tools/serve.mjs <app> [node options…]` — from the build that
// dist/apps points at now, and pins that build while the app lives (dist/.builds/<id>/.pins/
// <pid>), so a later tools/build.mjs never prunes it. It never builds: the Nx `serve` targets
// (`npm start`, `npm run start:worker`, `npm run start:fake`) depend on `build`, which is a
// no-op when the sources have not changed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [app, ...nodeOptions] = process.argv.slice(2);
const entry = join(root, 'dist/apps', app ?? '', 'src/main.js');
if (!app || !existsSync(entry)) {
  console.error(`serve: ${relative(root, entry)} is missing; run \`npx nx run ${app}:build\``);
  process.exit(1);
}

// The real path: the app and every file it loads later stay in this build's folder.
const main = realpathSync(entry);
const builds = join(root, 'dist/.builds') + sep;
const build = main.startsWith(builds) ? join(builds, relative(builds, main).split(sep)[0]) : null;
const pin = build && join(build, '.pins', String(process.pid));
if (pin) {
  mkdirSync(dirname(pin), { recursive: true });
  writeFileSync(pin, `${app}\n`);
}

const child = spawn(process.execPath, [...nodeOptions, main], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  if (pin) rmSync(pin, { force: true });
  process.exit(code ?? (signal === 'SIGINT' ? 130 : 143));
});
