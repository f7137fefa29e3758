import { mkdir, open, readFile, rename, stat, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { UsageBuffer, UsageBufferClaim } from './usage-buffer';
import { parseBufferedRow } from './usage-buffer';
import type { UsageRow } from './usage-row';

/** Bytes read per step while claiming or counting. */
const CHUNK = 256 * 1024;
const NEWLINE = 0x0a;

interface FileClaim {
  token: string;
  /** Byte offset just past the claim's last line. */
  end: number;
  lines: number;
}

/**
 * The {@link UsageBuffer} of a single instance without Redis: an append-only JSONL file
 * (each push synced to disk) and a small `<file>.offset` holding where the unwritten
 * rows start. Acknowledging a claim moves the offset; once everything is written the
 * file is truncated. A crash between a write and the offset update replays rows, which
 * the idempotent insert ignores. One process per file.
 */
export class FileUsageBuffer implements UsageBuffer {
  readonly kind = 'file';
  private readonly offsetPath: string;
  private ready?: Promise<void>;
  private queue: Promise<unknown> = Promise.resolve();
  private offset = 0;
  private bytes = 0;
  /** Lines after the offset, the claimed ones included. */
  private lines = 0;
  private claimed?: FileClaim;
  private sequence = 0;

  constructor(
    private readonly path: string,
    private readonly limit: number,
  ) {
    this.offsetPath = `${path}.offset`;
  }

  push(rows: readonly UsageRow[]): Promise<number> {
    return this.exclusive(async () => {
      const accepted = Math.max(0, Math.min(rows.length, this.limit - this.lines));
      if (accepted === 0) return 0;
      let text = '';
      for (let i = 0; i < accepted; i++) text += `${JSON.stringify(rows[i])}\n`;
      const data = Buffer.from(text);
      const file = await open(this.path, 'a');
      try {
        await file.write(data);
        await file.datasync();
      } finally {
        await file.close();
      }
      this.bytes += data.length;
      this.lines += accepted;
      return accepted;
    });
  }

  claim(max: number): Promise<UsageBufferClaim | undefined> {
    return this.exclusive(async () => {
      if (this.claimed || this.offset >= this.bytes) return undefined;
      const { entries, end, consumed } = await this.readLines(max);
      if (consumed === 0) return undefined;
      const rows: UsageRow[] = [];
      for (const entry of entries) {
        const row = parseBufferedRow(entry);
        if (row) rows.push(row);
      }
      const token = String(++this.sequence);
      this.claimed = { token, end, lines: consumed };
      return { token, rows, unreadable: entries.length - rows.length };
    });
  }

  ack(claim: UsageBufferClaim): Promise<void> {
    return this.exclusive(async () => {
      const current = this.claimed;
      if (current?.token !== claim.token) return;
      this.claimed = undefined;
      this.offset = current.end;
      this.lines -= current.lines;
      if (this.offset >= this.bytes) {
        // Everything is written: start the file over instead of letting it grow.
        await truncate(this.path, 0);
        this.offset = 0;
        this.bytes = 0;
        this.lines = 0;
      }
      await this.saveOffset();
    });
  }

  release(claim: UsageBufferClaim): Promise<void> {
    return this.exclusive(() => {
      if (this.claimed?.token === claim.token) this.claimed = undefined;
      return Promise.resolve();
    });
  }

  size(): Promise<number> {
    return this.exclusive(() => Promise.resolve(this.lines - (this.claimed?.lines ?? 0)));
  }

  /** Runs `task` after every earlier operation (one at a time), initializing first. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.ready ??= this.load();
    const run = this.queue.then(() => this.ready).then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Reads the offset, the file size and the number of waiting lines (once). */
  private async load(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    try {
      this.bytes = (await stat(this.path)).size;
    } catch {
      this.bytes = 0;
    }
    try {
      const saved = Number.parseInt(await readFile(this.offsetPath, 'utf8'), 10);
      this.offset = Number.isFinite(saved) && saved >= 0 && saved <= this.bytes ? saved : 0;
    } catch {
      this.offset = 0;
    }
    if (this.bytes > 0 && (await this.byteAt(this.bytes - 1)) !== NEWLINE) {
      // A torn last line (crash mid-append): end it so the next row starts clean.
      await writeFile(this.path, '\n', { flag: 'a' });
      this.bytes += 1;
    }
    this.lines = await this.countLines();
  }

  private async byteAt(position: number): Promise<number> {
    const file = await open(this.path, 'r');
    try {
      const one = Buffer.alloc(1);
      await file.read(one, 0, 1, position);
      return one[0];
    } finally {
      await file.close();
    }
  }

  private async countLines(): Promise<number> {
    if (this.offset >= this.bytes) return 0;
    const file = await open(this.path, 'r');
    try {
      const chunk = Buffer.alloc(CHUNK);
      let lines = 0;
      for (let at = this.offset; at < this.bytes;) {
        const { bytesRead } = await file.read(chunk, 0, CHUNK, at);
        if (bytesRead === 0) break;
        for (let i = 0; i < bytesRead; i++) if (chunk[i] === NEWLINE) lines++;
        at += bytesRead;
      }
      return lines;
    } finally {
      await file.close();
    }
  }

  /**
   * Up to `max` non-empty complete lines from the offset, the byte offset after the last
   * and how many lines (blank ones included) that spans.
   */
  private async readLines(
    max: number,
  ): Promise<{ entries: string[]; end: number; consumed: number }> {
    const file = await open(this.path, 'r');
    try {
      const entries: string[] = [];
      let end = this.offset;
      let consumed = 0;
      let carry = Buffer.alloc(0);
      const chunk = Buffer.alloc(CHUNK);
      for (let at = this.offset; at < this.bytes && entries.length < max;) {
        const { bytesRead } = await file.read(chunk, 0, Math.min(CHUNK, this.bytes - at), at);
        if (bytesRead === 0) break;
        at += bytesRead;
        const data =
          carry.length > 0
            ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
            : chunk.subarray(0, bytesRead);
        let start = 0;
        for (
          let nl = data.indexOf(NEWLINE);
          nl !== -1 && entries.length < max;
          nl = data.indexOf(NEWLINE, start)
        ) {
          const line = data.toString('utf8', start, nl);
          if (line !== '') entries.push(line);
          end += nl + 1 - start;
          consumed++;
          start = nl + 1;
        }
        carry = Buffer.from(data.subarray(start));
      }
      return { entries, end, consumed };
    } finally {
      await file.close();
    }
  }

  /** Writes the offset atomically (a temp file renamed over the old one). */
  private async saveOffset(): Promise<void> {
    const temp = `${this.offsetPath}.tmp`;
    await writeFile(temp, String(this.offset));
    await rename(temp, this.offsetPath);
  }
}
