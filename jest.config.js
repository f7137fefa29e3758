// Root Jest config: `npm test` runs every project's unit, integration and e2e specs, and the
// workspace tools' own (tools/jest.config.js).
module.exports = {
  projects: [
    '<rootDir>/apps/*/jest.config.js',
    '<rootDir>/libs/*/jest.config.js',
    '<rootDir>/tools/jest.config.js',
  ],
  reporters: ['default', '<rootDir>/tools/summary-reporter.js'],
  // Suites run in a worker that is replaced once it holds more than this after a file. Run
  // in band, one process grew to 2.8 GB over the whole suite; the timing-sensitive e2e specs
  // host their fake providers and clients in it, and a collection of such a heap stalls them.
  workerIdleMemoryLimit: '700MB',
  // Jest reads a test's time limit from the run's global config, not a project's: the
  // preset's 30 s applies to `npm test` only when it is set here too (without it, 5 s).
  testTimeout: 30_000,
};
