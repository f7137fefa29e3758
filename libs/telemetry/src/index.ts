export { startTelemetry, telemetryWanted } from './telemetry';
export type { Telemetry, TelemetryOptions } from './telemetry';
