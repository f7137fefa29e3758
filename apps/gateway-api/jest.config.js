module.exports = {
  displayName: 'gateway-api',
  preset: '../../jest.preset.js',
  rootDir: '.',
};
