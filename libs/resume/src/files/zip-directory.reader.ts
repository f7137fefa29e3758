/** One entry of a zip's central directory, as the archive declares it. */
export interface ZipEntryInfo {
  name: string;
  /** Declared size once inflated (0xFFFFFFFF for zip64 entries: treat as too large). */
  uncompressedSize: number;
  /** 0 stored, 8 deflated; anything else is not read. */
  method: number;
  /** Bit 0 of the entry's flags: the part is encrypted. */
  encrypted: boolean;
  /** Bytes of the part as stored in the file (from the directory, within the file). */
  compressedSize: number;
  /** Where the part's data starts (past its local header). */
  dataOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_RECORD_BYTES = 22;
const ENTRY_HEADER_BYTES = 46;
const LOCAL_HEADER_BYTES = 30;
/** The end record sits within the last 22 bytes plus a comment of at most 64 KiB. */
const MAX_COMMENT_BYTES = 0xffff;

const utf8 = new TextDecoder('utf-8');

/**
 * Reads a zip's central directory — entry names, declared sizes and where each part's
 * data lies — without inflating anything, so a DOCX can be judged (is it Word? does it
 * claim gigabytes?) before a parser spends memory on it, and its parts inflated one by
 * one under a byte budget. Returns undefined when the bytes hold no readable directory or
 * an entry points outside the file.
 */
export function readZipDirectory(data: Uint8Array): ZipEntryInfo[] | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const lowest = Math.max(0, data.byteLength - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  for (let at = data.byteLength - END_RECORD_BYTES; at >= lowest; at--) {
    if (view.getUint32(at, true) !== END_OF_DIRECTORY) continue;
    const count = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 12, true);
    const offset = view.getUint32(at + 16, true);
    if (offset + size > at) return undefined;
    const entries: ZipEntryInfo[] = [];
    let cursor = offset;
    for (let i = 0; i < count; i++) {
      if (cursor + ENTRY_HEADER_BYTES > at) return undefined;
      if (view.getUint32(cursor, true) !== DIRECTORY_ENTRY) return undefined;
      const nameLength = view.getUint16(cursor + 28, true);
      const extraLength = view.getUint16(cursor + 30, true);
      const commentLength = view.getUint16(cursor + 32, true);
      const nameStart = cursor + ENTRY_HEADER_BYTES;
      if (nameStart + nameLength > at) return undefined;
      const local = view.getUint32(cursor + 42, true);
      const compressedSize = view.getUint32(cursor + 20, true);
      if (local + LOCAL_HEADER_BYTES > offset) return undefined;
      if (view.getUint32(local, true) !== LOCAL_HEADER) return undefined;
      const dataOffset =
        local +
        LOCAL_HEADER_BYTES +
        view.getUint16(local + 26, true) +
        view.getUint16(local + 28, true);
      if (dataOffset + compressedSize > offset) return undefined;
      entries.push({
        name: utf8.decode(data.subarray(nameStart, nameStart + nameLength)),
        uncompressedSize: view.getUint32(cursor + 24, true),
        method: view.getUint16(cursor + 10, true),
        encrypted: (view.getUint16(cursor + 8, true) & 1) === 1,
        compressedSize,
        dataOffset,
      });
      cursor = nameStart + nameLength + extraLength + commentLength;
    }
    return entries;
  }
  return undefined;
}
