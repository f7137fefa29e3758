import type {
  Browser,
  BrowserContext,
  ConsoleMessage,
  Page,
  Request,
  Response,
} from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A desktop and a phone viewport (the screenshots' sizes). */
export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/**
 * Headless Chromium for the console specs. Playwright gives every launch a fresh profile
 * folder of its own (a temporary `--user-data-dir`, deleted on close), so no state leaks
 * between runs; the flags keep Chromium from calling home or updating itself.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
}

/** An HTTP error status the test expects the page to meet (e.g. the 401 of a wrong key). */
export interface ExpectedHttpError {
  status: number;
  /** Matched against the request URL. */
  url: RegExp;
}

/**
 * A page whose console errors, uncaught exceptions, failed requests and HTTP error
 * answers are collected. Anything collected fails the test (see {@link BrowserSession}),
 * except HTTP errors the test declared with {@link expectHttpError} beforehand.
 */
export class WatchedPage {
  /** What went wrong in the page, in order, as readable lines. */
  readonly problems: string[] = [];
  /** Every URL the page requested or navigated to, in order (a key must never be in one). */
  readonly urls: string[] = [];
  private readonly expected: ExpectedHttpError[] = [];

  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
  ) {
    page.on('console', (message) => this.onConsole(message));
    page.on('pageerror', (error) =>
      this.problems.push(`uncaught in page: ${error.stack ?? String(error)}`),
    );
    page.on('requestfailed', (request) => this.onRequestFailed(request));
    page.on('request', (request) => this.urls.push(request.url()));
    page.on('framenavigated', (frame) => this.urls.push(frame.url()));
    page.on('response', (response) => this.onResponse(response));
  }

  /** Declares an HTTP error the test provokes on purpose; it is then not a problem. */
  expectHttpError(status: number, url: RegExp): void {
    this.expected.push({ status, url });
  }

  private isExpected(status: number, url: string): boolean {
    return this.expected.some((e) => e.status === status && e.url.test(url));
  }

  private onConsole(message: ConsoleMessage): void {
    if (message.type() !== 'error') return;
    const url = message.location().url;
    // Chromium reports every HTTP error answer of a fetch as a console error too.
    const status = /the server responded with a status of (\d{3})/.exec(message.text());
    if (status && this.isExpected(Number(status[1]), url)) return;
    this.problems.push(`console error: ${message.text()}${url ? ` (${url})` : ''}`);
  }

  private onRequestFailed(request: Request): void {
    const failure = request.failure()?.errorText ?? 'failed';
    // The console cancels its loads on leaving a page (AbortController): not a failure.
    if (failure === 'net::ERR_ABORTED') return;
    this.problems.push(`request failed: ${request.method()} ${request.url()}: ${failure}`);
  }

  private onResponse(response: Response): void {
    const status = response.status();
    if (status < 400 || this.isExpected(status, response.url())) return;
    this.problems.push(`HTTP ${status}: ${response.request().method()} ${response.url()}`);
  }
}

/**
 * One browser for a spec file and its watched pages: `open()` gives a page in a fresh
 * context (its own storage, so its own sign-in); after each test every page opened in it
 * must have collected no problem, and is closed.
 */
export class BrowserSession {
  private browser?: Browser;
  private pages: WatchedPage[] = [];

  async start(): Promise<void> {
    this.browser = await launchBrowser();
  }

  async open(
    options: {
      viewport?: { width: number; height: number };
      isMobile?: boolean;
      /** Browser permissions granted to every origin (e.g. `clipboard-read`). */
      permissions?: string[];
    } = {},
  ): Promise<WatchedPage> {
    if (!this.browser) throw new Error('BrowserSession.start() was not called');
    const context = await this.browser.newContext({
      viewport: options.viewport ?? DESKTOP,
      isMobile: options.isMobile ?? false,
      hasTouch: options.isMobile ?? false,
      deviceScaleFactor: 1,
      colorScheme: 'light',
      reducedMotion: 'reduce',
      permissions: options.permissions ?? [],
    });
    context.setDefaultTimeout(20_000);
    const watched = new WatchedPage(await context.newPage(), context);
    this.pages.push(watched);
    return watched;
  }

  /** Closes this test's pages; throws with everything they collected, if anything. */
  async finishTest(): Promise<void> {
    const pages = this.pages;
    this.pages = [];
    // Judged before closing: closing aborts the requests still in flight (a poll), which
    // is not the console's fault.
    const problems = pages.flatMap((p) => [...p.problems]);
    await Promise.all(pages.map((p) => p.context.close()));
    if (problems.length > 0) {
      throw new Error(`the console had ${problems.length} problem(s):\n${problems.join('\n')}`);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.pages.map((p) => p.context.close().catch(() => undefined)));
    this.pages = [];
    await this.browser?.close();
  }
}

/**
 * Registers the session's hooks in the calling `describe`: the browser starts before all
 * tests, each test ends with zero console errors, page errors and failed requests, and the
 * browser closes after all.
 */
export function useBrowser(): BrowserSession {
  const session = new BrowserSession();
  beforeAll(() => session.start(), 60_000);
  afterEach(() => session.finishTest());
  afterAll(() => session.stop());
  return session;
}
