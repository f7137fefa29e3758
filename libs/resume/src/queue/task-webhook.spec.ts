import { GatewayConfigService, GatewayErrorCode, loadGatewayConfig } from '@ai-gateway/core';
import { tasksSection } from '../config/tasks.section';
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResumeTaskType } from '../resume-task-type.enum';
import type { HostLookup } from './webhook-request';
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
  let redirectTo: string | undefined;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(status, redirectTo ? { location: redirectTo } : {}).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    received.length = 0;
    status = 200;
    redirectTo = undefined;
  });

  const configWith = (webhooks: Record<string, unknown>) =>
    new GatewayConfigService(
      loadGatewayConfig({
        config: { tasks: { webhooks: { secret: SECRET, timeoutMs: 2_000, ...webhooks } } },
        env: {},
        sections: [tasksSection],
      }),
    );
  // The test receiver is on loopback: the allow-list opens exactly that address.
  const sender = new WebhookSender(configWith({ allowedHosts: ['127.0.0.1'] }));
  const closedSender = (lookup?: HostLookup) => new WebhookSender(configWith({}), lookup);

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

  it('never connects to a loopback receiver that is not allow-listed (issue 13, item 9)', async () => {
    await expect(closedSender().send({ id: 'd', url, payload: PAYLOAD })).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      retryable: false,
    });
    expect(received).toHaveLength(0);
  });

  it('checks the address a name resolves to, and refuses an internal one without connecting', async () => {
    const lookups: string[] = [];
    const rebinding: HostLookup = (host) => {
      lookups.push(host);
      return Promise.resolve([{ address: '93.184.216.34' }, { address: '127.0.0.1' }]);
    };
    const port = new URL(url).port;
    await expect(
      closedSender(rebinding).send({
        id: 'd',
        url: `http://hooks.example.test:${port}/hook`,
        payload: PAYLOAD,
      }),
    ).rejects.toThrow(/resolves to 127\.0\.0\.1 is a loopback address/);
    expect(lookups).toEqual(['hooks.example.test']);
    expect(received).toHaveLength(0);
  });

  it('connects to exactly the address it checked, keeping the name as the Host header', async () => {
    let lookups = 0;
    // A rebinding resolver: the first answer passes the check, any later one is internal.
    const rebinding: HostLookup = () =>
      Promise.resolve([{ address: lookups++ === 0 ? '127.0.0.1' : '10.9.9.9' }]);
    const port = new URL(url).port;
    const pinned = new WebhookSender(configWith({ allowedHosts: ['127.0.0.1'] }), rebinding);
    await pinned.send({ id: 'd', url: `http://hooks.example.test:${port}/hook`, payload: PAYLOAD });
    expect(lookups).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0].headers.host).toBe(`hooks.example.test:${port}`);
  });

  it('does not follow a redirect to another address', async () => {
    const other = createServer((_req, res) => res.writeHead(200).end());
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    let hits = 0;
    other.on('request', () => hits++);
    status = 307;
    redirectTo = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    try {
      await expect(sender.send({ id: 'd', url, payload: PAYLOAD })).rejects.toMatchObject({
        code: GatewayErrorCode.SERVER_ERROR,
      });
      expect(received).toHaveLength(1);
      expect(hits).toBe(0);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
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
  const open = { secret: SECRET, allowedHosts: [], allowPrivateNetworks: false };

  it('accepts http and https URLs when a secret is configured', () => {
    expect(checkWebhookUrl('https://hooks.example.com/a?b=1', open)).toBe(
      'https://hooks.example.com/a?b=1',
    );
  });

  // Issue 13, item 9: each of these reached the gateway's own machine or networks.
  it.each([
    'http://127.0.0.1/hook',
    'http://localhost/hook',
    'http://[::1]/hook',
    'http://0x7f000001/hook',
    'http://2130706433/hook',
    'http://127.1/hook',
    'http://0.0.0.0/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://10.0.0.1/hook',
    'http://192.168.1.1/hook',
    'http://127.0.0.1:6379/',
    'http://[::ffff:127.0.0.1]:6379/',
  ])('refuses %s with a 400 on webhook_url', (value) => {
    expect(() => checkWebhookUrl(value, open)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param: 'webhook_url' }),
    );
  });

  it('accepts an internal destination the allow-list names', () => {
    const allowed = { ...open, allowedHosts: ['127.0.0.1', 'hooks.internal'] };
    expect(checkWebhookUrl('http://127.0.0.1:8080/h', allowed)).toBe('http://127.0.0.1:8080/h');
    expect(checkWebhookUrl('http://hooks.internal/h', allowed)).toBe('http://hooks.internal/h');
  });

  it.each([
    ['ftp://example.com/x', 'must be http or https'],
    ['not a url', 'is not a valid URL'],
    ['https://user:pw@example.com/', 'must not carry credentials'],
    [42, 'must be a URL'],
  ])('refuses %j', (value, why) => {
    expect(() => checkWebhookUrl(value, open)).toThrow(why);
  });

  it('refuses webhooks when the gateway has no secret to sign them with', () => {
    expect(() => checkWebhookUrl('https://example.com/', { ...open, secret: undefined })).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param: 'webhook_url' }),
    );
  });
});
