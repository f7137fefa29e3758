import { createHash } from 'node:crypto';
import type { CacheHashStrategy, CacheTenancy } from '../config/cache-config.schema';
import type { Caller } from '../pipeline/call-result';
import type { ChatRequest } from '../types/unified';

/**
 * Request fields that never change the answer: how it is delivered (`stream`,
 * `stream_options`), who asked (`user`, `metadata`) and provider-side bookkeeping. A
 * streamed and a plain request for the same thing share one entry.
 */
const DELIVERY_FIELDS = new Set(['stream', 'stream_options', 'user', 'metadata', 'store']);

/** Fields that shape the answer whatever the hash strategy: what the model is asked to produce. */
const SHAPE_FIELDS = ['tools', 'tool_choice', 'functions', 'function_call', 'response_format'];

/**
 * The tenant whose entries a request may be served: shared routes have one pool;
 * otherwise the team (with `tenancy: team`), the gateway key, the named user, or the
 * anonymous pool of an open gateway (auth off and no user named).
 */
export function tenantOf(
  caller: Caller | undefined,
  tenancy: CacheTenancy,
  shared: boolean,
): string {
  if (shared) return 'shared';
  if (tenancy === 'team' && caller?.teamId) return `team:${caller.teamId}`;
  if (caller?.keyId) return `key:${caller.keyId}`;
  if (caller?.userId) return `user:${caller.userId}`;
  return 'anonymous';
}

/** The exact key: SHA-256 of the tenant and what the strategy says identifies an answer. */
export function exactKeyOf(body: ChatRequest, strategy: CacheHashStrategy, tenant: string): string {
  const identity: Record<string, unknown> = {};
  if (strategy === 'full_request') {
    for (const [field, value] of Object.entries(body)) {
      if (!DELIVERY_FIELDS.has(field)) identity[field] = value;
    }
  } else {
    identity.messages = body.messages;
    for (const field of SHAPE_FIELDS) identity[field] = body[field];
    if (strategy === 'content+model') identity.model = body.model;
  }
  return sha256(`exact\u0000${strategy}\u0000${tenant}\u0000${canonicalJson(identity)}`);
}

/**
 * The text the semantic layer embeds and the scope it searches in. The scope is an exact
 * hash of everything else that changes the answer — tenant, model or route, system prompt,
 * earlier turns, tools, response format, sampling parameters, the embedder — so two
 * prompts are only ever compared when nothing but the embedded text differs. Undefined
 * when the request has no plain-text user message to embed (images, audio, a tool turn last).
 */
export function semanticInputOf(
  body: ChatRequest,
  input: 'last_user_message' | 'all_user_messages',
  tenant: string,
  embedderId: string,
): { text: string; scope: string } | undefined {
  const messages = body.messages;
  const last = messages.length - 1;
  if (last < 0 || messages[last].role !== 'user') return undefined;
  const embedded: string[] = [];
  const rest: unknown[] = [];
  for (let i = 0; i <= last; i++) {
    const message = messages[i];
    const takes = message.role === 'user' && (input === 'all_user_messages' || i === last);
    if (!takes) {
      rest.push(message);
      continue;
    }
    const text = plainText(message.content);
    if (text === undefined) return undefined;
    embedded.push(text);
    // The turn's position and any field beside its text still scope the search.
    const { content: _content, ...others } = message;
    rest.push({ ...others, embedded: true });
  }
  const scoped: Record<string, unknown> = { messages: rest };
  for (const [field, value] of Object.entries(body)) {
    if (field !== 'messages' && !DELIVERY_FIELDS.has(field)) scoped[field] = value;
  }
  return {
    text: embedded.join('\n'),
    scope: sha256(`semantic\u0000${embedderId}\u0000${tenant}\u0000${canonicalJson(scoped)}`),
  };
}

/** A message's content when it is text only (a string or text parts), else undefined. */
function plainText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  let text = '';
  for (const part of content as Array<{ type?: unknown; text?: unknown }>) {
    if (part?.type !== 'text' || typeof part.text !== 'string') return undefined;
    text += (text ? '\n' : '') + part.text;
  }
  return text;
}

/** JSON with object keys sorted at every depth: equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const key of keys) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(field)}`;
  }
  return `${out}}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
