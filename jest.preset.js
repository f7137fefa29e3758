// Shared Jest settings for every project: SWC compiles TypeScript (with decorator
// metadata, which NestJS DI needs) and the tsconfig path aliases resolve to sources.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = __dirname;
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const { paths } = require('./tsconfig.base.json').compilerOptions;

/** Packages in node_modules shipped only as ES modules that the gateway's dependencies require. */
const ESM_ONLY = ['content-disposition'];
const ESM_ONLY_FILES = `/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`;

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(paths)) {
  moduleNameMapper[`^${alias.replace(/[/\\^$.*+?()[\]{}|-]/g, '\\$&')}$`] = join(root, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false, sourceMaps: 'inline' }],
    // ESM-only packages that CommonJS code requires (content-disposition 3, from @fastify/static,
    // which serves the console): Node ≥ 20.19 loads them natively, Jest below Node 24.9 cannot.
    [ESM_ONLY_FILES]: [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`^(?!.*/node_modules/(${ESM_ONLY.join('|')})/).*/node_modules/`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec|e2e-spec|int-spec).ts'],
  clearMocks: true,
  // A hook or test on a shared, loaded 2-core machine (several gateways booting, token
  // encodings built at bootstrap) can take longer than Jest's 5 s without anything being
  // wrong; a real hang still fails, at 30 s.
  testTimeout: 30_000,
};
