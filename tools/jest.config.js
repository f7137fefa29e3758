// The workspace tools' own specs (the Dockerfile, docker-compose.yml, the package manifests,
// the app build): part of `npm test` through the root jest.config.js.
module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  rootDir: '.',
  testPathIgnorePatterns: ['/node_modules/', '/consumer/host/'],
};
