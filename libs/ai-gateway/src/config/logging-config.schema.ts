import 'reflect-metadata';
import { IsBoolean, IsIn } from 'class-validator';
import { Flag } from './field-coercion';

/** Log level of the apps' logger, and whether prompt text may be logged at all. */
export class LoggingConfig {
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** Prompt and completion text never reach the logs unless this is switched on. */
  @Flag()
  @IsBoolean()
  logPrompts = false;
}
