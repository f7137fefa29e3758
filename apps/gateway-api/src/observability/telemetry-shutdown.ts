import type { OnApplicationShutdown, Provider } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';

const APP_TELEMETRY = Symbol('APP_TELEMETRY');

/** What the app flushes on shutdown: the OpenTelemetry SDK `main.ts` started. */
export interface AppTelemetry {
  readonly enabled: boolean;
  shutdown(): Promise<void>;
}

/** Flushes the spans and metrics still buffered once the app has stopped serving. */
@Injectable()
export class TelemetryShutdown implements OnApplicationShutdown {
  constructor(@Inject(APP_TELEMETRY) private readonly telemetry: AppTelemetry) {}

  onApplicationShutdown(): Promise<void> {
    return this.telemetry.shutdown();
  }
}

/** The providers that flush `telemetry` on shutdown (none when tracing is off). */
export function telemetryProviders(telemetry: AppTelemetry | undefined): Provider[] {
  if (!telemetry?.enabled) return [];
  return [{ provide: APP_TELEMETRY, useValue: telemetry }, TelemetryShutdown];
}
