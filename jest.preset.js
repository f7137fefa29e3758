// Shared Jest settings for every project: SWC compiles TypeScript (with decorator
// metadata, which NestJS DI needs) and the tsconfig path aliases resolve to sources.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = __dirname;
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const { paths } = require('./tsconfig.base.json').compilerOptions;

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(paths)) {
  moduleNameMapper[`^${alias.replace(/[/\\^$.*+?()[\]{}|-]/g, '\\$&')}$`] = join(root, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false, sourceMaps: 'inline' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec|e2e-spec|int-spec).ts'],
  clearMocks: true,
  // A hook or test on a shared, loaded 2-core machine (several gateways booting, token
  // encodings built at bootstrap) can take longer than Jest's 5 s without anything being
  // wrong; a real hang still fails, at 30 s.
  testTimeout: 30_000,
};
