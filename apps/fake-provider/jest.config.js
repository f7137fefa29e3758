module.exports = {
  displayName: 'fake-provider-app',
  preset: '../../jest.preset.js',
  rootDir: '.',
};
