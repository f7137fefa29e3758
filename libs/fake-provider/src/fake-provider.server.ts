import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleAdmin } from './fake-admin';
import type { RecordedRequest } from './fake-exchange';
import { createExchange, readBodyBytes, sendJson } from './fake-exchange';
import { parseMultipart } from './fake-multipart';
import type { FakeScript, QueuedScript } from './fake-script';
import { mulberry32, parseScriptHeader } from './fake-script';
import { FakeScriptQueue } from './fake-script-queue';
import type { FakeStoredFile } from './fake-state';
import { FakeState } from './fake-state';
import { matchRoute } from './wire/wire-routing';

export interface FakeProviderOptions {
  port?: number;
  host?: string;
  /** How many requests to keep for inspection (ring buffer). */
  recordLimit?: number;
  /** Script for requests that bring none (default: echo the last user message). */
  defaultScript?: FakeScript;
  /** Seed of the draws behind `QueuedScript.probability` (default: Math.random, unseeded). */
  seed?: number;
}

/**
 * A local server that speaks the OpenAI, Anthropic, Gemini and Ollama wire formats well
 * enough for their official SDKs, scripted per request. OpenAI's files and batches are kept
 * in memory per server until {@link FakeProviderServer.reset}. Vendors can be addressed under a
 * prefix (`/anthropic/v1/messages`) or by their own paths (`/v1/messages`).
 *
 * Admin endpoints (`/_fake/…`, see `fake-admin.ts`) queue scripts and read what arrived.
 */
export class FakeProviderServer {
  private readonly server: Server;
  private readonly queue: FakeScriptQueue;
  private readonly state: FakeState;
  private readonly recorded: RecordedRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly recordLimit: number;
  private counter = 0;
  private open = 0;
  private peak = 0;
  private gate?: { opened: Promise<void>; open: () => void };

  constructor(private readonly options: FakeProviderOptions = {}) {
    this.recordLimit = options.recordLimit ?? 500;
    this.queue = new FakeScriptQueue(
      options.seed === undefined ? Math.random : mulberry32(options.seed),
    );
    this.state = new FakeState(
      (request) => this.queue.take(request) ?? this.options.defaultScript ?? {},
    );
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
        else res.destroy();
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    return this;
  }

  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43210`. */
  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /**
   * Queues a script for the next `times` matching requests; with `probability`, only that
   * share of them (drawn per request) gets it.
   */
  enqueue(
    script: FakeScript,
    times = 1,
    match?: QueuedScript['match'],
    probability?: number,
  ): void {
    this.queue.add({ script, times, match, probability });
  }

  clearScripts(): void {
    this.queue.clear();
  }

  /** Recorded requests, oldest first. */
  get requests(): readonly RecordedRequest[] {
    return this.recorded;
  }

  /** Number of model calls served since start (not reset by clearing records). */
  get requestCount(): number {
    return this.counter;
  }

  /** Model calls being answered right now (received, response not yet finished or closed). */
  get inFlight(): number {
    return this.open;
  }

  /**
   * The most model calls answered at once since start or the last
   * {@link resetMaxInFlight}: what a test asserts when a limit upstream of the provider
   * (a budget, a rate limit) must cap concurrency.
   */
  get maxInFlight(): number {
    return this.peak;
  }

  /** Starts a new peak from the calls in flight now. */
  resetMaxInFlight(): void {
    this.peak = this.open;
  }

  /**
   * Holds every model call that arrives from now on (recorded and counted in flight)
   * until {@link resume}, before its script runs. A test can then count what reached the
   * provider while every other request is decided, with no latency to outrun.
   */
  pause(): void {
    if (this.gate) return;
    let open = (): void => undefined;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate = { opened, open };
  }

  /** Lets the held calls (and the next ones) run their scripts. */
  resume(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  clearRequests(): void {
    this.recorded.length = 0;
  }

  /** Files uploaded (`POST /v1/files`) or written by batches, oldest first, bytes included. */
  get files(): readonly FakeStoredFile[] {
    return [...this.state.files.values()];
  }

  /** Forgets the uploaded files and batches (`/v1/files`, `/v1/batches`). */
  clearStore(): void {
    this.state.clear();
  }

  reset(): void {
    this.clearScripts();
    this.clearRequests();
    this.clearStore();
  }

  async close(): Promise<void> {
    this.resume();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/_fake/')) return handleAdmin(req, res, url, this);

    const found = matchRoute(req, url.pathname);
    if (!found) {
      sendJson(res, 404, {
        error: { message: `fake provider: no route for ${req.method} ${url.pathname}` },
      });
      return;
    }
    const { wire, route, params } = found;
    const rawBody = await readBodyBytes(req);
    // Uploads (audio transcriptions, files) arrive as multipart; everything else is JSON.
    let body: unknown = parseMultipart(rawBody, req.headers['content-type'], route.keepUploadBytes);
    if (body === undefined && rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        const ex = createExchange({
          req,
          res,
          url,
          params,
          body: undefined,
          script: {},
          state: this.state,
        });
        wire.sendError(ex, 400, 'Request body is not valid JSON', 'invalid_request_error');
        return;
      }
    }

    const partial = { req, url, body, params };
    const model = route.model?.(partial);
    const apiKey = wire.apiKey(partial);
    const script =
      parseScriptHeader(req.headers['x-fake-script']) ??
      this.queue.take({ format: wire.name, operation: route.operation, model, apiKey }) ??
      this.options.defaultScript ??
      {};
    const ex = createExchange({ req, res, url, params, body, script, state: this.state });
    if (route.operation !== 'models') {
      this.counter++;
      this.track(res);
    }
    this.record({
      format: wire.name,
      operation: route.operation,
      method: req.method ?? 'GET',
      path: url.pathname,
      model,
      stream: route.stream?.(partial) ?? false,
      apiKey,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
    });

    if (this.gate && route.operation !== 'models') {
      await this.gate.opened;
      if (ex.closed) return;
    }
    if (script.fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (script.fault === 'hang') {
      await new Promise<void>((resolve) => res.on('close', resolve));
      return;
    }
    await ex.sleep(script.latencyMs);
    if (ex.closed) return;
    if (script.status !== undefined && script.status >= 400) {
      if (script.retryAfter !== undefined) res.setHeader('retry-after', script.retryAfter);
      wire.sendError(
        ex,
        script.status,
        script.errorMessage ?? `Scripted error ${script.status}`,
        script.errorType,
      );
      return;
    }
    await route.handle(ex);
  }

  /** Counts a model call in flight until its response finishes or its connection closes. */
  private track(res: ServerResponse): void {
    this.open++;
    this.peak = Math.max(this.peak, this.open);
    res.once('close', () => this.open--);
  }

  private record(entry: RecordedRequest): void {
    this.recorded.push(entry);
    if (this.recorded.length > this.recordLimit) this.recorded.shift();
  }
}

/** Starts a fake provider; `port: 0` (the default) picks a free port. */
export async function startFakeProvider(
  options: FakeProviderOptions = {},
): Promise<FakeProviderServer> {
  return new FakeProviderServer(options).listen();
}
