import { schemaSection } from './config-section';
import { LoggingConfig } from './logging-config.schema';

/** `logging`: the apps' log level, and whether prompt text may be logged. */
export const loggingSection = schemaSection('logging', LoggingConfig);
