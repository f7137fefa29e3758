// Runs the fake provider on its own for the benchmarks:
//   node bench/lib/fake-server.mjs <port> [--seed=<n>] [--stats]     (port 0 = any free port)
// Prints the base URL on stdout once listening. Exits when stdin closes, so the
// benchmark's parent process dying never leaves it behind.
//   --seed=<n>  seeds the draws behind queued scripts' `probability` (reproducible faults).
//   --stats     counts model calls and how each ended; a line `stats <id>` on stdin is
//               answered with `stats <id> <json>` on stdout (see fakeStats() in fake-stats.mjs).
//               Off by default: the overhead benchmark's fake does no extra work per request.
import diagnostics from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { startFakeProvider } = require(join(root, 'dist/libs/fake-provider/src/index.js'));

const port = Number(process.argv[2] ?? 0);
const flags = process.argv.slice(3);
const seedFlag = flags.find((f) => f.startsWith('--seed='));
const seed = seedFlag === undefined ? undefined : Number(seedFlag.slice('--seed='.length));
if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`bad ${seedFlag}`);
if (flags.includes('--stats')) countCalls();

const server = await startFakeProvider({ port, host: '127.0.0.1', seed });
process.stdout.write(`${server.url}\n`);

/**
 * Counts model calls (admin `/_fake/*` requests left out) by how they ended: `completed`
 * (the whole response written) or `aborted` (the client closed first, e.g. a gateway
 * cancelling a hedge loser), and how long each aborted one was held (ms, since the
 * previous query). Through Node's public
 * diagnostics channel, so the fake itself is untouched.
 */
function countCalls() {
  const SLOW_MS = 1000;
  const stats = { calls: 0, completed: 0, aborted: 0, completedSlow: 0, abortedHeldMs: [] };
  diagnostics.subscribe('http.server.request.start', ({ request, response }) => {
    if (request.url?.startsWith('/_fake/')) return;
    const started = performance.now();
    stats.calls += 1;
    response.once('close', () => {
      const heldMs = performance.now() - started;
      if (response.writableFinished) {
        stats.completed += 1;
        if (heldMs >= SLOW_MS) stats.completedSlow += 1;
      } else {
        stats.aborted += 1;
        if (stats.abortedHeldMs.length < 1000) stats.abortedHeldMs.push(Math.round(heldMs));
      }
    });
  });
  let pending = '';
  process.stdin.on('data', (chunk) => {
    pending += chunk.toString('utf8');
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      const id = /^stats (\S+)$/.exec(line)?.[1];
      if (!id) continue;
      process.stdout.write(`stats ${id} ${JSON.stringify(stats)}\n`);
      stats.abortedHeldMs = []; // held times since the previous query: one phase's worth
    }
  });
}

const stop = () => {
  void server.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
