import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ProviderConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError, isGatewayError } from '../errors/gateway.error';
import { configSecrets } from '../errors/known-secrets';
import { redactSecrets } from '../errors/secret-redaction';
import { ChatPipeline } from '../pipeline/chat-pipeline.service';
import type { Clock } from '../shared/clock';
import { CLOCK } from '../shared/clock';
import { buildProbeRequest, isProbeAnswer } from './provider-self-test.prompt';
import type { SelfTestInput, SelfTestQuery } from './provider-self-test.query';
import { parseSelfTestQuery } from './provider-self-test.query';
import type { SelfTestReport, SelfTestResult } from './provider-self-test.types';

/** Longest error message in a report: the gist is enough, the report lists many models. */
const SELF_TEST_MESSAGE_LENGTH = 500;

/** Probes in flight at once: enough to finish quickly, few enough not to trip provider limits. */
export const SELF_TEST_CONCURRENCY = 4;

/** What one probe needs: a model of an enabled provider, or a reason to skip. */
type Probe =
  { provider: ProviderConfig; model: string } | { provider: ProviderConfig; skip: string };

/**
 * The gateway's self-test (`GET /v1/providers/test`): a tiny prompt to every configured
 * model of every enabled provider, through the real request path (the chat pipeline,
 * so keys, breakers, pricing and the usage log all take part) with the explicit
 * `provider/model`, no fallback and no cache. A failing model is a result, not an error:
 * only a bad query or cancellation rejects.
 */
@Injectable()
export class ProviderSelfTest {
  constructor(
    private readonly config: GatewayConfigService,
    private readonly pipeline: ChatPipeline,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Runs the self-test: `run({ provider: 'openai', timeoutMs: 5000 })`.
   *
   * @param signal cancels the calls still running (the caller went away).
   * @throws GatewayError `invalid_request` for a bad query or an unknown provider;
   *   `cancelled` when `signal` fires.
   */
  async run(
    input: SelfTestInput | Readonly<Record<string, unknown>> = {},
    signal?: AbortSignal,
  ): Promise<SelfTestReport> {
    const query = parseSelfTestQuery(input);
    const probes = this.plan(query.provider);
    const data = await mapLimited(probes, SELF_TEST_CONCURRENCY, (probe) =>
      'skip' in probe ? skipped(probe.provider, probe.skip) : this.probe(probe, query, signal),
    );
    const summary = { ok: 0, error: 0, skipped: 0 };
    for (const result of data) summary[result.status]++;
    return { object: 'list', data, summary };
  }

  /** Every model of every enabled provider, in config order; or one named provider's. */
  private plan(name: string | undefined): Probe[] {
    const providers = Object.values(this.config.current.providers);
    if (name !== undefined && !providers.some((p) => p.name === name)) {
      throw GatewayError.invalidRequest(
        `Unknown provider '${name}': use one of ${providers.map((p) => p.name).join(', ')}`,
        'provider',
      );
    }
    const probes: Probe[] = [];
    for (const provider of providers) {
      if (name !== undefined ? provider.name !== name : !provider.enabled) continue;
      if (!provider.enabled) probes.push({ provider, skip: 'provider disabled in the config' });
      else if (provider.models.length === 0) {
        probes.push({
          provider,
          skip: `no models configured: list them in providers.${provider.name}.models to test them`,
        });
      } else for (const model of provider.models) probes.push({ provider, model });
    }
    return probes;
  }

  private async probe(
    { provider, model }: { provider: ProviderConfig; model: string },
    query: SelfTestQuery,
    signal: AbortSignal | undefined,
  ): Promise<SelfTestResult> {
    const requestId = randomUUID();
    const started = this.clock.now();
    try {
      const { response, meta } = await this.pipeline.chat(
        buildProbeRequest(`${provider.name}/${model}`),
        {
          requestId,
          task: 'self-test',
          cache: { mode: 'skip' },
          allowFallback: false,
          timeouts: { totalMs: query.timeoutMs },
          signal,
        },
      );
      return {
        provider: provider.name,
        kind: provider.kind,
        model,
        status: 'ok',
        latencyMs: meta.latencyMs,
        usage: meta.usage ? { prompt: meta.usage.prompt, completion: meta.usage.completion } : null,
        costUsd: meta.costMicroUsd === undefined ? null : meta.costMicroUsd / 1_000_000,
        fake: meta.fake,
        validJson: isProbeAnswer(response),
        requestId,
      };
    } catch (error) {
      if (!isGatewayError(error) || error.code === GatewayErrorCode.CANCELLED) throw error;
      return {
        provider: provider.name,
        kind: provider.kind,
        model,
        status: 'error',
        latencyMs: this.clock.now() - started,
        usage: null,
        costUsd: null,
        fake: provider.fake,
        requestId,
        error: {
          code: error.code,
          message: redactSecrets(error.message, configSecrets(this.config.current), {
            maxLength: SELF_TEST_MESSAGE_LENGTH,
          }),
        },
      };
    }
  }
}

function skipped(provider: ProviderConfig, reason: string): SelfTestResult {
  return {
    provider: provider.name,
    kind: provider.kind,
    model: null,
    status: 'skipped',
    latencyMs: null,
    usage: null,
    costUsd: null,
    fake: provider.fake,
    reason,
  };
}

/** `Promise.all` over `items` with at most `limit` calls in flight; results keep the order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  call: (item: T) => R | Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await call(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
