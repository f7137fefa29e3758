import { schemaSection } from './config-section';
import { OtelConfig } from './otel-config.schema';

/** `otel`: whether the apps register the OpenTelemetry SDK (restart-only). */
export const otelSection = schemaSection('otel', OtelConfig);
