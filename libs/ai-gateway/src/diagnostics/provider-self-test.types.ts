import type { ProviderKind } from '../config/gateway-config.schema';
import type { GatewayErrorCode } from '../errors/gateway-error-code';

/** `ok`: the model answered; `error`: the call failed; `skipped`: nothing was sent. */
export type SelfTestStatus = 'ok' | 'error' | 'skipped';

/** How one configured model (or a provider with none listed) did in the self-test. */
export interface SelfTestResult {
  /** Provider (config name). */
  provider: string;
  kind: ProviderKind;
  /** The provider's model id; null when the provider was skipped as a whole. */
  model: string | null;
  status: SelfTestStatus;
  /** Wall time of the call, retries included; null when skipped. */
  latencyMs: number | null;
  /** Tokens the provider reported; null when it failed, was skipped or reported none. */
  usage: { prompt: number; completion: number } | null;
  /** What the probe cost in USD; null when unpriced, failed or skipped (unknown, not zero). */
  costUsd: number | null;
  /** True for a provider whose answers are not a real model's (the built-in fake). */
  fake: boolean;
  /**
   * Whether the reply was exactly the probe's JSON object: a reachable model that answered
   * otherwise is still `ok`, but will not do well in JSON mode (resume tasks use it).
   */
  validJson?: boolean;
  /** The call's request id, to find its usage row (task `self-test`). */
  requestId?: string;
  /** Why the call failed; the message never carries a provider or gateway key. */
  error?: { code: GatewayErrorCode; message: string };
  /** Why nothing was sent. */
  reason?: string;
}

/** The answer of `GET /v1/providers/test`. */
export interface SelfTestReport {
  object: 'list';
  data: SelfTestResult[];
  summary: Record<SelfTestStatus, number>;
}
