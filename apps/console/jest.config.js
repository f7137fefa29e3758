// The console's browser specs (apps/console/e2e): headless Chromium (Debian's, through
// playwright-core) against a real gateway process serving the built console. Only
// e2e/**/*.e2e-spec.ts: the console's own sources are Preact TSX, built by Vite.
module.exports = {
  displayName: 'console-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/e2e/global-setup.js',
  // A spec boots a gateway, runs its load and drives a browser on a shared 2-core machine.
  testTimeout: 90_000,
};
