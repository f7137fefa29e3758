module.exports = {
  displayName: 'resume',
  preset: '../../jest.preset.js',
  rootDir: '.',
};
