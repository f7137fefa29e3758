import type { Attributes, Histogram } from '@opentelemetry/api';
import { createNoopMeter, metrics } from '@opentelemetry/api';
import { Injectable } from '@nestjs/common';
import { GenAi } from './gen-ai.attributes';

/** Bucket bounds the conventions advise for each instrument. */
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const SECONDS_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** One model call as the GenAI client metrics describe it. */
export interface GenAiCall {
  operation: string;
  provider: string;
  requestModel: string;
  responseModel?: string;
  server?: { address: string; port: number } | null;
  errorType?: string;
}

/**
 * The GenAI client metrics of the OpenTelemetry conventions, through `@opentelemetry/api`:
 * `gen_ai.client.token.usage`, `gen_ai.client.operation.duration` and (streams)
 * `gen_ai.client.operation.time_to_first_chunk`. They reach an exporter only when the app
 * (or a host) registered a meter provider before the module started; otherwise nothing is
 * built per call. Prometheus `/metrics` is separate and unchanged.
 */
@Injectable()
export class GenAiMetrics {
  /** False while no meter provider is registered: every record is skipped before it builds anything. */
  readonly enabled: boolean;
  private readonly tokens: Histogram;
  private readonly duration: Histogram;
  private readonly firstChunk: Histogram;

  constructor() {
    const meter = metrics.getMeter('@ai-gateway/core');
    this.enabled = !(meter instanceof createNoopMeter().constructor);
    this.tokens = meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Number of input and output tokens used',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.duration = meter.createHistogram('gen_ai.client.operation.duration', {
      description: 'GenAI operation duration',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
    this.firstChunk = meter.createHistogram('gen_ai.client.operation.time_to_first_chunk', {
      description: 'Time to receive the first chunk of a streamed answer',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
  }

  /** A finished call: its duration, and its tokens when the provider reported them. */
  recordCall(
    call: GenAiCall,
    seconds: number,
    usage: { prompt: number; completion: number } | undefined,
  ): void {
    if (!this.enabled) return;
    const attributes = attributesOf(call);
    this.duration.record(seconds, attributes);
    if (!usage || call.errorType) return;
    this.tokens.record(usage.prompt, { ...attributes, [GenAi.TOKEN_TYPE]: 'input' });
    this.tokens.record(usage.completion, { ...attributes, [GenAi.TOKEN_TYPE]: 'output' });
  }

  /** A stream's first chunk, measured from when the request began. */
  recordFirstChunk(call: GenAiCall, seconds: number): void {
    if (!this.enabled) return;
    this.firstChunk.record(seconds, attributesOf(call));
  }
}

function attributesOf(call: GenAiCall): Attributes {
  const attributes: Attributes = {
    [GenAi.OPERATION]: call.operation,
    [GenAi.PROVIDER]: call.provider,
    [GenAi.REQUEST_MODEL]: call.requestModel,
  };
  if (call.responseModel) attributes[GenAi.RESPONSE_MODEL] = call.responseModel;
  if (call.server) {
    attributes[GenAi.SERVER_ADDRESS] = call.server.address;
    attributes[GenAi.SERVER_PORT] = call.server.port;
  }
  if (call.errorType) attributes[GenAi.ERROR_TYPE] = call.errorType;
  return attributes;
}
