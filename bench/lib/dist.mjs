// Loading the compiled library from dist/ and reading numeric settings, for the
// in-process micro-benchmarks (routing, budgets, usage writer).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lib = join(dirname(fileURLToPath(import.meta.url)), '../../dist/libs/ai-gateway/src');
const require = createRequire(import.meta.url);

/** `fromDist('config/gateway-config.loader.js')`; exits with a hint when dist/ lacks `probe`. */
export function distLoader(probe, what) {
  if (!existsSync(join(lib, probe))) {
    console.error(`dist/ is missing ${what}: run \`node tools/build.mjs\` first`);
    process.exit(2);
  }
  return (path) => require(join(lib, path));
}

/** A positive integer from the environment, or the fallback. */
export function positiveInt(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}
