// Jest globalSetup of the gateway-api project: the specs that start the gateway as a real
// process (test/gateway-process.ts) run dist/, so dist/ is rebuilt from the sources once
// per run (about 100 ms), never left stale.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = function buildDist() {
  execFileSync(process.execPath, [join(__dirname, '..', '..', '..', 'tools', 'build.mjs')], {
    stdio: 'pipe',
  });
};
