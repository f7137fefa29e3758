import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

// The minimum of apps/gateway-api/test/gateway-process.ts the console specs need: Nx's
// module boundaries forbid importing another project's files by a relative path.

/** The built gateway (`node tools/build.mjs`, run by this project's jest globalSetup). */
const GATEWAY_MAIN = join(__dirname, '..', '..', '..', 'dist/apps/gateway-api/src/main.js');
/** Output kept for failure messages: the tail. */
const OUTPUT_LIMIT = 256 * 1024;

/** Every gateway still running, killed if the test process exits without stopping it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * The built gateway run as a process, the way it is deployed (`node main.js` with
 * `AI_GATEWAY_CONFIG` and `PORT`), on a free loopback port; it serves the console from
 * dist/console. Its output is kept for the failure messages.
 */
export class GatewayRunner {
  private output = '';
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(
    /** `http://127.0.0.1:<port>` */
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {
    live.add(child);
    this.exit = new Promise((resolve) =>
      child.once('exit', () => {
        live.delete(child);
        this.exited = true;
        resolve();
      }),
    );
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** What the gateway wrote to stdout and stderr so far (its log lines; the newest part). */
  get log(): string {
    return this.output;
  }

  /** Writes the config as YAML, starts the gateway and resolves once `/health/ready` is 200. */
  static async start(
    config: Record<string, unknown>,
    readyTimeoutMs = 60_000,
  ): Promise<GatewayRunner> {
    const dir = await mkdtemp(join(tmpdir(), 'console-gateway-'));
    const configFile = join(dir, 'gateway.yaml');
    const server = (config.server ?? {}) as Record<string, unknown>;
    await writeFile(configFile, stringify({ ...config, server: { host: '127.0.0.1', ...server } }));
    const port = await freePort();
    const child = spawn(process.execPath, [GATEWAY_MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        // Its own file store, gone with the process.
        AI_GATEWAY_DATA_DIR: join(dir, 'data'),
        // A better-sqlite3 build for this Node, when the installed one is for another.
        ...(process.env.BETTER_SQLITE3_BINDING
          ? { BETTER_SQLITE3_BINDING: process.env.BETTER_SQLITE3_BINDING }
          : {}),
        AI_GATEWAY_CONFIG: configFile,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const gateway = new GatewayRunner(`http://127.0.0.1:${port}`, child, dir);
    try {
      await gateway.waitReady(readyTimeoutMs);
      return gateway;
    } catch (error) {
      await gateway.stop();
      throw error;
    }
  }

  /** Stops the gateway (SIGTERM, SIGKILL after `graceMs`) and deletes its folder. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.exited) {
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([this.exit, late]);
      clearTimeout(timer);
      if (!this.exited) {
        this.child.kill('SIGKILL');
        await this.exit;
      }
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`the gateway exited before it was ready:\n${this.output}`);
      try {
        const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(1_000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the gateway was not ready after ${timeoutMs} ms:\n${this.output}`);
  }
}

/** A loopback port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Reads until `done` holds or `timeoutMs` passes, every `everyMs`; returns the last value read. */
export async function pollUntil<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  { timeoutMs, everyMs = 100 }: { timeoutMs: number; everyMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await read();
  }
  return value;
}
