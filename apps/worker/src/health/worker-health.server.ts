import type { GatewayMetrics } from '@ai-gateway/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Whether the worker should be given work, and why not. */
export interface WorkerReadiness {
  ready: boolean;
  reason?: string;
}

export interface WorkerHealthOptions {
  port: number;
  host: string;
  /** Asked on every `/health/ready` (e.g. a bounded Redis ping); must not throw. */
  readiness: () => WorkerReadiness | Promise<WorkerReadiness>;
  metrics: Pick<GatewayMetrics, 'render' | 'contentType'>;
}

/**
 * The worker's only HTTP surface, on plain `node:http` (a worker serves no API, so it
 * carries no web framework): `GET /health/live`, `GET /health/ready` (503 with a reason
 * while not ready, e.g. shutting down) and `GET /metrics` for Prometheus.
 */
export class WorkerHealthServer {
  private constructor(
    private readonly server: Server,
    private readonly options: WorkerHealthOptions,
  ) {}

  static async start(options: WorkerHealthOptions): Promise<WorkerHealthServer> {
    const server = createServer();
    const health = new WorkerHealthServer(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      health.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { status: 'error', reason: String(error) });
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return health;
  }

  /** Base URL, e.g. `http://0.0.0.0:8081`. */
  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  /** Stops listening and drops idle keep-alive connections (probes reconnect each time). */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://worker').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { status: 'error', reason: 'method not allowed' }, { allow: 'GET, HEAD' });
      return;
    }
    switch (path) {
      case '/health/live':
        send(res, 200, { status: 'ok' });
        return;
      case '/health/ready': {
        const { ready, reason } = await this.options.readiness();
        send(res, ready ? 200 : 503, ready ? { status: 'ok' } : { status: 'error', reason });
        return;
      }
      case '/metrics': {
        const text = await this.options.metrics.render();
        res.writeHead(200, { 'content-type': this.options.metrics.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
        return;
      }
      default:
        send(res, 404, { status: 'error', reason: `no route ${path}` });
    }
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : payload);
}
