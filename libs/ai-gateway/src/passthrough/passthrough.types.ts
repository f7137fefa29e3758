import type { Readable } from 'node:stream';
import type { ResponseMeta } from '../shared/call-result';
import type { PassthroughEndpoint } from './passthrough-endpoints';

/** One call to a passthrough endpoint, as the HTTP layer received it. */
export interface PassthroughCall {
  endpoint: PassthroughEndpoint;
  /**
   * JSON endpoints: the parsed body (an object naming `model`). Multipart endpoints: the
   * upload as it arrives — it is read only as far as its `model` field, then streamed on.
   */
  body: unknown;
  /** The caller's content type; multipart needs it for its boundary. */
  contentType?: string;
  /** The request's feature that needs this endpoint (named when no provider has it). */
  requires?: { param: string; what: string };
  /** Pinned endpoints (files, batches): the provider the call goes to. */
  provider?: string;
  /** Default POST; pinned endpoints also read (`GET`) and delete. */
  method?: 'GET' | 'POST' | 'DELETE';
  /** Path under the provider's `/v1` when not the endpoint's own (`/files/{id}/content`). */
  path?: string;
}

/**
 * The upstream's answer, streamed: status, the headers worth passing on, and the body.
 * The request's books (usage row, settles, breaker) close when the body has been read
 * to its end, fails, or is abandoned (`destroy()`).
 */
export interface PassthroughResult {
  status: number;
  /** `content-type` (and `content-length` when the upstream sent one). */
  headers: Record<string, string>;
  body: Readable;
  meta: ResponseMeta;
  /** Settles once the books are closed (the body passed, failed or was dropped). */
  closed: Promise<void>;
}
