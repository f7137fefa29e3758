/** One entry of a zip's central directory, as the archive declares it. */
export interface ZipEntryInfo {
  name: string;
  /** Declared size once inflated (0xFFFFFFFF for zip64 entries: treat as too large). */
  uncompressedSize: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const END_RECORD_BYTES = 22;
const ENTRY_HEADER_BYTES = 46;
/** The end record sits within the last 22 bytes plus a comment of at most 64 KiB. */
const MAX_COMMENT_BYTES = 0xffff;

const utf8 = new TextDecoder('utf-8');

/**
 * Reads a zip's central directory — entry names and declared sizes — without inflating
 * anything, so a DOCX can be judged (is it Word? would it inflate to gigabytes?) before a
 * parser spends memory on it. Returns undefined when the bytes hold no readable directory.
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
      entries.push({
        name: utf8.decode(data.subarray(nameStart, nameStart + nameLength)),
        uncompressedSize: view.getUint32(cursor + 24, true),
      });
      cursor = nameStart + nameLength + extraLength + commentLength;
    }
    return entries;
  }
  return undefined;
}
