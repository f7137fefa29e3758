import type { FakeExchange } from '../fake-exchange';
import { sendJson } from '../fake-exchange';
import { fakeId } from '../fake-content';
import type { FakeOperation } from '../fake-operation';
import type { FakeScript } from '../fake-script';
import type { BatchUsage, FakeBatch, FakeBatchRecord, FakeState } from '../fake-state';
import { listPage, sendInvalid, sendNotFound } from './openai-files.wire';
import { responseBody } from './openai-responses.body';
import { chatCompletionBody, embeddingsBody, openAiWire, scriptedErrorBody } from './openai.wire';
import type { FakeRoute, WireFormat } from './wire-format';

type Json = Record<string, unknown>;

/** How a batch answers the lines of one endpoint: that route's own JSON builder. */
interface Runner {
  operation: FakeOperation;
  build(body: unknown, script: FakeScript): unknown;
}

const RUNNERS = new Map<string, Runner>([
  ['/v1/chat/completions', { operation: 'chat', build: chatCompletionBody }],
  ['/v1/embeddings', { operation: 'embeddings', build: embeddingsBody }],
  ['/v1/responses', { operation: 'responses', build: responseBody }],
]);

const now = (): number => Math.floor(Date.now() / 1000);

const isRecord = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** One line of the output or error file. */
interface ResultLine {
  id: string;
  custom_id: string | null;
  response: { status_code: number; request_id: string; body: unknown } | null;
  error: { code: string; message: string } | null;
}

/** A parsed input line, or why it cannot run. */
function parseLine(
  text: string,
  endpoint: string,
): { customId: string; body: Json } | { customId: string | null; problem: string } {
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    return { customId: null, problem: 'This line is not valid JSON.' };
  }
  if (!isRecord(line)) return { customId: null, problem: 'This line is not a JSON object.' };
  const customId = typeof line.custom_id === 'string' ? line.custom_id : null;
  if (customId === null) return { customId, problem: "Missing required parameter: 'custom_id'." };
  if (line.method !== 'POST') return { customId, problem: "The line's method must be 'POST'." };
  if (line.url !== endpoint) {
    return { customId, problem: `The line's url must be the batch's endpoint, ${endpoint}.` };
  }
  if (!isRecord(line.body)) return { customId, problem: "Missing required parameter: 'body'." };
  return { customId, body: line.body };
}

/** Adds one answer's usage (chat, embeddings or Responses vocabulary) to the batch's. */
function addUsage(total: BatchUsage, body: unknown): void {
  const usage = isRecord(body) && isRecord(body.usage) ? body.usage : {};
  const count = (value: unknown): number => (typeof value === 'number' ? value : 0);
  const inputDetails = usage.input_tokens_details ?? usage.prompt_tokens_details;
  const outputDetails = usage.output_tokens_details ?? usage.completion_tokens_details;
  const input = count(usage.input_tokens ?? usage.prompt_tokens);
  const output = count(usage.output_tokens ?? usage.completion_tokens);
  total.input_tokens += input;
  total.input_tokens_details.cached_tokens += count(
    isRecord(inputDetails) ? inputDetails.cached_tokens : 0,
  );
  total.output_tokens += output;
  total.output_tokens_details.reasoning_tokens += count(
    isRecord(outputDetails) ? outputDetails.reasoning_tokens : 0,
  );
  total.total_tokens += input + output;
}

/** Writes result lines to a new `batch_output` file; null when there are none. */
function writeResults(state: FakeState, name: string, lines: ResultLine[]): string | null {
  if (lines.length === 0) return null;
  const id = fakeId('file-');
  state.putFile({
    id,
    filename: name,
    purpose: 'batch_output',
    createdAt: now(),
    expiresAt: null,
    content: Buffer.from(lines.map((line) => `${JSON.stringify(line)}\n`).join('')),
  });
  return id;
}

/**
 * Answers one input line as its endpoint's route would (a queued script applies, as to a
 * request; its error status makes an error line); `body` is the answer of a line that ran.
 */
function answerLine(
  state: FakeState,
  record: FakeBatchRecord,
  runner: Runner,
  text: string,
): { result: ResultLine; body?: unknown } {
  const line = parseLine(text, record.batch.endpoint);
  const id = fakeId('batch_req_');
  if ('problem' in line) {
    const error = { code: 'invalid_request', message: line.problem };
    return { result: { id, custom_id: line.customId, response: null, error } };
  }
  const model = typeof line.body.model === 'string' ? line.body.model : undefined;
  record.batch.model ??= model;
  const script = state.scriptFor({
    format: 'openai',
    operation: runner.operation,
    model,
    apiKey: record.apiKey,
  });
  const requestId = fakeId('req_');
  if (script.status !== undefined && script.status >= 400) {
    const message = script.errorMessage ?? `Scripted error ${script.status}`;
    const body = scriptedErrorBody(script.status, message, script.errorType);
    const response = { status_code: script.status, request_id: requestId, body };
    return { result: { id, custom_id: line.customId, response, error: null } };
  }
  const body = runner.build(line.body, script);
  const response = { status_code: 200, request_id: requestId, body };
  return { result: { id, custom_id: line.customId, response, error: null }, body };
}

/** A batch that cannot run: `failed`, with the reason in `errors`. */
function fail(batch: FakeBatch, code: string, message: string): void {
  batch.errors = { object: 'list', data: [{ code, message, param: null, line: null }] };
  batch.status = 'failed';
  batch.failed_at = now();
}

/**
 * Runs every line of the batch's input file (see {@link answerLine}), writes the output
 * and error files and completes the batch, with counts, the first line's model and the
 * summed usage. An input file gone or empty fails it, as OpenAI's validation would.
 */
function run(state: FakeState, record: FakeBatchRecord): void {
  const { batch } = record;
  const runner = RUNNERS.get(batch.endpoint);
  const input = state.files.get(batch.input_file_id);
  batch.in_progress_at = now();
  if (!runner || !input) {
    fail(batch, 'invalid_file', `No such File object: ${batch.input_file_id}`);
    return;
  }
  const texts = input.content
    .toString('utf8')
    .split('\n')
    .filter((text) => text.trim() !== '');
  if (texts.length === 0) {
    fail(batch, 'empty_file', 'The batch input file is empty.');
    return;
  }
  const usage: BatchUsage = {
    input_tokens: 0,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 0,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 0,
  };
  const outputs: ResultLine[] = [];
  const errors: ResultLine[] = [];
  for (const text of texts) {
    const { result, body } = answerLine(state, record, runner, text);
    if (body === undefined) errors.push(result);
    else {
      outputs.push(result);
      addUsage(usage, body);
    }
  }
  batch.output_file_id = writeResults(state, `${batch.id}_output.jsonl`, outputs);
  batch.error_file_id = writeResults(state, `${batch.id}_error.jsonl`, errors);
  batch.request_counts = { total: texts.length, completed: outputs.length, failed: errors.length };
  batch.usage = usage;
  batch.status = 'completed';
  batch.finalizing_at = now();
  batch.completed_at = now();
}

/** The batch named by the path, or a 404 sent. */
function storedBatch(ex: FakeExchange): FakeBatchRecord | undefined {
  const id = ex.params[0];
  const record = ex.state.batches.get(id);
  if (!record) sendNotFound(ex, `No batch found with id '${id}'.`, 'batch_id');
  return record;
}

/** `POST /v1/batches`: validated like OpenAI (file known, purpose `batch`), then `validating`. */
function create(ex: FakeExchange): void {
  const body = isRecord(ex.body) ? ex.body : {};
  const { input_file_id: fileId, endpoint, completion_window: window } = body;
  if (typeof fileId !== 'string') {
    sendInvalid(ex, "Missing required parameter: 'input_file_id'.", 'input_file_id');
    return;
  }
  if (typeof endpoint !== 'string' || !RUNNERS.has(endpoint)) {
    const known = [...RUNNERS.keys()].join(', ');
    sendInvalid(ex, `Invalid 'endpoint': the fake provider batches ${known}.`, 'endpoint');
    return;
  }
  if (window !== '24h') {
    sendInvalid(ex, "Invalid 'completion_window': only '24h' is supported.", 'completion_window');
    return;
  }
  const file = ex.state.files.get(fileId);
  if (!file) {
    sendNotFound(ex, `No such File object: ${fileId}`, 'input_file_id');
    return;
  }
  if (file.purpose !== 'batch') {
    sendInvalid(ex, `File ${fileId} has purpose '${file.purpose}', not 'batch'.`, 'input_file_id');
    return;
  }
  const createdAt = now();
  const batch: FakeBatch = {
    id: fakeId('batch_'),
    object: 'batch',
    endpoint,
    errors: null,
    input_file_id: fileId,
    completion_window: window,
    status: 'validating',
    output_file_id: null,
    error_file_id: null,
    created_at: createdAt,
    in_progress_at: null,
    expires_at: createdAt + 24 * 3600,
    finalizing_at: null,
    completed_at: null,
    failed_at: null,
    expired_at: null,
    cancelling_at: null,
    cancelled_at: null,
    request_counts: { total: 0, completed: 0, failed: 0 },
    metadata: isRecord(body.metadata) ? body.metadata : null,
  };
  ex.state.batches.set(batch.id, { batch, apiKey: openAiWire.apiKey(ex) });
  sendJson(ex.res, 200, batch);
}

/**
 * `GET /v1/batches/{id}`: the first look after creation moves the batch on, with no timers
 * to wait for: a `validating` batch runs to `completed` (or `failed`), a `cancelling` one
 * becomes `cancelled`.
 */
function retrieve(ex: FakeExchange): void {
  const record = storedBatch(ex);
  if (!record) return;
  const { batch } = record;
  if (batch.status === 'validating') run(ex.state, record);
  else if (batch.status === 'cancelling') {
    batch.status = 'cancelled';
    batch.cancelled_at = now();
  }
  sendJson(ex.res, 200, batch);
}

/** `POST /v1/batches/{id}/cancel`: a batch not yet run is `cancelling`; others are unchanged. */
function cancel(ex: FakeExchange): void {
  const record = storedBatch(ex);
  if (!record) return;
  const { batch } = record;
  if (batch.status === 'validating') {
    batch.status = 'cancelling';
    batch.cancelling_at = now();
  }
  sendJson(ex.res, 200, batch);
}

/** `GET /v1/batches`: newest first, `after` / `limit` (default 20) as OpenAI pages them. */
function list(ex: FakeExchange): void {
  const batches = [...ex.state.batches.values()].map((record) => record.batch).reverse();
  sendJson(
    ex.res,
    200,
    listPage(batches, ex.url, 20, (batch) => batch),
  );
}

const route = (
  method: FakeRoute['method'],
  pattern: RegExp,
  handle: FakeRoute['handle'],
): FakeRoute => ({ method, pattern, operation: 'batches', handle });

/**
 * OpenAI's Batch API over the fake's file store: create from an uploaded `batch` file,
 * retrieve (which runs it, see {@link retrieve}), cancel and list, as the SDK's
 * `client.batches` calls them. Lines of `/v1/chat/completions`, `/v1/embeddings` and
 * `/v1/responses` are answered by those routes' builders. Same keys and error shape as
 * the OpenAI wire; routed with it.
 */
export const openAiBatchesWire: WireFormat = {
  name: 'openai',
  routes: [
    route('POST', /^\/v1\/batches$/, create),
    route('GET', /^\/v1\/batches$/, list),
    route('GET', /^\/v1\/batches\/([^/]+)$/, retrieve),
    route('POST', /^\/v1\/batches\/([^/]+)\/cancel$/, cancel),
  ],
  apiKey: (ex) => openAiWire.apiKey(ex),
  sendError: (ex, status, message, type) => openAiWire.sendError(ex, status, message, type),
};
