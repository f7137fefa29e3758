/**
 * The program of the extraction child process, plain JavaScript run with `node -e`: it
 * needs no build step, and it loads the ESM-only pdf.js with Node's own loader — also
 * under Jest, whose module system cannot load ESM without `--experimental-vm-modules`.
 *
 * It answers one job over IPC and is then killed. Memory is bounded three ways:
 * - the V8 heap by `--max-old-space-size` (set by the parent);
 * - everything else (ArrayBuffers, which hold inflated data and are outside the heap) by
 *   a watchdog thread that reads the process's resident set every few milliseconds and
 *   SIGKILLs the process past its limit — a thread, so it runs while the main thread is
 *   busy inflating synchronously (it also ends an orphan past its deadline);
 * - a DOCX's parts by a byte budget: they are inflated here with `maxOutputLength`
 *   (actual bytes, never the sizes the zip declares), and mammoth is handed a stored
 *   (uncompressed) copy, so it inflates nothing itself.
 * pdf.js runs its parser in this thread ("fake worker"); fonts and CMaps come from the
 * package on disk, never the network. Errors are reduced to a reason: their text is not
 * needed and may quote the file.
 */
export const CHILD_SOURCE = String.raw`
'use strict';
const { Worker } = require('node:worker_threads');
const zlib = require('node:zlib');

// Also ends the process a little after its deadline, should its parent (which kills it at
// the deadline) be gone: the main thread may be too busy to notice.
const WATCHDOG = [
  "const { workerData: { maxRssBytes, deadline } } = require('node:worker_threads');",
  'setInterval(() => {',
  '  if (process.memoryUsage.rss() > maxRssBytes || Date.now() > deadline) {',
  "    process.kill(process.pid, 'SIGKILL');",
  '  }',
  '}, 5);',
].join('\n');

async function pdfText(bytes, paths, maxPages) {
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

/** Inflates every part within the budget; undefined when one cannot be read. */
function inflateParts(bytes, entries, budget) {
  const parts = [];
  let total = 0;
  for (const entry of entries) {
    if (entry.encrypted) return { ok: false, reason: 'encrypted' };
    const packed = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
    let data;
    if (entry.method === 0) {
      data = packed;
    } else if (entry.method === 8) {
      try {
        // One byte over what is left: reaching it proves the budget is exceeded.
        data = zlib.inflateRawSync(packed, { maxOutputLength: budget - total + 1 });
      } catch (error) {
        if (error && error.code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, reason: 'inflates-too-much' };
        return { ok: false, reason: 'unreadable' };
      }
    } else {
      return { ok: false, reason: 'unreadable' };
    }
    total += data.length;
    if (total > budget) return { ok: false, reason: 'inflates-too-much' };
    if (!entry.name.endsWith('/')) parts.push([entry.name, data]);
  }
  return { ok: true, parts };
}

async function docxText(bytes, paths, entries, maxInflatedBytes) {
  const inflated = inflateParts(bytes, entries, maxInflatedBytes);
  if (!inflated.ok) return inflated;
  const JSZip = require(paths.jszip);
  const zip = new JSZip();
  for (const [name, data] of inflated.parts) zip.file(name, data);
  const stored = await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
  const mammoth = require(paths.mammoth);
  const result = await mammoth.extractRawText({ buffer: stored });
  return { ok: true, text: result.value };
}

process.once('message', (job) => {
  const deadline = Date.now() + job.timeoutMs + 5000;
  const watchdog = new Worker(WATCHDOG, {
    eval: true,
    workerData: { maxRssBytes: job.maxRssBytes, deadline },
  });
  // Nothing is inflated before the watchdog is running. It keeps the process alive until
  // the parent, having the answer, kills it.
  watchdog.once('online', () => {
    const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
    const work = job.kind === 'pdf'
      ? pdfText(new Uint8Array(bytes), job.paths, job.maxPages)
      : docxText(bytes, job.paths, job.entries, job.maxInflatedBytes);
    work.then(
      (outcome) => process.send(outcome),
      () => process.send({ ok: false, reason: 'unreadable' }),
    );
  });
});
`;
