import type { FakeScript, QueuedScript } from './fake-script';
import type { FakeOperation } from './fake-operation';

/** What a queued script is matched against. */
export interface ScriptRequest {
  format: string;
  operation: FakeOperation;
  model?: string;
  apiKey?: string;
}

/**
 * Scripts queued for coming requests (`enqueue()`, `POST /_fake/scripts`): the first entry
 * that matches a model call serves it, `times` times, or a `probability` share of them.
 */
export class FakeScriptQueue {
  private readonly entries: QueuedScript[] = [];

  /** `random`: the draws behind `probability` (seedable, so faults repeat run to run). */
  constructor(private readonly random: () => number) {}

  add(entry: QueuedScript): void {
    this.entries.push(entry);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** The script for this request, if a queued one applies; uses up one of its `times`. */
  take(request: ScriptRequest): FakeScript | undefined {
    if (request.operation === 'models') return undefined;
    const index = this.entries.findIndex(
      ({ match, probability }) =>
        (!match?.model || match.model === request.model) &&
        (!match?.format || match.format === request.format) &&
        (!match?.apiKey || match.apiKey === request.apiKey) &&
        (!match?.operation || match.operation === request.operation) &&
        // Drawn last, and only for entries with a probability, so seeded runs repeat.
        (probability === undefined || this.random() < probability),
    );
    if (index < 0) return undefined;
    const entry = this.entries[index];
    if (entry.times > 0 && --entry.times === 0) this.entries.splice(index, 1);
    return entry.script;
  }
}
