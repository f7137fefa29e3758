import type { Server, Socket } from 'node:net';
import { createConnection, createServer } from 'node:net';

/**
 * A TCP proxy in front of Redis that a test can break in the two ways Redis fails:
 * `stop()` cuts every connection and refuses new ones (Redis down: calls fail at once),
 * `stall()` holds what clients send without forwarding it (Redis hung: calls wait for
 * their timeout). `resume()` forwards what was held, in order, so the client's replies
 * stay matched to its commands; `start()` listens again on the same port.
 */
export class StallingProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pipes = new Set<{ upstream: Socket; held: Buffer[] }>();
  private stalled = false;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.targetPort, '127.0.0.1');
      const pipe = { upstream, held: [] as Buffer[] };
      this.pipes.add(pipe);
      this.track(client);
      this.track(upstream);
      client.on('data', (chunk: Buffer) => {
        if (this.stalled) pipe.held.push(chunk);
        else upstream.write(chunk);
      });
      upstream.pipe(client);
      const cut = (): void => {
        this.pipes.delete(pipe);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', cut).on('close', cut);
      upstream.on('error', cut).on('close', cut);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject).listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
  }

  /** Stops listening and cuts every connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Holds every byte clients send from now on: Redis looks hung. */
  stall(): void {
    this.stalled = true;
  }

  /** Forwards what was held and everything after it. */
  resume(): void {
    this.stalled = false;
    for (const pipe of this.pipes) {
      for (const chunk of pipe.held.splice(0)) pipe.upstream.write(chunk);
    }
  }

  url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
