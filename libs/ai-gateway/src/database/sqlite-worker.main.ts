import type BetterSqlite3 from 'better-sqlite3';
import type * as WorkerThreads from 'node:worker_threads';

/**
 * The body of the file store's database thread. It runs in a `worker_threads` worker made
 * from this function's source (`new Worker(source, { eval: true })`), so it must stay
 * self-contained: no imports, no helpers from outside, nothing async — it is compiled once
 * with the library and started as text (the type imports above are erased).
 *
 * It owns its own better-sqlite3 connection to the file (WAL), so the big statements of
 * the file store — every usage row, the analytics aggregates, the retention deletes — never
 * run on the gateway's event loop. Messages:
 *  - `{ id, op: 'batch', sql, rows }`: one prepared statement run once per row, all rows in
 *    one transaction → `{ id, changes }`
 *  - `{ id, op: 'all', sql, params }` → `{ id, rows }`
 *  - `{ id, op: 'run', sql, params }` → `{ id, changes }`
 *  - `{ id, op: 'close' }`: checkpoints the WAL, closes the connection → `{ id }`
 * A failed statement answers `{ id, error, code }`; the thread keeps serving.
 */
export function sqliteWorkerMain(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const threads = require('node:worker_threads') as typeof WorkerThreads;
  const port = threads.parentPort;
  const data = threads.workerData as {
    file: string;
    driverPath: string;
    nativeBinding?: string;
    busyTimeoutMs: number;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require(data.driverPath) as typeof BetterSqlite3;
  const db = new Database(data.file, {
    fileMustExist: true,
    timeout: data.busyTimeoutMs,
    ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}),
  });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const statements = new Map<string, BetterSqlite3.Statement>();
  const statement = (sql: string): BetterSqlite3.Statement => {
    let prepared = statements.get(sql);
    if (!prepared) {
      if (statements.size >= 64) statements.clear();
      prepared = db.prepare(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  };
  const batch = db.transaction((sql: string, rows: unknown[][]): number => {
    const insert = statement(sql);
    let changes = 0;
    for (const row of rows) changes += insert.run(...row).changes;
    return changes;
  });
  port?.on(
    'message',
    (message: { id: number; op: string; sql?: string; params?: unknown[]; rows?: unknown[][] }) => {
      const { id } = message;
      try {
        if (message.op === 'batch') {
          port.postMessage({ id, changes: batch(message.sql ?? '', message.rows ?? []) });
        } else if (message.op === 'all') {
          port.postMessage({
            id,
            rows: statement(message.sql ?? '').all(...(message.params ?? [])),
          });
        } else if (message.op === 'run') {
          const result = statement(message.sql ?? '').run(...(message.params ?? []));
          port.postMessage({ id, changes: result.changes });
        } else if (message.op === 'close') {
          statements.clear();
          db.pragma('wal_checkpoint(TRUNCATE)');
          db.close();
          port.postMessage({ id });
          port.close();
        } else {
          port.postMessage({ id, error: `unknown operation ${String(message.op)}` });
        }
      } catch (error) {
        const failure = error as { message?: string; code?: string };
        port.postMessage({ id, error: String(failure.message ?? error), code: failure.code });
      }
    },
  );
}
