import type { Server, Socket } from 'node:net';
import { createConnection, createServer } from 'node:net';

/**
 * A TCP proxy in front of a real server (PostgreSQL here) that a test can stop and
 * start: `stop()` cuts every open connection and refuses new ones, as a database that
 * went away; `start()` listens again on the same port. Subclasses change how bytes
 * flow through `forward` (see `StallingProxy`).
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  /** Listens (on a free port the first time, the same port after). */
  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.targetPort, this.targetHost);
      this.track(client);
      this.track(upstream);
      this.forward(client, upstream);
      const cut = (): void => {
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

  /** How bytes flow between a client and its upstream connection: both ways, as they come. */
  protected forward(client: Socket, upstream: Socket): void {
    client.pipe(upstream).pipe(client);
  }

  /** Stops listening and cuts every connection through the proxy. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A PostgreSQL URL through the proxy. */
  url(database = 'test', user = 'postgres'): string {
    return `postgres://${user}@127.0.0.1:${this.port}/${database}`;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
