import { GatewayConfigService, GatewayErrorCode, loadGatewayConfig } from '@ai-gateway/core';
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResumeTaskType } from '../resume-task-type.enum';
import type { TaskJobView } from './task-job.types';
import {
  WEBHOOK_SIGNATURE_HEADER,
  WebhookSender,
  checkWebhookUrl,
  signWebhook,
} from './task-webhook';

const SECRET = 'whsec-0123456789abcdef';

const PAYLOAD: TaskJobView = {
  id: 'job_0123456789abcdef0123456789abcdef',
  object: 'task.job',
  type: ResumeTaskType.PARSE,
  state: 'completed',
  progress: 100,
  attempts: 1,
  maxAttempts: 4,
  createdAt: '2026-11-22T00:00:00.000Z',
};

describe(WebhookSender.name, () => {
  let server: Server;
  let url: string;
  let status = 200;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    received.length = 0;
    status = 200;
  });

  const sender = new WebhookSender(
    new GatewayConfigService(
      loadGatewayConfig({
        config: { tasks: { webhooks: { secret: SECRET, timeoutMs: 2_000 } } },
        env: {},
      }),
    ),
  );

  it('posts the job with a signature over the timestamp and the body', async () => {
    await sender.send({ id: `${PAYLOAD.id}:completed`, url, payload: PAYLOAD }, 1_763_800_000_000);
    expect(received).toHaveLength(1);
    const [{ headers, body }] = received;
    expect(JSON.parse(body)).toEqual(PAYLOAD);
    expect(headers['x-gateway-delivery']).toBe(`${PAYLOAD.id}:completed`);
    const expected = createHmac('sha256', SECRET).update(`1763800000.${body}`).digest('hex');
    expect(headers[WEBHOOK_SIGNATURE_HEADER]).toBe(`t=1763800000,v1=${expected}`);
  });

  it('fails (so the delivery is retried) on a non-2xx answer', async () => {
    status = 503;
    await expect(sender.send({ id: 'd', url, payload: PAYLOAD })).rejects.toMatchObject({
      code: GatewayErrorCode.SERVER_ERROR,
    });
  });

  it('fails on a receiver that is not there', async () => {
    await expect(
      sender.send({ id: 'd', url: 'http://127.0.0.1:9/hook', payload: PAYLOAD }),
    ).rejects.toMatchObject({ code: GatewayErrorCode.CONNECTION });
  });
});

describe(signWebhook.name, () => {
  it('changes with the body and the timestamp', () => {
    const base = signWebhook(SECRET, 1, '{}');
    expect(signWebhook(SECRET, 2, '{}')).not.toBe(base);
    expect(signWebhook(SECRET, 1, '{"a":1}')).not.toBe(base);
    expect(signWebhook('another-secret-value', 1, '{}')).not.toBe(base);
  });
});

describe(checkWebhookUrl.name, () => {
  it('accepts http and https URLs when a secret is configured', () => {
    expect(checkWebhookUrl('https://hooks.example.com/a?b=1', true)).toBe(
      'https://hooks.example.com/a?b=1',
    );
  });

  it.each([
    ['ftp://example.com/x', 'must be http or https'],
    ['not a url', 'is not a valid URL'],
    ['https://user:pw@example.com/', 'must not carry credentials'],
    [42, 'must be a URL'],
  ])('refuses %j', (value, why) => {
    expect(() => checkWebhookUrl(value, true)).toThrow(why);
  });

  it('refuses webhooks when the gateway has no secret to sign them with', () => {
    expect(() => checkWebhookUrl('https://example.com/', false)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param: 'webhook_url' }),
    );
  });
});
