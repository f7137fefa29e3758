import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { Worker } from 'node:worker_threads';

/** A loopback port where connections never open: every SYN past the full queue is dropped. */
export interface UnacceptingServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/**
 * Listens with a backlog of 1 on a worker thread that then blocks, so nothing ever calls
 * accept(): once the kernel's accept queue holds its two connections, Linux drops further
 * SYNs (`tcp_abort_on_overflow` = 0, the default) and a client's connect just waits. A
 * thread rather than the test's own loop, because Node accepts every connection itself.
 */
const LISTENER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(new Int32Array(workerData), 0, 0);
  server.close();
});
`;

/** How long a filler may take to connect before the queue counts as full. */
const PENDING_AFTER_MS = 200;

export async function startUnacceptingServer(): Promise<UnacceptingServer> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(LISTENER, { eval: true, workerData: gate.buffer });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    await worker.terminate();
  };
  // Fill the accept queue until a connect stays pending: from then on SYNs are dropped.
  for (let i = 0; i < 8; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    const opened = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PENDING_AFTER_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!opened) return { url: `http://127.0.0.1:${port}`, close };
  }
  await close();
  throw new Error('The accept queue never filled: connections to it would not hang');
}
