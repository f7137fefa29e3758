import type { CacheHashStrategy, CacheTenancy } from '../config/cache-config.schema';
import type { Caller } from '../shared/call-result';
import type { CpuSlicer } from '../tokens/cpu-slicer';
import type { ChatRequest } from '../types/unified';
import { canonicalSha256, canonicalSha256Async } from './canonical-json';

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

/**
 * How the caller's own routing widens or replaces the models that may answer: a chain
 * override (`x-gateway-chain`, `gateway.chain`) replaces the route, and a fallback
 * (`x-gateway-fallback`, `gateway.fallback`) lets another provider of a pinned
 * `provider/model` answer. The same body then names other models and must not share
 * their entries.
 */
export interface KeyRouting {
  chain?: readonly string[];
  fallback?: boolean;
}

/**
 * The exact key: SHA-256 of the tenant and what the strategy says identifies an answer.
 * Undefined when the body is too deep or too large to canonicalise (`canonicalJson`):
 * such a request is not cached.
 */
export function exactKeyOf(
  body: ChatRequest,
  strategy: CacheHashStrategy,
  tenant: string,
  routing: KeyRouting = {},
): string | undefined {
  return canonicalSha256(exactPrefix(strategy, tenant), exactIdentity(body, strategy, routing));
}

/**
 * {@link exactKeyOf}, the same key, hashed in slices that yield to the event loop (the
 * request path: a prompt of a megabyte is ~10 ms of escaping and hashing).
 */
export function exactKeyOfAsync(
  body: ChatRequest,
  strategy: CacheHashStrategy,
  tenant: string,
  routing: KeyRouting = {},
  slicer?: CpuSlicer,
): Promise<string | undefined> {
  return canonicalSha256Async(
    exactPrefix(strategy, tenant),
    exactIdentity(body, strategy, routing),
    slicer,
  );
}

function exactPrefix(strategy: CacheHashStrategy, tenant: string): string {
  return `exact\u0000${strategy}\u0000${tenant}\u0000`;
}

function exactIdentity(
  body: ChatRequest,
  strategy: CacheHashStrategy,
  routing: KeyRouting,
): Record<string, unknown> {
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
  // `content` ignores the model by choice; the other strategies name every model that may answer.
  if (strategy !== 'content') Object.assign(identity, routingIdentity(routing));
  return identity;
}

/**
 * The routing part of a key, under `gateway`: the body's own `gateway` field never reaches
 * here (the pipeline takes it out), so it cannot collide with a request field. Empty without
 * an override, so keys of ordinary requests are unchanged.
 */
function routingIdentity(routing: KeyRouting): Record<string, unknown> {
  const gateway: Record<string, unknown> = {};
  if (routing.chain && routing.chain.length > 0) gateway.chain = routing.chain;
  if (routing.fallback === true) gateway.fallback = true;
  return Object.keys(gateway).length > 0 ? { gateway } : {};
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
  routing: KeyRouting = {},
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
  Object.assign(scoped, routingIdentity(routing));
  const scope = canonicalSha256(`semantic\u0000${embedderId}\u0000${tenant}\u0000`, scoped);
  return scope === undefined ? undefined : { text: embedded.join('\n'), scope };
}

/** A message's content when it is text only (a string or text parts), else undefined. */
export function plainText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  let text = '';
  for (const part of content as Array<{ type?: unknown; text?: unknown }>) {
    if (part?.type !== 'text' || typeof part.text !== 'string') return undefined;
    text += (text ? '\n' : '') + part.text;
  }
  return text;
}
