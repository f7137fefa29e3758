// Root Jest config: `npm test` runs every project's unit, integration and e2e specs.
module.exports = {
  projects: ['<rootDir>/apps/*/jest.config.js', '<rootDir>/libs/*/jest.config.js'],
  reporters: ['default', '<rootDir>/tools/summary-reporter.js'],
};
