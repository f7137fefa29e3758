import type { FakeScript } from './fake-script';
import type { ScriptRequest } from './fake-script-queue';

type Json = Record<string, unknown>;

/** The Batch object as the API shows it (the `openai` SDK's `Batch`). */
export interface FakeBatch {
  id: string;
  object: 'batch';
  endpoint: string;
  errors: { object: 'list'; data: Json[] } | null;
  input_file_id: string;
  completion_window: string;
  status: 'validating' | 'failed' | 'completed' | 'cancelling' | 'cancelled';
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Json | null;
  /** Known once the batch ran: the model its first request named. */
  model?: string;
  /** Known once the batch ran: the tokens of all its requests. */
  usage?: BatchUsage;
}

export interface BatchUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** A batch and what it needs to run later: the key it was created with (for scripts). */
export interface FakeBatchRecord {
  batch: FakeBatch;
  apiKey?: string;
}

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
