import { GatewayConfigService, GatewayMetrics, loadGatewayConfig } from '@ai-gateway/core';
import { tasksSection } from '../config/tasks.section';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResumeTaskType } from '../resume-task-type.enum';
import { WebhookSender } from './task-webhook';
import type { WebhookDelivery } from './task-webhook';
import { TaskQueueMetrics } from './task-queue.metrics';
import { WebhookDeliveries } from './webhook-deliveries';

/**
 * The webhook policy both queue drivers follow, against a real receiver on loopback:
 * what counts as delivered, when another attempt is due, when to give up, and the
 * backoff and job options a BullMQ producer is given.
 */
describe(WebhookDeliveries.name, () => {
  let server: Server;
  let url: string;
  let statuses: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(statuses.shift() ?? 200).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  function deliveriesWith(allowedHosts: string[]): {
    deliveries: WebhookDeliveries;
    counted: () => Promise<Record<string, number>>;
  } {
    const config = new GatewayConfigService(
      loadGatewayConfig({
        config: {
          tasks: {
            queue: { keepCompletedSeconds: 600, keepFailedSeconds: 900 },
            webhooks: {
              secret: 'whsec-0123456789abcdef',
              attempts: 3,
              backoffMs: 250,
              allowedHosts,
            },
          },
        },
        env: {},
        sections: [tasksSection],
      }),
    );
    const gatewayMetrics = new GatewayMetrics();
    const metrics = new TaskQueueMetrics(gatewayMetrics);
    const counted = async () => {
      const values = (await metrics.webhooks.get()).values;
      return Object.fromEntries(values.map((v) => [String(v.labels.outcome), v.value]));
    };
    return {
      deliveries: new WebhookDeliveries(new WebhookSender(config), metrics, config),
      counted,
    };
  }

  const delivery = (): WebhookDelivery => ({
    id: 'job_1:completed',
    url,
    payload: {
      id: 'job_1',
      object: 'task.job',
      type: ResumeTaskType.PARSE,
      state: 'completed',
      progress: 100,
      attempts: 1,
      maxAttempts: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  });

  it('counts a 2xx as delivered', async () => {
    const { deliveries, counted } = deliveriesWith(['127.0.0.1']);
    await expect(deliveries.attempt(delivery(), 1)).resolves.toEqual({ delivered: true });
    expect(await counted()).toEqual({ delivered: 1 });
  });

  it('asks for another attempt after a failed one, and gives up after the last', async () => {
    const { deliveries, counted } = deliveriesWith(['127.0.0.1']);
    statuses = [503, 503];
    await expect(deliveries.attempt(delivery(), 1)).resolves.toMatchObject({
      delivered: false,
      final: false,
      error: { code: 'server_error' },
    });
    await expect(deliveries.attempt(delivery(), 3)).resolves.toMatchObject({
      delivered: false,
      final: true,
    });
    expect(await counted()).toEqual({ retried: 1, failed: 1 });
  });

  it('gives up at once on a destination the address policy refuses', async () => {
    const { deliveries, counted } = deliveriesWith([]);
    await expect(deliveries.attempt(delivery(), 1)).resolves.toMatchObject({
      delivered: false,
      final: true,
      error: { code: 'invalid_request' },
    });
    expect(await counted()).toEqual({ failed: 1 });
  });

  it('backs off exponentially and gives BullMQ the same policy as job options', () => {
    const { deliveries } = deliveriesWith([]);
    expect([1, 2, 3].map((attempt) => deliveries.retryDelayMs(attempt))).toEqual([250, 500, 1_000]);
    expect(deliveries.jobOptions()).toEqual({
      attempts: 3,
      backoff: { type: 'exponential', delay: 250 },
      removeOnComplete: { age: 600 },
      removeOnFail: { age: 900 },
    });
  });
});
