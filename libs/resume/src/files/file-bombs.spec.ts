import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import JSZip from 'jszip';
import { buildDocxBomb, buildPdfFlateBomb } from './file-bomb.fixtures';
import { extractResumeText } from './resume-file.extractor';
import { buildDocx } from './resume-file.fixtures';

const MIB = 1024 * 1024;

jest.setTimeout(120_000);

async function failure(call: Promise<unknown>): Promise<GatewayError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GatewayError))
    throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

/** Runs `work` and reports how far this process's resident set rose above where it started. */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage.rss()) - before;
}

describe('file bombs', () => {
  it('refuses a DOCX whose document.xml inflates past the budget while declaring 2 KB (400)', async () => {
    // 64 MiB of blanks in ~64 KB: the directory's sizes pass, the counted bytes do not.
    const data = await buildDocxBomb(64 * MIB);
    const error = await failure(
      extractResumeText(
        { filename: 'cv.docx', data },
        { limits: { maxInflatedBytes: 8 * MIB, timeoutMs: 60_000 } },
      ),
    );
    expect(error.code).toBe(GatewayErrorCode.INVALID_REQUEST);
    expect(error.param).toBe('input.file');
    expect(error.message).toBe(
      'The .docx file is too large once unpacked: its parts inflate to more than 8 MB',
    );
  });

  it('still reads a DOCX under the budget, stored parts included', async () => {
    const deflated = await buildDocx(['Jane Doe', 'Engineer']);
    const stored = await (
      await JSZip.loadAsync(deflated)
    ).generateAsync({ type: 'nodebuffer', compression: 'STORE' });
    for (const data of [deflated, stored]) {
      await expect(
        extractResumeText(
          { filename: 'cv.docx', data },
          { limits: { maxInflatedBytes: MIB, timeoutMs: 60_000 } },
        ),
      ).resolves.toBe('Jane Doe\n\nEngineer');
    }
  });

  it('reads a PDF Flate bomb in a reader killed at its memory limit, outside this process (400)', async () => {
    // 1 GiB of blanks in one content stream (~1 MB of PDF); the reader may use 160 MiB.
    const data = await buildPdfFlateBomb(1024 * MIB);
    let error: GatewayError | undefined;
    const growth = await peakRssGrowth(async () => {
      error = await failure(
        extractResumeText(
          { filename: 'cv.pdf', data },
          { limits: { memoryMb: 160, timeoutMs: 60_000 } },
        ),
      );
    });
    expect(error?.code).toBe(GatewayErrorCode.INVALID_REQUEST);
    expect(error?.message).toBe(
      'The PDF needs more than 160 MB of memory to read, the limit for one file: it is too ' +
        'complex or inflates to too much data',
    );
    // In-process parsing (a worker thread) held hundreds of MB of inflated stream here.
    expect(growth).toBeLessThan(100 * MIB);
  });

  it('keeps the inflated data of two DOCX bombs in parallel out of this process', async () => {
    const data = await buildDocxBomb(256 * MIB);
    const growth = await peakRssGrowth(async () => {
      const errors = await Promise.all(
        [1, 2].map(() =>
          failure(
            extractResumeText(
              { filename: 'cv.docx', data },
              { limits: { maxInflatedBytes: 32 * MIB, timeoutMs: 60_000 } },
            ),
          ),
        ),
      );
      for (const error of errors) expect(error.message).toMatch(/more than 32 MB$/);
    });
    expect(growth).toBeLessThan(100 * MIB);
  });
});
