import type { ApiClient } from '../api/client';
import { isAbort } from '../api/client';
import type { ChatUsage, ServedBy } from '../api/chat-stream';
import { callChat } from '../api/chat-stream';
import type { UsageRecord } from '../api/types';
import { requestsPage } from '../api/usage';
import { errorMessage } from '../lib/error-text';

/** What the playground sends: the same for every lane of a comparison. */
export interface PromptSettings {
  prompt: string;
  system: string;
  temperature: string;
  maxTokens: string;
  stream: boolean;
  /** Let an explicit provider/model fall back (`x-gateway-fallback: true`). */
  fallback: boolean;
  /** `x-gateway-cache`: '' (the gateway's policy), `skip` or `refresh`. */
  cache: '' | 'skip' | 'refresh';
  /** `x-gateway-max-cost-usd`: skip models whose worst case costs more. */
  maxCostUsd: string;
}

/** One model, route or chain the prompt goes to. */
export interface LaneSpec {
  id: string;
  /** A model or route name (`GET /v1/models`). */
  model: string;
  /** `x-gateway-chain`: the models to try in order, overriding the route's own order. */
  chain?: string[];
}

export interface LaneResult {
  status: 'running' | 'done' | 'failed' | 'stopped';
  text: string;
  served?: ServedBy;
  usage?: ChatUsage;
  finishReason?: string;
  /** As the browser measured them. */
  ttftMs?: number;
  latencyMs?: number;
  error?: string;
  /** The request's usage row (cost, cache status, the gateway's own timings). */
  row?: UsageRecord;
  rowState: 'none' | 'pending' | 'found' | 'missing';
}

/** The request body: OpenAI's chat completion, usage included in streams. */
export function bodyOf(lane: LaneSpec, settings: PromptSettings): Record<string, unknown> {
  const messages = [
    ...(settings.system.trim() ? [{ role: 'system', content: settings.system }] : []),
    { role: 'user', content: settings.prompt },
  ];
  const body: Record<string, unknown> = { model: lane.model, messages, stream: settings.stream };
  if (settings.stream) body.stream_options = { include_usage: true };
  if (settings.temperature.trim() !== '') body.temperature = Number(settings.temperature);
  if (settings.maxTokens.trim() !== '') body.max_tokens = Number(settings.maxTokens);
  return body;
}

/** The gateway controls of a lane, as `x-gateway-*` headers. */
export function headersOf(lane: LaneSpec, settings: PromptSettings): Record<string, string> {
  const headers: Record<string, string> = {};
  if (lane.chain?.length) headers['x-gateway-chain'] = lane.chain.join(', ');
  if (settings.fallback) headers['x-gateway-fallback'] = 'true';
  if (settings.cache) headers['x-gateway-cache'] = settings.cache;
  if (settings.maxCostUsd.trim() !== '')
    headers['x-gateway-max-cost-usd'] = settings.maxCostUsd.trim();
  return headers;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Usage rows are written in batches (about a second): look a few times before giving up. */
const ROW_DELAYS_MS = [400, 800, 1_500, 3_000, 5_000];

/**
 * The request's usage row, from the history of the last moments (a list answers 200 while
 * the row is not written yet, where `GET /v1/usage/requests/:id` would answer 404).
 */
async function usageRowOf(
  api: ApiClient,
  requestId: string,
  startedAt: number,
): Promise<UsageRecord | undefined> {
  for (const delay of ROW_DELAYS_MS) {
    await sleep(delay);
    try {
      const window = { fromMs: startedAt - 60_000, toMs: Date.now() + 60_000 };
      const page = await requestsPage(api, window, {}, undefined, 200);
      const row = page.data.find((r) => r.requestId === requestId);
      if (row) return row;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Sends the prompt for one lane and reports every step through `update`: who serves it
 * (headers, at once), the answer as it streams, then the usage row — found by the
 * gateway's request id — with the cost and cache status.
 */
export async function runLane(
  api: ApiClient,
  lane: LaneSpec,
  settings: PromptSettings,
  key: string | undefined,
  signal: AbortSignal,
  update: (patch: Partial<LaneResult>) => void,
): Promise<void> {
  const started = performance.now();
  const startedAt = Date.now();
  let text = '';
  let requestId: string | undefined;
  update({ status: 'running', text: '', rowState: 'none' });
  try {
    const outcome = await callChat(api, {
      body: bodyOf(lane, settings),
      headers: headersOf(lane, settings),
      key,
      signal,
      onServedBy: (served) => {
        requestId = served.requestId;
        update({ served });
      },
      onFirstToken: () => update({ ttftMs: performance.now() - started }),
      onText: (piece) => {
        text += piece;
        update({ text });
      },
    });
    update({
      status: 'done',
      usage: outcome.usage,
      finishReason: outcome.finishReason,
      latencyMs: performance.now() - started,
    });
  } catch (error) {
    if (isAbort(error)) {
      update({ status: 'stopped', latencyMs: performance.now() - started });
    } else {
      update({
        status: 'failed',
        error: errorMessage(error),
        latencyMs: performance.now() - started,
      });
    }
  }
  if (!requestId) return;
  update({ rowState: 'pending' });
  // The row is read even after a stop: a cut request has its row too.
  const row = await usageRowOf(api, requestId, startedAt);
  update(row ? { row, rowState: 'found' } : { rowState: 'missing' });
}
