import type { Socket } from 'node:net';
import { TcpProxy } from '../testing/tcp-proxy';

/**
 * A TCP proxy in front of Redis that a test can break in the two ways Redis fails:
 * `stop()` cuts every connection and refuses new ones (Redis down: calls fail at once),
 * `stall()` holds what clients send without forwarding it (Redis hung: calls wait for
 * their timeout). `resume()` forwards what was held, in order, so the client's replies
 * stay matched to its commands; `start()` listens again on the same port.
 */
export class StallingProxy extends TcpProxy {
  private readonly pipes = new Set<{ upstream: Socket; held: Buffer[] }>();
  private stalled = false;

  constructor(targetPort: number) {
    super(targetPort);
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

  /** A Redis URL through the proxy. */
  override url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Replies flow back as they come; requests wait while the proxy is stalled. */
  protected override forward(client: Socket, upstream: Socket): void {
    const pipe = { upstream, held: [] as Buffer[] };
    this.pipes.add(pipe);
    client.on('data', (chunk: Buffer) => {
      if (this.stalled) pipe.held.push(chunk);
      else upstream.write(chunk);
    });
    upstream.pipe(client);
    const drop = (): void => {
      this.pipes.delete(pipe);
    };
    client.on('close', drop);
    upstream.on('close', drop);
  }
}
