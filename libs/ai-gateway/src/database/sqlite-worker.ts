import { Worker } from 'node:worker_threads';
import { sqliteWorkerMain } from './sqlite-worker.main';

/** Where the database thread finds its file and its driver. */
export interface SqliteWorkerOptions {
  /** The SQLite file; it must exist (the main connection creates and migrates it first). */
  file: string;
  /** `require.resolve('better-sqlite3')` as the main thread sees it. */
  driverPath: string;
  /** A better-sqlite3 addon built for this Node ABI, when not the installed one. */
  nativeBinding?: string;
  /** How long a statement waits for another process's write lock. */
  busyTimeoutMs: number;
}

/** An error the database thread answered with, carrying SQLite's code (`SQLITE_BUSY`, …). */
export class SqliteWorkerError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SqliteWorkerError';
  }
}

interface Pending {
  resolve(value: WorkerAnswer): void;
  reject(error: Error): void;
}

interface WorkerAnswer {
  id: number;
  rows?: unknown[];
  changes?: number;
  error?: string;
  code?: string;
}

/** The thread's source: the function's own compiled text, called. */
const WORKER_SOURCE = `(${sqliteWorkerMain.toString()})()`;

/**
 * The main thread's side of the file store's database thread: sends statements, awaits
 * their answers in order. Only plain values cross (SQL text, primitives, rows). A thread
 * that dies fails what it had pending and is started again by the next call. It keeps the
 * process alive only while a statement is in flight.
 */
export class SqliteWorker {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: SqliteWorkerOptions) {}

  /** Runs `sql` once per row of `rows` in one transaction; resolves with the rows changed. */
  async batch(sql: string, rows: unknown[][]): Promise<number> {
    return (await this.send({ op: 'batch', sql, rows })).changes ?? 0;
  }

  /** The rows of a query. */
  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return ((await this.send({ op: 'all', sql, params })).rows ?? []) as T[];
  }

  /** Runs one statement; resolves with the rows changed. */
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.send({ op: 'run', sql, params })).changes ?? 0;
  }

  /** Checkpoints and closes the thread's connection, then ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    const worker = this.worker;
    if (worker) {
      await this.send({ op: 'close' }).catch(() => undefined);
      await worker.terminate();
    }
    this.closed = true;
    this.worker = undefined;
  }

  private send(message: Record<string, unknown>): Promise<WorkerAnswer> {
    if (this.closed) return Promise.reject(new Error('the usage store is closed'));
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<WorkerAnswer>((resolve, reject) => {
      // Held while it has work: a write in flight keeps the process alive until answered.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const { file, driverPath, nativeBinding, busyTimeoutMs } = this.options;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driverPath, nativeBinding, busyTimeoutMs },
    });
    worker.unref();
    worker.on('message', (answer: WorkerAnswer) => {
      const pending = this.pending.get(answer.id);
      if (!pending) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      if (answer.error === undefined) pending.resolve(answer);
      else pending.reject(new SqliteWorkerError(answer.error, answer.code));
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`usage store thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}
