import { Injectable } from '@nestjs/common';
import { GatewayConfigService, GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { createHmac } from 'node:crypto';
import type { TaskJobView } from './task-job.types';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-gateway-signature';

/** A completion callback: where, what, and its id (the same for every retry). */
export interface WebhookDelivery {
  /** `<job id>:<state>`: receivers deduplicate retries with it. */
  id: string;
  url: string;
  payload: TaskJobView;
}

/**
 * The signature of a webhook body, Stripe-style: the timestamp is signed with the body so
 * a captured request cannot be replayed later, and receivers compare in constant time.
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/**
 * Checks a webhook URL at enqueue (a bad one is the caller's 400, never a failed job):
 * http(s) only, no credentials in it, and only when a signing secret is configured.
 */
export function checkWebhookUrl(value: unknown, secretConfigured: boolean): string {
  const fail = (why: string): never => {
    throw GatewayError.invalidRequest(`Invalid request: 'webhook_url' ${why}`, 'webhook_url');
  };
  if (typeof value !== 'string' || value.length === 0 || value.length > 2_048) {
    return fail('must be a URL of at most 2048 characters');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('must be http or https');
  if (url.username || url.password) fail('must not carry credentials');
  if (!secretConfigured)
    fail('cannot be used: this gateway has no tasks.webhooks.secret to sign with');
  return url.toString();
}

/** Sends one signed webhook; throws on anything but a 2xx so the caller retries. */
@Injectable()
export class WebhookSender {
  constructor(private readonly config: GatewayConfigService) {}

  async send(delivery: WebhookDelivery, now = Date.now()): Promise<void> {
    const settings = this.config.current.tasks.webhooks;
    if (!settings.secret) {
      throw new GatewayError(GatewayErrorCode.INVALID_CONFIG, 'tasks.webhooks.secret is not set');
    }
    const body = JSON.stringify(delivery.payload);
    let status: number;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ai-gateway-webhooks',
          'x-gateway-delivery': delivery.id,
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(settings.secret, Math.floor(now / 1_000), body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      status = response.status;
      // The body is not read: drain it so the connection can be reused.
      await response.body?.cancel();
    } catch (error) {
      throw new GatewayError(
        GatewayErrorCode.CONNECTION,
        `webhook ${delivery.id} not delivered: ${error instanceof Error ? error.name : 'error'}`,
      );
    }
    if (status < 200 || status >= 300) {
      throw new GatewayError(
        GatewayErrorCode.SERVER_ERROR,
        `webhook ${delivery.id} not delivered: the receiver answered ${status}`,
      );
    }
  }
}
