import { Injectable, Logger } from '@nestjs/common';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { BudgetGate } from '../pipeline/admission/budget-gate';
import { withRequestId } from '../pipeline/admission/request-admission';
import { RequestLedger } from '../pipeline/request-ledger';
import { PassthroughPipeline } from '../passthrough/passthrough-pipeline.service';
import { readJsonResult } from '../passthrough/read-result';
import { tokensOf } from '../passthrough/usage-tap';
import type { CallOptions, Caller } from '../shared/call-result';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import { usageRowFromMeta } from '../usage/usage-row.mapper';
import { UsageWriter } from '../usage/usage-writer.service';
import type { ObjectResult } from './files.service';
import { FilesService } from './files.service';
import type { ListPage } from './provider-objects';
import {
  assertOwned,
  goneAtProvider,
  isPlausibleId,
  listQueryOf,
  pageOf,
} from './provider-objects';
import type { ProviderObject } from './provider-objects.repository';
import { ProviderObjectsRepository } from './provider-objects.repository';

/**
 * OpenAI bills work done through the Batch API at half its synchronous price: a batch's
 * tokens are priced from the model's price times this.
 */
export const BATCH_PRICE_FACTOR = 0.5;

/** A batch's states after which nothing more runs (its usage is final). */
const FINAL = new Set(['completed', 'failed', 'cancelled', 'expired']);

type Batch = Record<string, unknown> & { id?: unknown; status?: unknown };

/**
 * OpenAI's Batch API through the gateway. A batch runs in the account of the provider
 * that holds its input file, which must be one of the caller's files; the gateway
 * records the batch as the caller's and, as it sees the batch's output and error files,
 * those too. When a retrieve first finds a batch finished, its usage (the tokens the
 * provider reports for the whole batch) becomes one usage row, priced at the batch rate
 * and charged to the owner's budgets: once, whichever instance sees it first.
 *
 * A key limited to some models cannot create batches: the models are named inside the
 * input file's lines, which the gateway passes on unread.
 */
@Injectable()
export class BatchesService {
  private readonly logger = new Logger(BatchesService.name);

  constructor(
    private readonly passthrough: PassthroughPipeline,
    private readonly objects: ProviderObjectsRepository,
    private readonly files: FilesService,
    private readonly ledger: RequestLedger,
    private readonly budgets: BudgetGate,
    private readonly usage: UsageWriter,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /** `POST /v1/batches` (`input_file_id`, `endpoint`, `completion_window`, `metadata`). */
  async create(body: unknown, callOptions: CallOptions = {}): Promise<ObjectResult> {
    const options = withRequestId(callOptions);
    let provider: string;
    try {
      provider = await this.inputProvider(body, options.caller);
      // Its cost is known only when it ends: no batch starts on a budget already spent.
      await this.budgets.assertHeadroom(options.caller, provider, `${options.requestId}#batch`);
    } catch (error) {
      throw this.ledger.refused({}, options, error, 'passthrough');
    }
    const result = await this.passthrough.forward({ endpoint: 'batches', provider, body }, options);
    const batch = await readJsonResult<Batch>(result);
    if (typeof batch.id === 'string') {
      await this.objects.save({
        id: batch.id,
        kind: 'batch',
        provider,
        keyId: options.caller?.keyId ?? null,
        userId: options.caller?.userId ?? null,
        teamId: options.caller?.teamId ?? null,
        createdAt: this.clock.now(),
        object: batch,
      });
    }
    return { object: batch, meta: result.meta };
  }

  /** `GET /v1/batches/{id}`: fresh from the provider; a finished batch's usage is booked. */
  async retrieve(id: string, callOptions: CallOptions = {}): Promise<ObjectResult> {
    const options = withRequestId(callOptions);
    const entry = await this.owned(id, options);
    const result = await this.passthrough
      .forward(
        {
          endpoint: 'batches',
          provider: entry.provider,
          method: 'GET',
          path: `/batches/${encodeURIComponent(id)}`,
          body: undefined,
        },
        options,
      )
      .catch(async (error: unknown) => {
        throw await goneAtProvider(error, entry, this.objects, 'Batch');
      });
    const batch = await readJsonResult<Batch>(result);
    await this.seen(entry, batch, options.caller);
    return { object: batch, meta: result.meta };
  }

  /** `POST /v1/batches/{id}/cancel`. */
  async cancel(id: string, callOptions: CallOptions = {}): Promise<ObjectResult> {
    const options = withRequestId(callOptions);
    const entry = await this.owned(id, options);
    const result = await this.passthrough
      .forward(
        {
          endpoint: 'batches',
          provider: entry.provider,
          path: `/batches/${encodeURIComponent(id)}/cancel`,
          body: {},
        },
        options,
      )
      .catch(async (error: unknown) => {
        throw await goneAtProvider(error, entry, this.objects, 'Batch');
      });
    const batch = await readJsonResult<Batch>(result);
    await this.seen(entry, batch, options.caller);
    return { object: batch, meta: result.meta };
  }

  /** `GET /v1/batches`: the caller's own batches as last seen (retrieve one for news). */
  async list(
    query: Record<string, unknown>,
    caller: Pick<Caller, 'keyId'> | undefined,
  ): Promise<ListPage<Record<string, unknown>>> {
    const page = listQueryOf(query, 20);
    const { data, hasMore } = await this.objects.list('batch', caller?.keyId ?? null, page);
    return pageOf(
      data.map((entry) => entry.object),
      hasMore,
    );
  }

  /** The caller's batch `id`; a refusal (404 alike for missing and foreign) has its usage row. */
  private async owned(id: string, options: CallOptions): Promise<ProviderObject<Batch>> {
    try {
      const found = isPlausibleId(id) ? await this.objects.find<Batch>(id, 'batch') : undefined;
      return assertOwned(found, options.caller, 'Batch', id, 'batch_id');
    } catch (error) {
      throw this.ledger.refused({}, options, error, 'passthrough');
    }
  }

  /** The provider holding the input file, which must be the caller's. */
  private async inputProvider(body: unknown, caller: Caller | undefined): Promise<string> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw GatewayError.invalidRequest('Invalid request: the body must be a JSON object', 'body');
    }
    const fileId = (body as { input_file_id?: unknown }).input_file_id;
    if (typeof fileId !== 'string' || fileId === '') {
      throw GatewayError.invalidRequest(
        "Invalid request: 'input_file_id' is required (a file uploaded with purpose 'batch')",
        'input_file_id',
      );
    }
    if (caller?.allowedModels && caller.allowedModels.length > 0) {
      throw new GatewayError(
        GatewayErrorCode.MODEL_NOT_ALLOWED,
        'This key is limited to some models and cannot create batches: their models are named inside the input file, which the gateway does not read',
        { param: 'input_file_id' },
      );
    }
    return (await this.files.owned(fileId, caller, 'input_file_id')).provider;
  }

  /** Keeps the batch as seen, adopts its result files, books its usage once when it ends. */
  /**
   * Keeps the batch as seen; the first time it is seen finished, adopts its result files
   * as the owner's and books its usage (once, whichever instance gets there first).
   */
  private async seen(entry: ProviderObject<Batch>, batch: Batch, caller: Caller | undefined) {
    await this.objects.update(entry.id, batch);
    if (typeof batch.status !== 'string' || !FINAL.has(batch.status)) return;
    if (!(await this.objects.markAccounted(entry.id))) return;
    for (const field of ['output_file_id', 'error_file_id'] as const) {
      const fileId = batch[field];
      if (typeof fileId !== 'string' || !isPlausibleId(fileId)) continue;
      await this.objects.adopt({
        id: fileId,
        kind: 'file',
        provider: entry.provider,
        keyId: entry.keyId,
        createdAt: this.clock.now(),
        object: { id: fileId, object: 'file', purpose: 'batch_output' },
      });
    }
    await this.book(entry, batch, caller);
  }

  /** The usage row of a finished batch, priced at the batch rate, charged to budgets. */
  private async book(entry: ProviderObject<Batch>, batch: Batch, retriever: Caller | undefined) {
    // Booked to who made the batch (the key is the same: only its owner retrieves it).
    const caller: Caller | undefined =
      entry.userId === undefined
        ? retriever
        : { ...retriever, userId: entry.userId ?? undefined, teamId: entry.teamId ?? undefined };
    const tokens = tokensOf(batch.usage);
    const model = typeof batch.model === 'string' ? batch.model : null;
    const price = model
      ? this.budgets.costOf({ provider: entry.provider, model }, tokens)
      : undefined;
    const cost = price && tokens ? Math.round(price.microUsd * BATCH_PRICE_FACTOR) : undefined;
    const createdAt =
      typeof batch.created_at === 'number' ? batch.created_at * 1000 : entry.createdAt;
    const doneAt =
      typeof batch.completed_at === 'number' ? batch.completed_at * 1000 : this.clock.now();
    const row = usageRowFromMeta(undefined, {
      requestId: `batch:${entry.id}`,
      createdAt,
      status: batch.status === 'completed' ? 'ok' : String(batch.status),
      stream: false,
      keyId: entry.keyId,
      userId: caller?.userId,
      teamId: caller?.teamId,
      ingress: 'batches',
      task: 'batch',
      costMicroUsd: cost ?? null,
      priced: cost !== undefined,
      priceSource:
        price && cost !== undefined ? `${price.source} (batch ×${BATCH_PRICE_FACTOR})` : null,
    });
    this.usage.record({
      ...row,
      provider: entry.provider,
      model,
      promptTokens: tokens?.prompt ?? 0,
      completionTokens: tokens?.completion ?? 0,
      cachedTokens: tokens?.cached ?? 0,
      reasoningTokens: tokens?.reasoning ?? 0,
      latencyMs: Math.max(0, doneAt - createdAt),
      attempts: 1,
    });
    if (cost) {
      const charged = await this.budgets
        .chargeAfter(caller, entry.provider, `batch:${entry.id}`, cost)
        .catch(() => false);
      // Budgets out of reach: booked again on a later retrieve (the row is written once).
      if (!charged) {
        this.logger.warn({ msg: 'batch cost not charged yet', batchId: entry.id });
        await this.objects.unmarkAccounted(entry.id);
      }
    }
  }
}
