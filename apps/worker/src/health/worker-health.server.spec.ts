import { GatewayMetrics } from '@ai-gateway/core';
import type { WorkerReadiness } from './worker-health.server';
import { WorkerHealthServer } from './worker-health.server';

describe(WorkerHealthServer.name, () => {
  let server: WorkerHealthServer;
  let readiness: WorkerReadiness;

  beforeEach(async () => {
    readiness = { ready: true };
    server = await WorkerHealthServer.start({
      port: 0,
      host: '127.0.0.1',
      readiness: () => readiness,
      metrics: new GatewayMetrics(),
    });
  });
  afterEach(() => server.close());

  it('answers liveness', async () => {
    const response = await fetch(`${server.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers readiness, 503 with the reason once not ready', async () => {
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    readiness = { ready: false, reason: 'shutting down' };
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'error', reason: 'shutting down' });
  });

  it('serves the gateway metrics in the Prometheus text format', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('# TYPE gateway_requests_total counter');
  });

  it('404s unknown paths and 405s other methods', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const post = await fetch(`${server.url}/health/live`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
