import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { startTelemetry, telemetryWanted } from './telemetry';

describe('telemetryWanted', () => {
  it('is on with otel.enabled or an OTLP endpoint variable, and OTEL_SDK_DISABLED wins', () => {
    expect(telemetryWanted({ service: 's', enabled: false, env: {} })).toBe(false);
    expect(telemetryWanted({ service: 's', enabled: true, env: {} })).toBe(true);
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(telemetryWanted({ service: 's', enabled: false, env: endpoint })).toBe(true);
    expect(
      telemetryWanted({
        service: 's',
        enabled: false,
        env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' },
      }),
    ).toBe(true);
    expect(
      telemetryWanted({
        service: 's',
        enabled: true,
        env: { ...endpoint, OTEL_SDK_DISABLED: 'TRUE' },
      }),
    ).toBe(false);
    expect(
      telemetryWanted({ service: 's', enabled: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: ' ' } }),
    ).toBe(false);
  });
});

describe('startTelemetry', () => {
  const afterwards: Array<() => void> = [];
  afterEach(() => {
    while (afterwards.length > 0) afterwards.pop()!();
    trace.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
  });

  it('does nothing while tracing is off', async () => {
    const telemetry = startTelemetry({ service: 's', enabled: false, env: {} });
    expect(telemetry.enabled).toBe(false);
    expect(trace.getTracer('t').startSpan('x').isRecording()).toBe(false);
    await telemetry.shutdown();
  });

  it('registers the SDK from the standard variables: the sampler and the W3C propagator', async () => {
    // The SDK reads the process's own environment. Nothing listens at the endpoint, and
    // nothing is sampled to send there.
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_SAMPLER: 'always_off',
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    afterwards.push(() => {
      for (const key of Object.keys(env)) delete process.env[key];
      Object.assign(process.env, saved);
    });
    const telemetry = startTelemetry({ service: 'svc', enabled: false, env });
    expect(telemetry.enabled).toBe(true);
    // Sampled out by OTEL_TRACES_SAMPLER=always_off: a span that does not record.
    const span = trace.getTracer('t').startSpan('x');
    expect(span.isRecording()).toBe(false);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    await telemetry.shutdown();
    // A second shutdown is the first one's promise.
    await telemetry.shutdown();
  });

  it('records spans with the default sampler', async () => {
    const telemetry = startTelemetry({
      service: 'svc',
      enabled: true,
      env: { OTEL_METRICS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none' },
    });
    expect(trace.getTracer('t').startSpan('x').isRecording()).toBe(true);
    await telemetry.shutdown();
  });
});
