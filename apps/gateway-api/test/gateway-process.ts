import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { stringify } from 'yaml';

/** The built entry point of the gateway (`node tools/build.mjs`, run by the jest globalSetup). */
export const GATEWAY_MAIN = join(__dirname, '..', '..', '..', 'dist/apps/gateway-api/src/main.js');
/** The built entry point of the worker (its health server listens on `WORKER_PORT`). */
export const WORKER_MAIN = join(__dirname, '..', '..', '..', 'dist/apps/worker/src/main.js');
/** The built fake provider (`PORT`, `HOST`; ready when `GET /_fake/requests` answers). */
export const FAKE_MAIN = join(__dirname, '..', '..', '..', 'dist/apps/fake-provider/src/main.js');

/** Output kept per process for diagnostics: the tail, so a chatty gateway cannot fill memory. */
const OUTPUT_LIMIT = 512 * 1024;
/** Attempts to start when the port or the build was not there (see {@link retryable}). */
const START_ATTEMPTS = 4;

/** Every gateway process still running, killed if the test process exits without stopping it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** How to start a gateway process. */
export interface GatewayProcessOptions {
  /** The configuration in the YAML file's shape; `server.host` defaults to 127.0.0.1. */
  config: Record<string, unknown>;
  /**
   * Run on this YAML file instead, as the test wrote it (a hot-reload test edits it while the
   * process runs); `config` is then unused.
   */
  configFile?: string;
  /** Environment of the process besides PATH (e.g. `REDIS_URL`, `DATABASE_URL`); nothing else is inherited. */
  env?: Record<string, string>;
  /** A name for error messages. */
  name?: string;
  /** Longest wait for `/health/ready` (default 30 s: a loaded machine boots slowly). */
  readyTimeoutMs?: number;
  /** Entry point (default the gateway's; {@link WORKER_MAIN} for a worker). */
  main?: string;
  /** Variable that gives the process its port (default `PORT`; a worker reads `WORKER_PORT`). */
  portVariable?: string;
  /** Path answering 200 once the process is ready (default `/health/ready`). */
  readyPath?: string;
}

/** How a process ended: its exit code, or the signal that killed it. */
export interface GatewayExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A real gateway process, run from dist/ the way it is deployed (`node main.js` with
 * `AI_GATEWAY_CONFIG`, `PORT` and the URLs in the environment): the level at which
 * crashes (SIGKILL) and several instances sharing Redis can be shown. Its stdout and
 * stderr are captured for the failure messages.
 */
export class GatewayProcess {
  /** The official OpenAI client pointed at this process, without retries. */
  readonly client: OpenAI;
  private readonly chunks: string[] = [];
  private outputBytes = 0;
  private readonly exit: Promise<GatewayExit>;
  private ended?: GatewayExit;

  private constructor(
    /** The label of error messages (`A`, `B`…). */
    readonly name: string,
    /** `http://127.0.0.1:<port>` */
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {
    this.client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'gateway-test-key', maxRetries: 0 });
    live.add(child);
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.ended = { code, signal };
        resolve(this.ended);
      });
    });
    child.stdout?.on('data', (chunk: Buffer) => this.capture(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.capture(chunk));
  }

  /**
   * Writes the config to a temporary YAML file, starts `node dist/…/main.js` on a free
   * loopback port and resolves once `/health/ready` answers 200. Rejects with the
   * process output when it exits or is not ready in time.
   */
  static async start(options: GatewayProcessOptions): Promise<GatewayProcess> {
    const name = options.name ?? 'gateway';
    let failure: Error | undefined;
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const dir = await mkdtemp(join(tmpdir(), 'gateway-process-'));
      const configFile = options.configFile ?? join(dir, 'gateway.yaml');
      if (!options.configFile) {
        const server = (options.config.server ?? {}) as Record<string, unknown>;
        const config = { ...options.config, server: { host: '127.0.0.1', ...server } };
        await writeFile(configFile, stringify(config));
      }
      const port = await freePort();
      const child = spawn(process.execPath, [options.main ?? GATEWAY_MAIN], {
        env: {
          PATH: process.env.PATH ?? '',
          // Benchmarks try V8 flags on the gateway process alone (e.g. bench:adversarial).
          ...(process.env.GATEWAY_NODE_OPTIONS
            ? { NODE_OPTIONS: process.env.GATEWAY_NODE_OPTIONS }
            : {}),
          // Its own file store, gone with the process (a restart test passes its own dir).
          AI_GATEWAY_DATA_DIR: join(dir, 'data'),
          // A better-sqlite3 build for this Node, when the installed one is for another (CI's Node 24 run).
          ...(process.env.BETTER_SQLITE3_BINDING
            ? { BETTER_SQLITE3_BINDING: process.env.BETTER_SQLITE3_BINDING }
            : {}),
          ...options.env,
          AI_GATEWAY_CONFIG: configFile,
          [options.portVariable ?? 'PORT']: String(port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Benchmarks measuring the gateway's own stalls raise its priority, so the machine's
      // other processes (the client, the fake) do not preempt it inside a measured window.
      if (process.env.GATEWAY_PRIORITY && child.pid) {
        try {
          setPriority(child.pid, Number(process.env.GATEWAY_PRIORITY));
        } catch (error) {
          // A negative niceness needs root (or CAP_SYS_NICE): measure without, and say so.
          process.stderr.write(`gateway priority unchanged: ${(error as Error).message}\n`);
        }
      }
      const gateway = new GatewayProcess(name, `http://127.0.0.1:${port}`, child, dir);
      try {
        await gateway.waitReady(options.readyTimeoutMs ?? 30_000, options.readyPath);
        return gateway;
      } catch (error) {
        failure = error as Error;
        await gateway.stop();
        if (!retryable(gateway.output)) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    throw failure ?? new Error(`${name}: did not start`);
  }

  /** What the process wrote to stdout and stderr (the last 512 KiB). */
  get output(): string {
    return this.chunks.join('');
  }

  /** How the process ended, or undefined while it runs. */
  get exited(): GatewayExit | undefined {
    return this.ended;
  }

  /** Sends a signal the process handles and goes on running with (`SIGHUP`: reload the config). */
  signal(signal: NodeJS.Signals): void {
    if (!this.ended) this.child.kill(signal);
  }

  /** Sends a signal (SIGKILL: a crash, nothing runs after it) and waits for the process to end. */
  async kill(signal: NodeJS.Signals): Promise<GatewayExit> {
    if (!this.ended) this.child.kill(signal);
    return this.exit;
  }

  /**
   * Stops the process if it still runs (SIGTERM: a graceful shutdown, SIGKILL after
   * `graceMs`) and deletes its config. Safe to call more than once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.ended) {
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([this.exit, late]);
      clearTimeout(timer);
      if (!this.ended) await this.kill('SIGKILL');
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private async waitReady(timeoutMs: number, path = '/health/ready'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.ended) {
        throw new Error(
          `${this.name} exited (${describeExit(this.ended)}) before it was ready:\n${this.output}`,
        );
      }
      try {
        const res = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(1_000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.output}`);
  }

  private capture(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.chunks.push(text);
    this.outputBytes += text.length;
    while (this.outputBytes > OUTPUT_LIMIT && this.chunks.length > 1) {
      this.outputBytes -= this.chunks.shift()!.length;
    }
  }
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `read` every `everyMs` until `done` holds or `timeoutMs` passes; returns the last value read. */
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

/**
 * A start worth another try: another process took the port between choosing and
 * listening, or (with builds before tools/build.mjs swapped folders instead of deleting
 * them) dist/ was being rebuilt by another jest run — the stack then points into dist/. A bad config exits with its message only.
 */
function retryable(output: string): boolean {
  return output.includes('EADDRINUSE') || output.includes('/dist/');
}

function describeExit(exit: GatewayExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}
