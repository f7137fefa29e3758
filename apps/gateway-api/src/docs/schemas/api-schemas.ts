import { ADMIN_KEY_SCHEMAS } from './admin-keys.schemas';
import { ERROR_SCHEMAS } from './error.schemas';
import { HEALTH_SCHEMAS } from './health.schemas';
import type { JsonSchema } from './json-schema';
import { ref } from './json-schema';
import { PROVIDER_SCHEMAS } from './providers.schemas';
import { SPENDING_SCHEMAS } from './spending.schemas';
import { CONFIG_SCHEMAS } from './config.schemas';
import { TASK_SCHEMAS } from './tasks.schemas';
import { USAGE_SCHEMAS } from './usage.schemas';

/**
 * The document's `components.schemas`: the bodies of the gateway's own APIs, written as
 * JSON Schema 2020-12 against the library's TypeScript types (their interfaces carry no
 * decorators to read, and `libs/` stays free of documentation concerns).
 */
export const API_SCHEMAS = {
  ...ERROR_SCHEMAS,
  ...ADMIN_KEY_SCHEMAS,
  ...USAGE_SCHEMAS,
  ...TASK_SCHEMAS,
  ...PROVIDER_SCHEMAS,
  ...HEALTH_SCHEMAS,
  ...SPENDING_SCHEMAS,
  ...CONFIG_SCHEMAS,
} satisfies Record<string, JsonSchema>;

export type ApiSchemaName = keyof typeof API_SCHEMAS;

/** A `$ref` to one of {@link API_SCHEMAS}, checked by name at compile time. */
export function schemaRef(name: ApiSchemaName): JsonSchema {
  return ref(name);
}
