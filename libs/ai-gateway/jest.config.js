module.exports = {
  displayName: 'ai-gateway',
  preset: '../../jest.preset.js',
  rootDir: '.',
};
