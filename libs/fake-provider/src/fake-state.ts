import type { FakeScript } from './fake-script';
import type { ScriptRequest } from './fake-script-queue';
import type { FakeBatchRecord } from './wire/openai-batches.wire';

/** A file uploaded to the fake (`POST /v1/files`) or written by it (a batch's output). */
export interface FakeStoredFile {
  id: string;
  filename: string;
  purpose: string;
  /** Unix seconds. */
  createdAt: number;
  expiresAt: number | null;
  content: Buffer;
}

/** How much the store keeps before it drops its oldest files (the embedded fake runs for long). */
export const FAKE_STORE_LIMITS = { files: 1_000, bytes: 256 * 1024 * 1024 };

/**
 * What one fake server keeps between requests: uploaded files and batches, so a test can
 * upload a file, batch it and read the output in later calls. Cleared with the server's
 * `reset()` / `clearStore()` and `DELETE /_fake/store`.
 */
export class FakeState {
  /** By id, oldest first (lists are served newest first). */
  readonly files = new Map<string, FakeStoredFile>();
  readonly batches = new Map<string, FakeBatchRecord>();
  private bytes = 0;

  /**
   * `scriptFor`: the script of a model call the fake makes for itself (a batch's lines),
   * taken from the queue as a request's would be.
   */
  constructor(readonly scriptFor: (request: ScriptRequest) => FakeScript) {}

  /** Stores a file, dropping the oldest ones past {@link FAKE_STORE_LIMITS}. */
  putFile(file: FakeStoredFile): void {
    this.files.set(file.id, file);
    this.bytes += file.content.length;
    for (const [id, oldest] of this.files) {
      if (this.files.size <= FAKE_STORE_LIMITS.files && this.bytes <= FAKE_STORE_LIMITS.bytes) {
        break;
      }
      if (id === file.id) break;
      this.deleteFile(id, oldest);
    }
  }

  /** Removes a file; false when there was none with that id. */
  deleteFile(id: string, file = this.files.get(id)): boolean {
    if (!file) return false;
    this.files.delete(id);
    this.bytes -= file.content.length;
    return true;
  }

  clear(): void {
    this.files.clear();
    this.batches.clear();
    this.bytes = 0;
  }
}
