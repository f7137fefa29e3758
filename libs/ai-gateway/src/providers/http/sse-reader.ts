/**
 * Incremental Server-Sent Events reader: feed it decoded text as it arrives and it
 * yields each event's `data` payload (multi-line data joined by `\n`). Only `data:`
 * lines matter to the OpenAI-style streams the gateway reads; comments and `event:`
 * names are skipped.
 */
export class SseReader {
  private buffer = '';
  private data: string[] = [];

  /** Returns the data payloads completed by this piece of text. */
  push(text: string): string[] {
    this.buffer += text;
    const events: string[] = [];
    let start = 0;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n', start)) !== -1) {
      let line = this.buffer.slice(start, newline);
      start = newline + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (this.data.length > 0) {
          events.push(this.data.join('\n'));
          this.data = [];
        }
      } else if (line.startsWith('data:')) {
        this.data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
      }
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    return events;
  }

  /** Data of an event left unterminated when the stream ended, if any. */
  flush(): string | undefined {
    const line = this.buffer.startsWith('data:')
      ? this.buffer.slice(this.buffer.charCodeAt(5) === 32 ? 6 : 5)
      : undefined;
    if (line !== undefined) this.data.push(line);
    this.buffer = '';
    const last = this.data.length > 0 ? this.data.join('\n') : undefined;
    this.data = [];
    return last;
  }
}
