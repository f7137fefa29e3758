module.exports = {
  displayName: 'gateway-api',
  preset: '../../jest.preset.js',
  rootDir: '.',
  globalSetup: '<rootDir>/test/global-setup.js',
};
