import type { ConfigStatus, ReloadOutcome } from '@ai-gateway/core';
import type { JsonSchema } from './json-schema';
import {
  arrayOf,
  boolean,
  dateTime,
  nullable,
  objectOf,
  oneOfValues,
  optional,
  string,
} from './json-schema';

const TRIGGERS = ['start', 'file', 'signal', 'admin', 'peer'];

export const CONFIG_SCHEMAS = {
  ConfigStatus: objectOf<ConfigStatus>()({
    version: string('First 16 hex digits of SHA-256 over the configuration.'),
    loadedAt: dateTime(),
    trigger: oneOfValues(TRIGGERS, 'What loaded it.'),
    file: nullable(string('The YAML file watched for changes.')),
    reloadable: boolean(),
    config: { type: 'object', description: 'The configuration, every secret redacted.' },
  }),
  ReloadOutcome: objectOf<ReloadOutcome>()({
    ok: boolean(),
    changed: boolean('False when the file holds the configuration already loaded.'),
    version: string(),
    errors: optional(arrayOf(string())),
  }),
} satisfies Record<string, JsonSchema>;
