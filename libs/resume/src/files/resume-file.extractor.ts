import { GatewayError } from '@ai-gateway/core';
import { TaskFilesConfig } from '../config/tasks-config.schema';
import { TaskError, TaskErrorCode } from '../errors/task.error';
import { extname } from 'node:path';
import { EXTRACTION_RETRY_AFTER_MS, ExtractionSlots } from './extraction-slots';
import type { ExtractionFailure, WorkerFileKind } from './file-text.worker';
import { extractInWorker, MAX_PDF_PAGES } from './file-text.worker';
import { normalizeResumeText } from './resume-text.normalizer';
import { readZipDirectory } from './zip-directory.reader';

/** File types a resume may be uploaded as. */
export const RESUME_FILE_EXTENSIONS = ['.pdf', '.docx', '.txt'] as const;

/** Largest resume file accepted: 5 MB. */
export const MAX_RESUME_FILE_BYTES = 5 * 1024 * 1024;

/** Limits of reading a file and of sharing the readers (`tasks.files`). */
export type FileExtractionLimits = TaskFilesConfig;

/** The schema's defaults: a library call without config gets the same limits. */
const DEFAULT_LIMITS: FileExtractionLimits = new TaskFilesConfig();

/** The readers of this process, shared by every caller. */
const slots = new ExtractionSlots(DEFAULT_LIMITS);

/** Acrobat accepts the `%PDF-` header anywhere in the first KiB; so do we. */
const PDF_HEADER_WINDOW = 1024;

const PARAM = 'input.file';

/** An uploaded resume: its name (for the extension) and its bytes. */
export interface ResumeFile {
  filename: string;
  data: Buffer;
}

/** Who uploads the file, and the limits in force. */
export interface ExtractOptions {
  /**
   * The key (else client address) the file is read for: it gets at most its share of
   * the readers and of the wait list. Without one the file shares a pool without a
   * per-key share.
   */
  owner?: string;
  /** `tasks.files` of the current config (defaults: the schema's). */
  limits?: Partial<FileExtractionLimits>;
}

/**
 * The owner a caller's files are read for: its gateway key, else (no key: auth off) its
 * client address. Undefined when neither is known.
 */
export function extractionOwnerOf(caller?: { keyId?: string; ip?: string }): string | undefined {
  if (caller?.keyId) return `key:${caller.keyId}`;
  if (caller?.ip) return `ip:${caller.ip}`;
  return undefined;
}

type ResumeExtension = (typeof RESUME_FILE_EXTENSIONS)[number];

/** What the first bytes say a file is. */
type Sniffed = 'pdf' | 'zip' | 'ole' | 'other';

/**
 * The text of an uploaded resume (.pdf, .docx or .txt), whitespace tidied and line breaks
 * kept. The type is decided by the extension and confirmed by the content's magic bytes.
 * Everything is read offline; PDF and DOCX are parsed in a child process with memory,
 * time and (DOCX) inflated-bytes limits, in slots shared fairly between owners.
 *
 * @throws GatewayError `invalid_request` (param `input.file`) for an unsupported type, a
 *   content that does not match its extension, a damaged, encrypted or oversized file
 *   (a zip or Flate bomb included), and a file without extractable text (a scanned PDF).
 * @throws GatewayError `rate_limit_exceeded` (the owner has its share of files waiting)
 *   or TaskError `queue_unavailable` (wait list full, or no reader free in time): retryable, with
 *   `retryAfterMs`.
 */
export async function extractResumeText(
  file: ResumeFile,
  options: ExtractOptions = {},
): Promise<string> {
  const limits: FileExtractionLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const extension = extname(file.filename).toLowerCase();
  if (!isResumeExtension(extension)) {
    throw invalid(
      `Unsupported file type${extension ? ` '${extension}'` : ''}: upload a .pdf, .docx or .txt file`,
    );
  }
  if (file.data.byteLength === 0) throw invalid('The file is empty');
  if (file.data.byteLength > MAX_RESUME_FILE_BYTES) {
    throw invalid(`The file is larger than ${MAX_RESUME_FILE_BYTES / 1024 / 1024} MB`);
  }
  const sniffed = sniff(file.data);
  switch (extension) {
    case '.txt':
      return textOf(file.data, sniffed);
    case '.pdf':
      if (sniffed !== 'pdf') throw mismatch('.pdf', sniffed);
      return fromWorker('pdf', file.data, limits, options.owner);
    case '.docx':
      checkDocx(file.data, sniffed, limits);
      return fromWorker('docx', file.data, limits, options.owner);
  }
}

function isResumeExtension(extension: string): extension is ResumeExtension {
  return (RESUME_FILE_EXTENSIONS as readonly string[]).includes(extension);
}

function sniff(data: Buffer): Sniffed {
  if (data.subarray(0, PDF_HEADER_WINDOW).includes('%PDF-')) return 'pdf';
  if (data.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'zip';
  // OLE compound file: a legacy .doc, or an Office file encrypted with a password.
  if (data.subarray(0, 8).equals(Buffer.from('d0cf11e0a1b11ae1', 'hex'))) return 'ole';
  return 'other';
}

function textOf(data: Buffer, sniffed: Sniffed): string {
  if (sniffed !== 'other') throw mismatch('.txt', sniffed);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw invalid('The .txt file is not UTF-8 text: save it as UTF-8');
  }
  if (text.includes('\u0000')) throw invalid('The .txt file is binary, not text');
  return nonEmpty(normalizeResumeText(text), 'The .txt file has no text');
}

function checkDocx(data: Buffer, sniffed: Sniffed, limits: FileExtractionLimits): void {
  if (sniffed === 'ole') {
    throw invalid(
      'The .docx file is password-protected or a legacy .doc: save it as an unprotected .docx',
    );
  }
  if (sniffed !== 'zip') throw mismatch('.docx', sniffed);
  const entries = readZipDirectory(data);
  if (!entries) throw invalid('The .docx file is damaged: its zip directory cannot be read');
  const names = new Set(entries.map((entry) => entry.name));
  if (!names.has('[Content_Types].xml') || !entries.some((e) => e.name.startsWith('word/'))) {
    throw invalid('The .docx file is a zip archive but not a Word document');
  }
  // A first, cheap look at what the parts claim; the reader counts what they really inflate to.
  const declared = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (declared > limits.maxInflatedBytes) throw invalid(tooLargeUnpacked(limits));
}

async function fromWorker(
  kind: WorkerFileKind,
  data: Buffer,
  limits: FileExtractionLimits,
  owner: string | undefined,
): Promise<string> {
  slots.configure(limits);
  const release = await slots.acquire(owner);
  let outcome;
  try {
    outcome = await extractInWorker(kind, data, { ...limits, maxPages: MAX_PDF_PAGES });
  } finally {
    release();
  }
  if (!outcome.ok && outcome.reason === 'unavailable') {
    throw new TaskError(TaskErrorCode.QUEUE_UNAVAILABLE, 'No file reader could be started', {
      retryable: true,
      retryAfterMs: EXTRACTION_RETRY_AFTER_MS,
    });
  }
  if (!outcome.ok) throw invalid(failureMessage(kind, outcome.reason, outcome.pages, limits));
  if (kind === 'docx') return nonEmpty(normalizeResumeText(outcome.text), 'The .docx has no text');
  return nonEmpty(
    normalizeResumeText(outcome.text),
    'The PDF has no extractable text: it is probably a scanned image, and text is not read ' +
      'from images (no OCR). Upload a PDF with selectable text, a .docx or a .txt',
  );
}

function failureMessage(
  kind: WorkerFileKind,
  reason: ExtractionFailure,
  pages: number | undefined,
  limits: FileExtractionLimits,
): string {
  const label = kind === 'pdf' ? 'The PDF' : 'The .docx file';
  switch (reason) {
    case 'encrypted':
      return `${label} is password-protected: upload it without a password`;
    case 'unreadable':
      return `${label} could not be read: it is damaged or not a valid ${kind === 'pdf' ? 'PDF' : 'Word document'}`;
    case 'too-many-pages':
      return `The PDF has ${pages ?? 'too many'} pages: at most ${MAX_PDF_PAGES} are accepted`;
    case 'timeout':
      return `${label} took too long to read (more than ${limits.timeoutMs / 1000} s)`;
    case 'memory':
      return (
        `${label} needs more than ${limits.memoryMb} MB of memory to read, the limit for one ` +
        'file: it is too complex or inflates to too much data'
      );
    case 'inflates-too-much':
      return tooLargeUnpacked(limits);
    case 'unavailable':
      return 'No file reader could be started';
  }
}

function tooLargeUnpacked(limits: FileExtractionLimits): string {
  const mb = Math.round((limits.maxInflatedBytes / 1024 / 1024) * 10) / 10;
  return `The .docx file is too large once unpacked: its parts inflate to more than ${mb} MB`;
}

function nonEmpty(text: string, message: string): string {
  if (text === '') throw invalid(message);
  return text;
}

function mismatch(extension: ResumeExtension, sniffed: Sniffed): GatewayError {
  const looks: Record<Sniffed, string> = {
    pdf: 'a PDF',
    zip: 'a zip archive (e.g. a .docx)',
    ole: 'a legacy Office file (.doc) or an encrypted Office file',
    other: 'plain text or another format',
  };
  return invalid(
    `The file's content does not match its ${extension} extension: it looks like ${looks[sniffed]}`,
  );
}

function invalid(message: string): GatewayError {
  return GatewayError.invalidRequest(message, PARAM);
}
