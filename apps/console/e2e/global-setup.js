// Jest globalSetup of the console's browser specs: the gateway they start runs dist/, and
// serves the console from dist/console, so both are rebuilt from the sources first — the
// gateway by tools/build.mjs (content-addressed: about 100 ms when nothing changed), the
// console by its Nx build target (Vite, about a second; an Nx cache hit when unchanged).
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = function buildDist() {
  const root = join(__dirname, '..', '..', '..');
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { stdio: 'pipe' });
  execFileSync(
    process.execPath,
    [
      require.resolve('nx/bin/nx', { paths: [root] }),
      'run',
      'console:build',
      '--outputStyle=static',
    ],
    { cwd: root, stdio: 'pipe', env: { ...process.env, NX_DAEMON: 'false' } },
  );
};
