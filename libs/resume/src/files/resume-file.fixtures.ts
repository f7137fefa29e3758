import { createHash } from 'node:crypto';
import JSZip from 'jszip';

/** The password padding of the PDF standard security handler (PDF 1.7, 7.6.3.3). */
const PASSWORD_PADDING = Buffer.from(
  '28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
  'hex',
);

/** Options of {@link buildPdf}. */
export interface PdfOptions {
  /** Encrypts the file (RC4 40-bit, revision 2) so it opens only with this password. */
  userPassword?: string;
}

/**
 * A minimal valid PDF written by hand: one page per entry of `pages`, each line a text
 * object in Helvetica (a standard font: nothing embedded). A page with no lines carries a
 * drawn line instead of text, like a scan without a text layer. The xref offsets are
 * computed from the bytes written, so pdf.js opens it without repairing anything.
 */
export function buildPdf(pages: string[][], options: PdfOptions = {}): Buffer {
  const firstPage = 4;
  const objects: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${firstPage + 2 * i} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  for (const [i, lines] of pages.entries()) {
    const content =
      lines.length === 0
        ? '72 720 m 300 720 l S'
        : `BT /F1 12 Tf 14 TL 72 720 Td ${lines.map((line) => `(${pdfString(line)}) Tj T*`).join(' ')} ET`;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${firstPage + 2 * i + 1} 0 R ` +
        '/Resources << /Font << /F1 3 0 R >> >> >>',
      `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    );
  }
  let trailerExtra = '';
  if (options.userPassword !== undefined) {
    const id = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const { o, u } = standardSecurity(options.userPassword, `${options.userPassword}-owner`, id);
    objects.push(`<< /Filter /Standard /V 1 /R 2 /O <${o}> /U <${u}> /P -44 >>`);
    trailerExtra = ` /Encrypt ${objects.length} 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>]`;
  }

  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [i, object] of objects.entries()) {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(body, 'latin1');
  // Each xref entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, EOL.
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`);
  body +=
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries.join('')}` +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${trailerExtra} >>\n` +
    `startxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function pdfString(text: string): string {
  return text.replace(/[\\()]/g, (c) => `\\${c}`);
}

/** `/O` and `/U` of the standard security handler, revision 2 (PDF 1.7, algorithms 2, 3, 4). */
function standardSecurity(user: string, owner: string, id: Buffer): { o: string; u: string } {
  const padded = (password: string): Buffer =>
    Buffer.concat([Buffer.from(password, 'latin1'), PASSWORD_PADDING]).subarray(0, 32);
  const md5 = (...parts: Buffer[]): Buffer =>
    createHash('md5').update(Buffer.concat(parts)).digest();
  const o = rc4(md5(padded(owner)).subarray(0, 5), padded(user));
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(-44);
  const key = md5(padded(user), o, permissions, id).subarray(0, 5);
  const u = rc4(key, PASSWORD_PADDING);
  return { o: o.toString('hex'), u: u.toString('hex') };
}

/** RC4, written out: OpenSSL 3 ships it only in its legacy provider. */
function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
    out[n] = data[n] ^ s[(s[i] + s[j]) & 0xff];
  }
  return out;
}

/**
 * A minimal valid DOCX (the three parts Word needs), one paragraph per entry; an entry
 * may contain `\t` for a tab run. `parts` adds or replaces parts (e.g. to drop the body).
 */
export async function buildDocx(
  paragraphs: string[],
  parts: Record<string, string | null> = {},
): Promise<Buffer> {
  const zip = new JSZip();
  const all: Record<string, string | null> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '</Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
    'word/document.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
      paragraphs.map(docxParagraph).join('') +
      '</w:body></w:document>',
    ...parts,
  };
  for (const [name, content] of Object.entries(all)) if (content !== null) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

function docxParagraph(text: string): string {
  const runs = text
    .split('\t')
    .map((piece) => `<w:t xml:space="preserve">${xmlText(piece)}</w:t>`)
    .join('<w:tab/>');
  return `<w:p><w:r>${runs}</w:r></w:p>`;
}

function xmlText(text: string): string {
  return text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] ?? c);
}

/**
 * Rewrites the declared inflated size of every central-directory entry, as a zip bomb's
 * directory would read (the data itself stays small).
 */
export function declareInflatedSize(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let at = out.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0;) {
    out.writeUInt32LE(size, at + 24);
    at = out.indexOf('PK\x01\x02', at + 46, 'latin1');
  }
  return out;
}
