import { Inject, Injectable, Optional } from '@nestjs/common';
import { GatewayConfigService, GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { tasksConfigOf } from '../config/tasks.section';
import { createHmac } from 'node:crypto';
import type { TaskJobView } from './task-job.types';
import type { WebhookNetworkPolicy } from './webhook-address';
import { WebhookAddressPolicy } from './webhook-address';
import type { HostLookup } from './webhook-request';
import { postToTarget, resolveWebhookTarget, systemLookup } from './webhook-request';

/** Optional provider of the host resolver webhooks use (tests answer names themselves). */
export const WEBHOOK_HOST_LOOKUP = Symbol('WEBHOOK_HOST_LOOKUP');

/** `tasks.webhooks` as far as checks care: the signing secret and where hooks may go. */
export type WebhookSettings = { secret?: string } & WebhookNetworkPolicy;

const policies = new WeakMap<WebhookSettings, WebhookAddressPolicy>();

/** The compiled address policy of a `tasks.webhooks` section (once per configuration). */
export function webhookPolicyOf(settings: WebhookSettings): WebhookAddressPolicy {
  let policy = policies.get(settings);
  if (!policy) {
    policy = new WebhookAddressPolicy(settings);
    policies.set(settings, policy);
  }
  return policy;
}

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
 * http(s) only, no credentials in it, only when a signing secret is configured, and not
 * to an address literal or name of the gateway's own networks (loopback, private,
 * link-local, metadata…) unless `tasks.webhooks` allows it. Names are resolved and
 * checked again at send time (`WebhookSender`).
 */
export function checkWebhookUrl(value: unknown, settings: WebhookSettings): string {
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
  if (settings.secret === undefined)
    fail('cannot be used: this gateway has no tasks.webhooks.secret to sign with');
  const refused = webhookPolicyOf(settings).refusalOfHost(url.hostname);
  if (refused) fail(`is not allowed: ${refused} (tasks.webhooks.allowedHosts opens it)`);
  return url.toString();
}

/**
 * Sends one signed webhook to the address its host resolved to, once that address passed
 * the policy. Throws on anything but a 2xx so the caller retries; a refused destination
 * throws `INVALID_REQUEST` (not retryable: the next try would be refused as well).
 */
@Injectable()
export class WebhookSender {
  private readonly lookup: HostLookup;

  constructor(
    private readonly config: GatewayConfigService,
    @Optional() @Inject(WEBHOOK_HOST_LOOKUP) lookup?: HostLookup,
  ) {
    this.lookup = lookup ?? systemLookup;
  }

  async send(delivery: WebhookDelivery, now = Date.now()): Promise<void> {
    const settings = tasksConfigOf(this.config.current).webhooks;
    if (!settings.secret) {
      throw new GatewayError(GatewayErrorCode.INVALID_CONFIG, 'tasks.webhooks.secret is not set');
    }
    const body = JSON.stringify(delivery.payload);
    const signal = AbortSignal.timeout(settings.timeoutMs);
    let status: number;
    try {
      const target = await resolveWebhookTarget(
        delivery.url,
        webhookPolicyOf(settings),
        this.lookup,
        signal,
      );
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'ai-gateway-webhooks',
        'x-gateway-delivery': delivery.id,
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(settings.secret, Math.floor(now / 1_000), body),
      };
      status = await postToTarget(target, headers, body, signal);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw new GatewayError(
        GatewayErrorCode.CONNECTION,
        `webhook ${delivery.id} not delivered: ${error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.name) : 'error'}`,
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
