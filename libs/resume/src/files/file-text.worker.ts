import { spawn } from 'node:child_process';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHILD_SOURCE } from './file-text.child-source';
import { readZipDirectory } from './zip-directory.reader';

/** File kinds parsed out of process. */
export type WorkerFileKind = 'pdf' | 'docx';

/**
 * Why a file yielded no text. `memory`: the reader went past its memory limit (heap or
 * resident set); `inflates-too-much`: a DOCX's parts inflate past the byte budget;
 * `unavailable`: no reader process could be started (the host's fault, not the file's).
 */
export type ExtractionFailure =
  | 'encrypted'
  | 'unreadable'
  | 'too-many-pages'
  | 'timeout'
  | 'memory'
  | 'inflates-too-much'
  | 'unavailable';

/** What the reader answers. */
export type WorkerOutcome =
  { ok: true; text: string } | { ok: false; reason: ExtractionFailure; pages?: number };

/** Limits of one extraction (`tasks.files`; tests shorten them). */
export interface WorkerLimits {
  timeoutMs: number;
  maxPages: number;
  /** Resident set of the reader process, MiB; its V8 heap gets 3/4 of it. */
  memoryMb: number;
  /** Bytes a DOCX's parts may inflate to, all parts together (actual bytes, not declared). */
  maxInflatedBytes: number;
}

/** A resume longer than this is not a resume: refused rather than parsed. */
export const MAX_PDF_PAGES = 50;

export const DEFAULT_WORKER_LIMITS: WorkerLimits = {
  timeoutMs: 20_000,
  maxPages: MAX_PDF_PAGES,
  memoryMb: 256,
  maxInflatedBytes: 32 * 1024 * 1024,
};

const MIB = 1024 * 1024;

let modulePaths: Record<string, string> | undefined;

/** Where the parsers live, resolved once from this process (the child has no resolver context). */
function parserPaths(): Record<string, string> {
  if (modulePaths) return modulePaths;
  const pdfRoot = dirname(require.resolve('pdfjs-dist/package.json'));
  const mammoth = require.resolve('mammoth');
  modulePaths = {
    pdf: pathToFileURL(join(pdfRoot, 'legacy/build/pdf.mjs')).href,
    pdfWorker: pathToFileURL(join(pdfRoot, 'legacy/build/pdf.worker.mjs')).href,
    // pdf.js reads these with fs in Node: directory paths with a trailing separator.
    cMaps: join(pdfRoot, 'cmaps') + sep,
    standardFonts: join(pdfRoot, 'standard_fonts') + sep,
    mammoth,
    // The JSZip mammoth itself loads, so the stored copy is read by the same code.
    jszip: require.resolve('jszip', { paths: [dirname(mammoth)] }),
  };
  return modulePaths;
}

/**
 * Extracts the raw text of a PDF or DOCX in a child process: parsing an uploaded file is
 * CPU-heavy and untrusted, so it runs off the event loop and outside this process's
 * memory — inflated data lives in ArrayBuffers, which a worker thread's heap cap does not
 * cover, and which a thread's exit does not give back to the OS. The child has a heap cap
 * and a resident-set limit (killed past it), a deadline, no environment (provider keys
 * stay out of its reach), and its memory is returned whole when it exits. Never rejects:
 * failures are an outcome. Slots (how many run at once) are the caller's business.
 */
export function extractInWorker(
  kind: WorkerFileKind,
  data: Uint8Array,
  limits: Partial<WorkerLimits> = {},
): Promise<WorkerOutcome> {
  const { timeoutMs, maxPages, memoryMb, maxInflatedBytes } = {
    ...DEFAULT_WORKER_LIMITS,
    ...limits,
  };
  let entries: ReturnType<typeof readZipDirectory> = [];
  if (kind === 'docx') {
    entries = readZipDirectory(data);
    if (!entries) return Promise.resolve({ ok: false, reason: 'unreadable' });
  }
  const job = {
    kind,
    bytes: data,
    paths: parserPaths(),
    maxPages,
    entries,
    maxInflatedBytes,
    maxRssBytes: memoryMb * MIB,
    timeoutMs,
  };
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${Math.max(16, Math.floor((memoryMb * 3) / 4))}`, '-e', CHILD_SOURCE],
      { env: {}, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' },
    );
    let settled = false;
    const settle = (outcome: WorkerOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => settle({ ok: false, reason: 'timeout' }), timeoutMs);
    child.once('message', (outcome: WorkerOutcome) => settle(outcome));
    // Spawning failed (EAGAIN, ENOMEM…) or the job could not be handed over.
    child.once('error', () => settle({ ok: false, reason: 'unavailable' }));
    child.once('exit', (code, signal) =>
      // SIGKILL: its watchdog (or the kernel's OOM killer); SIGABRT / 134: V8 out of heap.
      settle({
        ok: false,
        reason:
          signal === 'SIGKILL' || signal === 'SIGABRT' || code === 134 ? 'memory' : 'unreadable',
      }),
    );
    child.send(job, (error) => {
      if (error) settle({ ok: false, reason: 'unavailable' });
    });
  });
}
