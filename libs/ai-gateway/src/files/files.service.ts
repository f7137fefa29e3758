import { Injectable } from '@nestjs/common';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { Readable } from 'node:stream';
import { withRequestId } from '../pipeline/admission/request-admission';
import { RequestLedger } from '../pipeline/request-ledger';
import { PassthroughPipeline } from '../passthrough/passthrough-pipeline.service';
import type { PassthroughResult } from '../passthrough/passthrough.types';
import { readJsonResult } from '../passthrough/read-result';
import type { CallOptions, Caller, ResponseMeta } from '../shared/call-result';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import { assertNoUnownedStores, chatFileReferencesOf, fileReferencesOf } from './file-references';
import type { ListPage } from './provider-objects';
import {
  assertOwned,
  fileProviderOf,
  goneAtProvider,
  isPlausibleId,
  listQueryOf,
  pageOf,
} from './provider-objects';
import type { ProviderObject } from './provider-objects.repository';
import { ProviderObjectsRepository } from './provider-objects.repository';

/** A provider's JSON answer and what happened to the call. */
export interface ObjectResult<T = Record<string, unknown>> {
  object: T;
  meta: ResponseMeta;
}

/**
 * OpenAI's Files API through the gateway: an upload goes (streamed, unread) to the
 * provider the caller names or the first OpenAI provider, and the gateway records which
 * provider holds the file and which key owns it. Every later call checks the owner (any
 * other key gets 404) and goes to that provider; the list answers from the gateway's
 * records, so a key sees only its own files. Each call has its usage row (`files`).
 */
@Injectable()
export class FilesService {
  constructor(
    private readonly passthrough: PassthroughPipeline,
    private readonly objects: ProviderObjectsRepository,
    private readonly config: GatewayConfigService,
    private readonly ledger: RequestLedger,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /** `POST /v1/files` (multipart: `file`, `purpose`, …); `provider` from `x-gateway-provider`. */
  async upload(
    upload: unknown,
    contentType: string | undefined,
    provider: string | undefined,
    options: CallOptions = {},
  ): Promise<ObjectResult> {
    let target: string;
    try {
      target = fileProviderOf(this.config.current.providers, provider);
    } catch (error) {
      // Refused before any provider: the upload is drained, the refusal has its row.
      (upload as Partial<Readable> | null)?.resume?.();
      throw this.ledger.refused({}, withRequestId(options), error, 'passthrough');
    }
    const result = await this.passthrough.forward(
      { endpoint: 'files', provider: target, body: upload, contentType },
      options,
    );
    const file = await readJsonResult<Record<string, unknown>>(result);
    if (typeof file.id === 'string') {
      await this.objects.save({
        id: file.id,
        kind: 'file',
        provider: target,
        keyId: options.caller?.keyId ?? null,
        createdAt: this.clock.now(),
        object: file,
      });
    }
    return { object: file, meta: result.meta };
  }

  /** `GET /v1/files`: the caller's own files, as last seen (`purpose`, `limit`, `after`, `order`). */
  async list(
    query: Record<string, unknown>,
    caller: Pick<Caller, 'keyId'> | undefined,
  ): Promise<ListPage<Record<string, unknown>>> {
    const { purpose, ...page } = listQueryOf(query, 10_000);
    const { data, hasMore } = await this.objects.list(
      'file',
      caller?.keyId ?? null,
      page,
      purpose ? (file) => file.purpose === purpose : undefined,
    );
    return pageOf(
      data.map((entry) => entry.object),
      hasMore,
    );
  }

  /** `GET /v1/files/{id}`: fresh from the provider that holds it. */
  async retrieve(id: string, callOptions: CallOptions = {}): Promise<ObjectResult> {
    const options = withRequestId(callOptions);
    const file = await this.ownedOrRefused(id, options);
    const result = await this.call(file, 'GET', `/files/${encodeURIComponent(id)}`, options);
    const object = await readJsonResult<Record<string, unknown>>(result);
    await this.objects.update(id, object);
    return { object, meta: result.meta };
  }

  /** `GET /v1/files/{id}/content`: the bytes, streamed from the provider. */
  async content(id: string, callOptions: CallOptions = {}): Promise<PassthroughResult> {
    const options = withRequestId(callOptions);
    const file = await this.ownedOrRefused(id, options);
    return this.call(file, 'GET', `/files/${encodeURIComponent(id)}/content`, options);
  }

  /** `DELETE /v1/files/{id}`: at the provider, then from the gateway's records. */
  async delete(id: string, callOptions: CallOptions = {}): Promise<ObjectResult> {
    const options = withRequestId(callOptions);
    const file = await this.ownedOrRefused(id, options);
    const result = await this.call(file, 'DELETE', `/files/${encodeURIComponent(id)}`, options);
    const object = await readJsonResult<Record<string, unknown>>(result);
    await this.objects.remove(id);
    return { object, meta: result.meta };
  }

  /**
   * Checks that every file a request body names is one of the caller's (a 404 naming the
   * first that is not, as for any other key's file), and that it names no vector store or
   * stored conversation, which the gateway does not keep per key. A body without file
   * ids costs one walk and no query.
   */
  async assertReferencesOwned(body: unknown, caller: Pick<Caller, 'keyId'> | undefined) {
    assertNoUnownedStores(body);
    for (const { id, param } of fileReferencesOf(body)) await this.owned(id, caller, param);
  }

  /**
   * The chat door's check: every file part names one of the caller's files. A refusal is
   * a request too, with its usage row. Requests without file parts pass at once.
   */
  async assertChatFilesOwned(body: unknown, callOptions: CallOptions): Promise<void> {
    const references = chatFileReferencesOf(body);
    if (references.length === 0) return;
    const options = withRequestId(callOptions);
    try {
      for (const { id, param } of references) await this.owned(id, options.caller, param);
    } catch (error) {
      const stream = (body as { stream?: unknown } | null)?.stream === true;
      throw this.ledger.refused(body, options, error, stream ? 'chat_stream' : 'chat');
    }
  }

  /** The caller's file `id` (404 for a missing one and for another key's alike). */
  async owned(id: string, caller: Pick<Caller, 'keyId'> | undefined, param = 'file_id') {
    // An id no provider makes (a NUL byte, a megabyte) is looked up nowhere.
    const found = isPlausibleId(id) ? await this.objects.find(id, 'file') : undefined;
    return assertOwned(found, caller, 'File', id, param);
  }

  /** The owner check of a call: a refusal is a request too, with its usage row. */
  private async ownedOrRefused(id: string, options: CallOptions): Promise<ProviderObject> {
    try {
      return await this.owned(id, options.caller);
    } catch (error) {
      throw this.ledger.refused({}, options, error, 'passthrough');
    }
  }

  /**
   * One call about a file to the provider holding it. A file the provider no longer has
   * (expired, deleted outside the gateway) is a 404, and the gateway forgets it too.
   */
  private async call(
    file: ProviderObject,
    method: 'GET' | 'DELETE',
    path: string,
    options: CallOptions,
  ): Promise<PassthroughResult> {
    try {
      return await this.passthrough.forward(
        { endpoint: 'files', provider: file.provider, method, path, body: undefined },
        options,
      );
    } catch (error) {
      throw await goneAtProvider(error, file, this.objects, 'File');
    }
  }
}
