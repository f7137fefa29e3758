import type { BudgetLimits, GatewayKeyInput, GatewayKeyView, KeyLimits } from '@ai-gateway/core';
import type { JsonSchema } from './json-schema';
import {
  arrayOf,
  boolean,
  dateTime,
  integer,
  nullable,
  number,
  objectOf,
  optional,
  ref,
  string,
} from './json-schema';

const budget = objectOf<BudgetLimits>()(
  {
    dailyUsd: optional(number('Cap per UTC day, USD.', { minimum: 0 })),
    monthlyUsd: optional(number('Cap per UTC month, USD.', { minimum: 0 })),
    windowUsd: optional(number('Cap per fixed window of `windowMs`, USD.', { minimum: 0 })),
    windowMs: optional(
      integer('Length of the custom window (epoch-aligned), ms.', {
        minimum: 60_000,
        maximum: 31_536_000_000,
      }),
    ),
  },
  "The key's own budget.",
  { additionalProperties: false },
);

const limits = objectOf<KeyLimits>()(
  {
    requestsPerMinute: optional(integer(undefined, { minimum: 1 })),
    tokensPerMinute: optional(integer(undefined, { minimum: 1 })),
    concurrentRequests: optional(integer(undefined, { minimum: 1 })),
  },
  "The key's own rate limits.",
  { additionalProperties: false },
);

const keyView = {
  id: string('Key id (not secret).'),
  name: string(),
  hint: string("The secret's last four characters, to tell keys apart."),
  userId: nullable(string()),
  teamId: nullable(string()),
  multiUser: boolean('Its requests may name the user they act for (`x-gateway-user`).'),
  allowedModels: nullable(arrayOf(string(), 'Model or route names; `openai/*` matches a prefix.')),
  budget: nullable(ref('KeyBudget')),
  limits: nullable(ref('KeyLimits')),
  expiresAt: nullable(dateTime()),
  disabled: boolean(),
  disabledAt: nullable(dateTime()),
  createdAt: dateTime(),
  rotatedAt: nullable(dateTime()),
};

const gatewayKey = objectOf<GatewayKeyView & { object: 'gateway_key' }>()(
  { object: string(undefined, { const: 'gateway_key' }), ...keyView },
  'A gateway key as the admin API shows it: never the secret, never its hash.',
);

const issuedKey = objectOf<GatewayKeyView & { object: 'gateway_key'; key: string }>()(
  {
    object: string(undefined, { const: 'gateway_key' }),
    ...keyView,
    key: string('The secret: shown in this answer only, never again.'),
  },
  'A key just created or rotated, with its secret.',
);

const printable = (maxLength: number): JsonSchema =>
  string(undefined, { minLength: 1, maxLength, pattern: '^[^\\p{Cc}]*$' });

const inputFields = {
  name: printable(200),
  userId: optional(nullable(printable(128))),
  teamId: optional(nullable(printable(128))),
  multiUser: optional(boolean('A trusted multi-user backend (may name its end users).')),
  allowedModels: optional(
    nullable({ ...arrayOf(string(undefined, { pattern: '^[^\\s*]+\\*?$|^\\*$' })), maxItems: 200 }),
  ),
  budget: optional(nullable(ref('KeyBudget'))),
  limits: optional(nullable(ref('KeyLimits'))),
  expiresAt: optional(nullable(dateTime('After this time the key is refused.'))),
};

const createInput = objectOf<GatewayKeyInput>()(
  inputFields,
  'Body of POST /v1/admin/keys. Unknown fields are refused.',
  { additionalProperties: false },
);

const updateInput: JsonSchema = objectOf<Partial<GatewayKeyInput>>()(
  { ...inputFields, name: optional(printable(200)) },
  'Body of PATCH /v1/admin/keys/{id}: the fields to change; `null` clears a nullable one.',
  { additionalProperties: false },
);

export const ADMIN_KEY_SCHEMAS = {
  KeyBudget: budget,
  KeyLimits: limits,
  GatewayKey: gatewayKey,
  GatewayKeyIssued: issuedKey,
  GatewayKeyList: {
    type: 'object',
    properties: { object: string(undefined, { const: 'list' }), data: arrayOf(ref('GatewayKey')) },
    required: ['object', 'data'],
  },
  GatewayKeyCreate: createInput,
  GatewayKeyUpdate: updateInput,
} satisfies Record<string, JsonSchema>;
