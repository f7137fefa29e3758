import { createDeflate, createDeflateRaw, deflateRawSync } from 'node:zlib';

/**
 * Test fixtures: files that are small on the wire and huge once inflated, built at test
 * time (nothing big is checked in). Both deflate a run of one byte, which compresses about
 * 1,000 to 1, so a 4.5 GB part fits in a 4.4 MB upload.
 */

const CHUNK = 1024 * 1024;

/** Deflates `bytes` copies of `fill` in 1 MiB chunks (never holding them all). */
async function deflateRun(bytes: number, fill: number, raw: boolean): Promise<Buffer> {
  const stream = raw ? createDeflateRaw({ level: 9 }) : createDeflate({ level: 9 });
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const chunk = Buffer.alloc(CHUNK, fill);
  for (let left = bytes; left > 0; left -= CHUNK) {
    const piece = left >= CHUNK ? chunk : chunk.subarray(0, left);
    if (!stream.write(piece)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  await done;
  return Buffer.concat(out);
}

interface ZipPart {
  name: string;
  /** Raw-deflated bytes. */
  deflated: Buffer;
  /** What the directory claims (a bomb lies here). */
  declaredSize: number;
}

/**
 * A zip written by hand, so a part's declared size can lie. CRCs are left at zero:
 * JSZip (mammoth's reader) checks them only on request, and a bomb's checker must not
 * rely on them either.
 */
function writeZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(part.deflated.length, 18);
    local.writeUInt32LE(part.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(part.deflated.length, 20);
    central.writeUInt32LE(part.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, part.deflated);
    directory.push(central, name);
    offset += local.length + name.length + part.deflated.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  '</Relationships>';

function smallPart(name: string, text: string): ZipPart {
  return { name, deflated: deflateRawSync(Buffer.from(text)), declaredSize: text.length };
}

/**
 * A DOCX whose `word/document.xml` inflates to `inflatedBytes` (blanks inside one text
 * run) while its directory declares 2 KB: the declared-size check passes, the data does not.
 */
export async function buildDocxBomb(inflatedBytes: number): Promise<Buffer> {
  const head =
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    '<w:body><w:p><w:r><w:t>';
  // The head is deflated as its own block run, then the blanks: one raw deflate stream.
  const body = await deflateRun(inflatedBytes, 0x20, true);
  const headBlock = deflateRawSync(Buffer.from(head), { finishFlush: 2 /* Z_SYNC_FLUSH */ });
  return writeZip([
    smallPart('[Content_Types].xml', CONTENT_TYPES),
    smallPart('_rels/.rels', RELS),
    { name: 'word/document.xml', deflated: Buffer.concat([headBlock, body]), declaredSize: 2048 },
  ]);
}

/**
 * A one-page PDF whose content stream is FlateDecode of `inflatedBytes` blanks: valid
 * PDF, a text-free page, and pdf.js inflates the whole stream to read it.
 */
export async function buildPdfFlateBomb(inflatedBytes: number): Promise<Buffer> {
  const stream = await deflateRun(inflatedBytes, 0x20, false);
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>'),
    Buffer.concat([
      Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`),
      stream,
      Buffer.from('\nendstream'),
    ]),
  ];
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  let at = chunks[0].length;
  const offsets: number[] = [];
  for (const [i, object] of objects.entries()) {
    offsets.push(at);
    const piece = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      object,
      Buffer.from('\nendobj\n'),
    ]);
    chunks.push(piece);
    at += piece.length;
  }
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`);
  chunks.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries.join('')}` +
        `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`,
    ),
  );
  return Buffer.concat(chunks);
}
