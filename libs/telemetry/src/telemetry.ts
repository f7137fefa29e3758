import { diag } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface TelemetryOptions {
  /** `service.name` unless `OTEL_SERVICE_NAME` (or `OTEL_RESOURCE_ATTRIBUTES`) names it. */
  service: string;
  /** `otel.enabled` of the gateway config: on even without an endpoint variable. */
  enabled: boolean;
  /**
   * The process environment, where the switch is read (`OTEL_EXPORTER_OTLP_ENDPOINT`,
   * `OTEL_SDK_DISABLED`, the service name). The SDK itself reads the other `OTEL_*`
   * variables from `process.env`: pass `process.env`.
   */
  env: NodeJS.ProcessEnv;
}

/** The OpenTelemetry SDK of an app, once started (or a no-op when tracing is off). */
export interface Telemetry {
  readonly enabled: boolean;
  /** Flushes what is buffered (spans, metrics) and stops exporting. */
  shutdown(): Promise<void>;
}

const OFF: Telemetry = { enabled: false, shutdown: () => Promise.resolve() };

/**
 * Whether the app registers the SDK: `otel.enabled`, or an OTLP endpoint in the standard
 * variables — unless `OTEL_SDK_DISABLED=true`.
 */
export function telemetryWanted(options: TelemetryOptions): boolean {
  const env = options.env;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return (
    options.enabled ||
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) ||
    Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim())
  );
}

/**
 * Registers the OpenTelemetry Node SDK for an app, configured by the standard variables:
 * OTLP over HTTP (`OTEL_EXPORTER_OTLP_PROTOCOL`: `http/protobuf`, the default, or
 * `http/json`), `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_TRACES_SAMPLER` / `_ARG`,
 * `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_SERVICE_NAME`, `OTEL_METRICS_EXPORTER`, the batch
 * processor's `OTEL_BSP_*`. Traces (W3C trace context propagation) and the GenAI metrics;
 * no log export (logs stay JSON lines on stdout) and no auto-instrumentation: the gateway
 * makes its own spans. Call before the Nest app is created.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (!telemetryWanted(options)) return OFF;
  const env = options.env;
  const named =
    Boolean(env.OTEL_SERVICE_NAME) || /\bservice\.name=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sdk = new NodeSDK({
    ...(named ? {} : { serviceName: options.service }),
    // Log lines stay on stdout (with trace ids); none are exported.
    logRecordProcessors: [],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown: () =>
      (stopped ??= sdk.shutdown().catch((error: unknown) => {
        diag.warn(`OpenTelemetry shutdown failed: ${String(error)}`);
      })),
  };
}
