import type { ProviderKind } from '../config/gateway-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { RouteTarget } from '../routing/model-resolver.service';
import type { StreamEnds } from './usage-tap';

/**
 * The OpenAI endpoints the gateway passes through as received, named as the official
 * clients name them (`client.audio.speech`…). The name is the usage row's `task`.
 */
export type PassthroughEndpoint =
  | 'completions'
  | 'moderations'
  | 'images.generations'
  | 'audio.speech'
  | 'audio.transcriptions'
  | 'responses'
  | 'files'
  | 'batches';

/** How one endpoint is reached upstream and accounted for. */
export interface PassthroughEndpointSpec {
  /** Path under the provider's base URL (which already ends in `/v1`). */
  readonly path: string;
  /** `multipart`: the upload is streamed to the upstream, sent once (no retry, no fallback). */
  readonly body: 'json' | 'multipart';
  /**
   * Priced by tokens like a chat call (held against budgets, charged when the model has a
   * price). Images and audio are priced per image, per minute or per character: no
   * token price fits them, so they are recorded unpriced rather than charged wrongly.
   */
  readonly priced: boolean;
  /** Provider kinds whose API has this endpoint at this path, in OpenAI's shape. */
  readonly kinds: ReadonlySet<ProviderKind>;
  /**
   * Calls of this endpoint go to one provider the caller names (files, batches: no model
   * routes them), not to a model's targets.
   */
  readonly pinned?: boolean;
  /** Streams that name their events: which end them (else the stream was cut). */
  readonly streamEnds?: StreamEnds;
  /**
   * Most bytes of an answer (or of one event) read for its usage, when more than the tap's
   * default: a Responses answer carries generated images inline and its usage at the end.
   */
  readonly usageBytes?: number;
}

const OPENAI_KINDS: ReadonlySet<ProviderKind> = new Set(['openai', 'openai-compatible']);
// Mistral's API has these two at OpenAI's paths; it has no images, speech or legacy completions.
const WITH_MISTRAL: ReadonlySet<ProviderKind> = new Set([...OPENAI_KINDS, 'mistral']);

export const PASSTHROUGH_ENDPOINTS: Readonly<Record<PassthroughEndpoint, PassthroughEndpointSpec>> =
  {
    completions: { path: '/completions', body: 'json', priced: true, kinds: OPENAI_KINDS },
    moderations: { path: '/moderations', body: 'json', priced: false, kinds: WITH_MISTRAL },
    'images.generations': {
      path: '/images/generations',
      body: 'json',
      priced: false,
      kinds: OPENAI_KINDS,
    },
    'audio.speech': { path: '/audio/speech', body: 'json', priced: false, kinds: OPENAI_KINDS },
    'audio.transcriptions': {
      path: '/audio/transcriptions',
      body: 'multipart',
      priced: false,
      kinds: WITH_MISTRAL,
    },
    // OpenAI's own Responses API, for what only it has (built-in tools…): the Responses
    // door translates every other request for any provider.
    responses: {
      path: '/responses',
      body: 'json',
      priced: true,
      kinds: new Set(['openai']),
      streamEnds: {
        ended: new Set(['response.completed', 'response.incomplete']),
        failed: new Set(['response.failed', 'error']),
      },
      usageBytes: 64 * 1024 * 1024,
    },
    // Files and batches belong to the provider account they were made in: each call goes
    // to that provider (the gateway keeps which, and which key owns what).
    files: { path: '/files', body: 'multipart', priced: false, kinds: OPENAI_KINDS, pinned: true },
    batches: { path: '/batches', body: 'json', priced: false, kinds: OPENAI_KINDS, pinned: true },
  };

/** Whether a provider of `kind` serves `endpoint` (the embedded fake and translated kinds do not). */
export function servesEndpoint(
  kind: ProviderKind | undefined,
  endpoint: PassthroughEndpoint,
): boolean {
  return kind !== undefined && PASSTHROUGH_ENDPOINTS[endpoint].kinds.has(kind);
}

/**
 * 400 `unsupported_feature` naming the endpoint (or the feature of the request that
 * needs it) and every provider the model reached.
 */
export function unsupportedEndpoint(
  endpoint: PassthroughEndpoint,
  targets: readonly RouteTarget[],
  kindOf: (provider: string) => ProviderKind | undefined,
  requires?: { param: string; what: string },
): GatewayError {
  const path = `POST /v1${PASSTHROUGH_ENDPOINTS[endpoint].path}`;
  const names = targets.map((t) => `"${t.provider}" (${kindOf(t.provider) ?? 'unknown'})`);
  const kinds = [...PASSTHROUGH_ENDPOINTS[endpoint].kinds].join(', ');
  if (requires) {
    return new GatewayError(
      GatewayErrorCode.UNSUPPORTED_FEATURE,
      `${requires.what[0].toUpperCase()}${requires.what.slice(1)} needs OpenAI's own ${path}, which provider ${names.join(', ')} does not have: use a model served by ${kinds} providers`,
      { provider: targets[0]?.provider, param: requires.param },
    );
  }
  return new GatewayError(
    GatewayErrorCode.UNSUPPORTED_FEATURE,
    `${path} is not supported by provider ${names.join(', ')}: it is passed through to ${kinds} providers only`,
    { provider: targets[0]?.provider, param: 'model' },
  );
}
