// Runs the fake provider on its own for the overhead benchmark:
//   node bench/lib/fake-server.mjs <port>      (0 = any free port)
// Prints the base URL on stdout once listening. Exits when stdin closes, so the
// benchmark's parent process dying never leaves it behind.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { startFakeProvider } = require(join(root, 'dist/libs/fake-provider/src/index.js'));

const port = Number(process.argv[2] ?? 0);
const server = await startFakeProvider({ port, host: '127.0.0.1' });
process.stdout.write(`${server.url}\n`);

const stop = () => {
  void server.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
