import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** File kinds parsed off the main thread. */
export type WorkerFileKind = 'pdf' | 'docx';

/** Why a file yielded no text. */
export type ExtractionFailure =
  'encrypted' | 'unreadable' | 'too-many-pages' | 'timeout' | 'too-complex';

/** What the worker answers. */
export type WorkerOutcome =
  { ok: true; text: string } | { ok: false; reason: ExtractionFailure; pages?: number };

/** Limits of one extraction (defaults below; tests shorten them). */
export interface WorkerLimits {
  timeoutMs: number;
  maxPages: number;
}

/** A resume longer than this is not a resume: refused rather than parsed. */
export const MAX_PDF_PAGES = 50;

const DEFAULT_LIMITS: WorkerLimits = { timeoutMs: 20_000, maxPages: MAX_PDF_PAGES };

/** Parsers at work at once in this process: each holds a thread and up to its heap cap. */
const MAX_PARALLEL_WORKERS = 2;

/** A parser that needs more than this is stopped (a crafted file cannot take the process down). */
const WORKER_HEAP_MB = 256;

/**
 * The worker's program, plain JavaScript run with `eval`: it needs no build step, and it
 * loads the ESM-only pdf.js with Node's own loader — also under Jest, whose module system
 * cannot load ESM without `--experimental-vm-modules`. pdf.js runs its parser in this
 * thread ("fake worker", no worker of its own); fonts and CMaps come from the package on
 * disk, never the network. Errors are reduced to a reason: their text is not needed and
 * may quote the file.
 */
const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { kind, bytes, paths, maxPages } = workerData;

async function pdfText() {
  const pdfjs = await import(paths.pdf);
  globalThis.pdfjsWorker = await import(paths.pdfWorker);
  let doc;
  try {
    doc = await pdfjs.getDocument({
      data: bytes,
      cMapUrl: paths.cMaps,
      cMapPacked: true,
      standardFontDataUrl: paths.standardFonts,
      isEvalSupported: false,
      isOffscreenCanvasSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    return { ok: false, reason: error && error.name === 'PasswordException' ? 'encrypted' : 'unreadable' };
  }
  try {
    if (doc.numPages > maxPages) return { ok: false, reason: 'too-many-pages', pages: doc.numPages };
    const pages = [];
    for (let number = 1; number <= doc.numPages; number++) {
      const page = await doc.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (typeof item.str !== 'string') continue;
        text += item.str;
        if (item.hasEOL) text += '\n';
      }
      pages.push(text);
      page.cleanup();
    }
    return { ok: true, text: pages.join('\n\n') };
  } finally {
    await doc.destroy();
  }
}

async function docxText() {
  const mammoth = require(paths.mammoth);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result = await mammoth.extractRawText({ buffer });
  return { ok: true, text: result.value };
}

(kind === 'pdf' ? pdfText() : docxText()).then(
  (outcome) => parentPort.postMessage(outcome),
  () => parentPort.postMessage({ ok: false, reason: 'unreadable' }),
);
`;

let modulePaths: Record<string, string> | undefined;

/** Where the parsers live, resolved once from this process (the worker has no resolver context). */
function parserPaths(): Record<string, string> {
  if (modulePaths) return modulePaths;
  const pdfRoot = dirname(require.resolve('pdfjs-dist/package.json'));
  modulePaths = {
    pdf: pathToFileURL(join(pdfRoot, 'legacy/build/pdf.mjs')).href,
    pdfWorker: pathToFileURL(join(pdfRoot, 'legacy/build/pdf.worker.mjs')).href,
    // pdf.js reads these with fs in Node: directory paths with a trailing separator.
    cMaps: join(pdfRoot, 'cmaps') + sep,
    standardFonts: join(pdfRoot, 'standard_fonts') + sep,
    mammoth: require.resolve('mammoth'),
  };
  return modulePaths;
}

let running = 0;
const waiting: Array<() => void> = [];

async function acquireSlot(): Promise<void> {
  if (running < MAX_PARALLEL_WORKERS) {
    running++;
    return;
  }
  // The releasing extraction hands its slot over directly: `running` stays the same.
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/**
 * Extracts the raw text of a PDF or DOCX in a worker thread: parsing an uploaded file is
 * CPU-heavy and untrusted, so it runs off the event loop, with a heap cap, a deadline, no
 * environment (provider keys stay out of its reach) and at most
 * {@link MAX_PARALLEL_WORKERS} at a time. Never rejects: failures are an outcome.
 */
export async function extractInWorker(
  kind: WorkerFileKind,
  data: Uint8Array,
  limits: Partial<WorkerLimits> = {},
): Promise<WorkerOutcome> {
  const { timeoutMs, maxPages } = { ...DEFAULT_LIMITS, ...limits };
  await acquireSlot();
  try {
    return await runWorker(kind, data, timeoutMs, maxPages);
  } finally {
    releaseSlot();
  }
}

function runWorker(
  kind: WorkerFileKind,
  data: Uint8Array,
  timeoutMs: number,
  maxPages: number,
): Promise<WorkerOutcome> {
  // An own copy: its buffer moves to the worker (the caller's Buffer may share a pool).
  const bytes = new Uint8Array(data);
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { kind, bytes, paths: parserPaths(), maxPages },
      transferList: [bytes.buffer],
      env: {},
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 32 },
    });
    let settled = false;
    const settle = (outcome: WorkerOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
      void worker.terminate();
    };
    const timer = setTimeout(() => settle({ ok: false, reason: 'timeout' }), timeoutMs);
    worker.once('message', (outcome: WorkerOutcome) => settle(outcome));
    worker.once('error', (error: NodeJS.ErrnoException) =>
      settle({
        ok: false,
        reason: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'too-complex' : 'unreadable',
      }),
    );
    worker.once('exit', () => settle({ ok: false, reason: 'unreadable' }));
  });
}
