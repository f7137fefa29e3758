import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { TaskError, TaskErrorCode } from '../errors/task.error';
import type { ChildProcess } from 'node:child_process';
import childProcess from 'node:child_process';
import { EventEmitter } from 'node:events';
import { extractInWorker } from './file-text.worker';
import {
  extractionOwnerOf,
  extractResumeText,
  MAX_RESUME_FILE_BYTES,
  RESUME_FILE_EXTENSIONS,
} from './resume-file.extractor';
import { buildDocx, buildPdf, declareInflatedSize } from './resume-file.fixtures';

/** The 400 an unusable upload gets: invalid_request on `input.file`, with this message. */
async function refusal(call: Promise<unknown>): Promise<GatewayError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GatewayError)) throw new Error('expected a GatewayError');
  expect(error.code).toBe(GatewayErrorCode.INVALID_REQUEST);
  expect(error.param).toBe('input.file');
  return error;
}

const RESUME_PAGES = [['Jane Doe', 'Senior Engineer (Backend)'], ['Skills: TypeScript, NestJS']];

describe(extractResumeText.name, () => {
  it('accepts .pdf, .docx and .txt up to 5 MB', () => {
    expect(RESUME_FILE_EXTENSIONS).toEqual(['.pdf', '.docx', '.txt']);
    expect(MAX_RESUME_FILE_BYTES).toBe(5_242_880);
  });

  describe('PDF', () => {
    it('extracts the text layer with one line per line and a blank line between pages', async () => {
      const text = await extractResumeText({ filename: 'cv.PDF', data: buildPdf(RESUME_PAGES) });
      expect(text).toBe('Jane Doe\nSenior Engineer (Backend)\n\nSkills: TypeScript, NestJS');
    });

    it('refuses a PDF without a text layer and says it looks scanned', async () => {
      const error = await refusal(
        extractResumeText({ filename: 'scan.pdf', data: buildPdf([[]]) }),
      );
      expect(error.message).toMatch(/no extractable text: it is probably a scanned image/);
    });

    it('refuses a password-protected PDF', async () => {
      const data = buildPdf(RESUME_PAGES, { userPassword: 'secret' });
      const error = await refusal(extractResumeText({ filename: 'cv.pdf', data }));
      expect(error.message).toBe('The PDF is password-protected: upload it without a password');
    });

    it('refuses a damaged PDF', async () => {
      const data = Buffer.from('%PDF-1.7\nthis is not a PDF body at all\n', 'latin1');
      const error = await refusal(extractResumeText({ filename: 'cv.pdf', data }));
      expect(error.message).toMatch(/^The PDF could not be read/);
    });

    it('refuses a text file renamed .pdf', async () => {
      const data = Buffer.from('Jane Doe\nSenior Engineer\n');
      const error = await refusal(extractResumeText({ filename: 'cv.pdf', data }));
      expect(error.message).toBe(
        "The file's content does not match its .pdf extension: it looks like plain text or another format",
      );
    });

    it('refuses a DOCX renamed .pdf', async () => {
      const data = await buildDocx(['Jane Doe']);
      const error = await refusal(extractResumeText({ filename: 'cv.pdf', data }));
      expect(error.message).toMatch(/does not match its \.pdf extension: it looks like a zip/);
    });
  });

  describe('DOCX', () => {
    it('extracts paragraphs separated by a blank line, tabs as one space', async () => {
      const data = await buildDocx(['Jane Doe', 'Senior Engineer\t\tBerlin', 'R&D <lead>']);
      const text = await extractResumeText({ filename: 'cv.docx', data });
      expect(text).toBe('Jane Doe\n\nSenior Engineer Berlin\n\nR&D <lead>');
    });

    it('refuses a DOCX with no text', async () => {
      const error = await refusal(
        extractResumeText({ filename: 'cv.docx', data: await buildDocx([]) }),
      );
      expect(error.message).toBe('The .docx has no text');
    });

    it('refuses a PDF renamed .docx', async () => {
      const error = await refusal(
        extractResumeText({ filename: 'cv.docx', data: buildPdf(RESUME_PAGES) }),
      );
      expect(error.message).toMatch(/does not match its \.docx extension: it looks like a PDF/);
    });

    it('refuses an encrypted (OLE container) .docx or a legacy .doc renamed', async () => {
      const data = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]);
      const error = await refusal(extractResumeText({ filename: 'cv.docx', data }));
      expect(error.message).toMatch(/password-protected or a legacy \.doc/);
    });

    it('refuses a zip that is not a Word document', async () => {
      const data = await buildDocx([], {
        '[Content_Types].xml': null,
        'word/document.xml': null,
        'xl/workbook.xml': '<workbook/>',
      });
      const error = await refusal(extractResumeText({ filename: 'cv.docx', data }));
      expect(error.message).toBe('The .docx file is a zip archive but not a Word document');
    });

    it('refuses a DOCX whose parts declare gigabytes once unpacked, before opening it', async () => {
      const data = declareInflatedSize(await buildDocx(['Jane Doe']), 0x7fff_ffff);
      const error = await refusal(extractResumeText({ filename: 'cv.docx', data }));
      expect(error.message).toBe(
        'The .docx file is too large once unpacked: its parts inflate to more than 32 MB',
      );
    });

    it('refuses a DOCX whose main part is missing', async () => {
      const data = await buildDocx([], { 'word/document.xml': null, 'word/styles.xml': '<x/>' });
      const error = await refusal(extractResumeText({ filename: 'cv.docx', data }));
      expect(error.message).toMatch(/^The \.docx file could not be read/);
    });
  });

  describe('TXT', () => {
    it('collapses blanks, keeps lines and at most one empty line between paragraphs', async () => {
      const data = Buffer.from(
        '\ufeff  Jane\u00a0Doe \t\r\nSenior   Engineer\r\n\r\n\r\n\r\n• Built  things\f Page two  ',
      );
      const text = await extractResumeText({ filename: 'cv.txt', data });
      expect(text).toBe('Jane Doe\nSenior Engineer\n\n• Built things\n\nPage two');
    });

    it('refuses text that is not UTF-8', async () => {
      const data = Buffer.from('Ren\xe9 M\xfcller', 'latin1');
      const error = await refusal(extractResumeText({ filename: 'cv.txt', data }));
      expect(error.message).toBe('The .txt file is not UTF-8 text: save it as UTF-8');
    });

    it('refuses a PDF renamed .txt and binary content', async () => {
      const pdf = await refusal(
        extractResumeText({ filename: 'cv.txt', data: buildPdf(RESUME_PAGES) }),
      );
      expect(pdf.message).toMatch(/does not match its \.txt extension: it looks like a PDF/);
      const binary = await refusal(
        extractResumeText({ filename: 'cv.txt', data: Buffer.from([0x4a, 0x00, 0x44]) }),
      );
      expect(binary.message).toBe('The .txt file is binary, not text');
    });

    it('refuses a file of only whitespace', async () => {
      const error = await refusal(
        extractResumeText({ filename: 'cv.txt', data: Buffer.from(' \n\t\n') }),
      );
      expect(error.message).toBe('The .txt file has no text');
    });
  });

  it('refuses other types, files without an extension, empty and oversized files', async () => {
    const data = Buffer.from('Jane Doe');
    expect((await refusal(extractResumeText({ filename: 'cv.doc', data }))).message).toBe(
      "Unsupported file type '.doc': upload a .pdf, .docx or .txt file",
    );
    expect((await refusal(extractResumeText({ filename: 'resume', data }))).message).toBe(
      'Unsupported file type: upload a .pdf, .docx or .txt file',
    );
    expect(
      (await refusal(extractResumeText({ filename: 'cv.txt', data: Buffer.alloc(0) }))).message,
    ).toBe('The file is empty');
    const big = Buffer.alloc(MAX_RESUME_FILE_BYTES + 1, 0x61);
    expect((await refusal(extractResumeText({ filename: 'cv.txt', data: big }))).message).toBe(
      'The file is larger than 5 MB',
    );
  });
});

describe(`${extractResumeText.name} reader slots`, () => {
  jest.setTimeout(120_000);

  async function busy(call: Promise<unknown>): Promise<GatewayError | TaskError> {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof GatewayError || error instanceof TaskError)) {
      throw new Error('expected a coded error');
    }
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    return error;
  }

  it('reads files for the gateway key, else the client address', () => {
    expect(extractionOwnerOf({ keyId: 'k1', ip: '10.0.0.1' })).toBe('key:k1');
    expect(extractionOwnerOf({ ip: '10.0.0.1' })).toBe('ip:10.0.0.1');
    expect(extractionOwnerOf(undefined)).toBeUndefined();
  });

  it("serves key B's file before most of key A's eight, which were sent first", async () => {
    const file = { filename: 'cv.docx', data: await buildDocx(['Jane Doe']) };
    const limits = { concurrency: 2, perKeyConcurrency: 1, timeoutMs: 60_000 };
    const done: string[] = [];
    const read = (owner: string, label: string): Promise<void> =>
      extractResumeText(file, { owner, limits }).then(() => void done.push(label));
    const all = Array.from({ length: 8 }, (_, i) => read('key-a', `A${i + 1}`));
    all.push(read('key-b', 'B'));
    await Promise.all(all);
    // First come first served would put B behind all eight; its turn comes at once.
    expect(done.indexOf('B')).toBeLessThanOrEqual(2);
  });

  it('refuses a file when every reader is busy and the wait list is full (503 code, Retry-After)', async () => {
    const file = { filename: 'cv.docx', data: await buildDocx(['Jane Doe']) };
    const limits = { concurrency: 1, maxWaiting: 0, timeoutMs: 60_000 };
    const first = extractResumeText(file, { owner: 'key-a', limits });
    const error = await busy(extractResumeText(file, { owner: 'key-b', limits }));
    expect(error.code).toBe(TaskErrorCode.QUEUE_UNAVAILABLE);
    await expect(first).resolves.toBe('Jane Doe');
  });
});

describe(`${extractResumeText.name} without a reader process`, () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a retryable 503 code, not a 400, when no reader can be started', async () => {
    jest.spyOn(childProcess, 'spawn').mockImplementation(() => {
      const child = Object.assign(new EventEmitter(), {
        kill: () => true,
        send: (_message: unknown, done: (error: Error | null) => void) => {
          process.nextTick(() => done(new Error('channel closed')));
          return false;
        },
      });
      process.nextTick(() =>
        child.emit('error', Object.assign(new Error('spawn'), { code: 'EAGAIN' })),
      );
      return child as unknown as ChildProcess;
    });
    const error = await extractResumeText({
      filename: 'cv.pdf',
      data: buildPdf(RESUME_PAGES),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).code).toBe(TaskErrorCode.QUEUE_UNAVAILABLE);
    expect((error as TaskError).retryAfterMs).toBeGreaterThan(0);
  });
});

describe(extractInWorker.name, () => {
  it('reports a PDF over the page cap with its page count', async () => {
    await expect(extractInWorker('pdf', buildPdf(RESUME_PAGES), { maxPages: 1 })).resolves.toEqual({
      ok: false,
      reason: 'too-many-pages',
      pages: 2,
    });
  });

  it('stops a parser past its deadline and reports a timeout', async () => {
    // A zero deadline fires before the thread has even loaded pdf.js.
    await expect(extractInWorker('pdf', buildPdf(RESUME_PAGES), { timeoutMs: 0 })).resolves.toEqual(
      { ok: false, reason: 'timeout' },
    );
  });

  it('leaves the caller its buffer (the worker gets a copy)', async () => {
    const data = buildPdf(RESUME_PAGES);
    const before = Buffer.from(data);
    await extractInWorker('pdf', data);
    expect(data.equals(before)).toBe(true);
  });
});
