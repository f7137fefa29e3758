import type { LoggerService, LogLevel } from '@nestjs/common';
import type { DestinationStream, Logger as Pino, LevelWithSilent } from 'pino';
import { pino } from 'pino';
import { requestLogFields } from './request-context';

/** Keys whose values never reach a log line, wherever they appear. */
const REDACTED = [
  'authorization',
  '*.authorization',
  'headers["x-api-key"]',
  '*["x-api-key"]',
  'apiKey',
  'apiKeys',
  '*.apiKey',
  '*.apiKeys',
];

export interface PinoOptions {
  /** The `service` field of every line (`gateway-api`, `worker`). */
  service: string;
  /**
   * Where lines go; defaults to stdout, buffered (`sync: false`) so logging stays off
   * the request path. Pass `pino.destination({ sync: true })` where the last lines come
   * right before `process.exit`.
   */
  destination?: DestinationStream;
}

/** A pino logger writing the gateway's JSON line shape, with key fields redacted. */
export function createPino(level: LevelWithSilent, options: PinoOptions): Pino {
  return pino(
    {
      level,
      base: { service: options.service },
      redact: { paths: REDACTED, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // The request a line is written for (its id, trace and span ids), wherever it is written.
      mixin: requestLogFields,
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

/**
 * Nest's LoggerService on pino: one JSON object per line, structured fields kept as
 * fields (`{ msg, requestId, ... }`), the Nest context as `context`.
 */
export class JsonLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }
  setLogLevels(levels: LogLevel[]): void {
    if (levels.length > 0) this.pino.level = levels.includes('debug') ? 'debug' : 'info';
  }

  flush(): void {
    this.pino.flush();
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    rest: unknown[],
  ): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const context =
      typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      this.pino[level]({ context, ...(message as Record<string, unknown>) });
    } else if (message instanceof Error) {
      this.pino[level](
        { context, err: { type: message.name, message: message.message } },
        message.message,
      );
    } else {
      this.pino[level]({ context }, String(message));
    }
  }
}
