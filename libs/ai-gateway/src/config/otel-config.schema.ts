import 'reflect-metadata';
import { IsBoolean } from 'class-validator';
import { Flag } from './field-coercion';

/**
 * `otel`: OpenTelemetry in the apps. The gateway and the worker register the Node SDK when
 * `enabled` is on or `OTEL_EXPORTER_OTLP_ENDPOINT` is set; everything else (endpoint,
 * protocol, sampling, resource attributes) comes from the standard `OTEL_*` variables. The
 * library itself only uses `@opentelemetry/api`: in a host app it follows the host's SDK.
 */
export class OtelConfig {
  @Flag()
  @IsBoolean()
  enabled = false;
}
