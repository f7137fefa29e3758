import { isJsonObject } from './json-resume';

/**
 * Reads a parsed model answer field by field, collecting a short problem sentence for
 * each field that does not fit (they go back to the model in the repair prompt). The
 * schema sent to the provider says the same, but not every provider enforces it, so the
 * answer is read as untrusted JSON.
 */
export class AnswerReader {
  readonly problems: string[] = [];

  /** Records a problem of the task's own rules (a quote not in the resume, …). */
  problem(sentence: string): void {
    this.problems.push(sentence);
  }

  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (isJsonObject(value)) return value;
    this.problems.push(`${path} must be an object`);
    return undefined;
  }

  /** A list of `min` to `max` items; an empty list (to go on reading) when it is not one. */
  list(value: unknown, path: string, min: number, max: number): unknown[] {
    if (!Array.isArray(value)) {
      this.problems.push(`${path} must be an array`);
      return [];
    }
    if (value.length < min || value.length > max) {
      this.problems.push(
        min === max
          ? `${path} must have exactly ${min} items (it has ${value.length})`
          : `${path} must have ${min} to ${max} items (it has ${value.length})`,
      );
    }
    return value;
  }

  /** A string; blank only with `allowEmpty`; at most `max` characters. */
  text(
    value: unknown,
    path: string,
    options: { allowEmpty?: boolean; max?: number } = {},
  ): string | undefined {
    if (typeof value !== 'string') {
      this.problems.push(`${path} must be a string`);
      return undefined;
    }
    if (!options.allowEmpty && value.trim() === '') {
      this.problems.push(`${path} must not be empty`);
      return undefined;
    }
    if (options.max !== undefined && value.length > options.max) {
      this.problems.push(`${path} must be at most ${options.max} characters`);
      return undefined;
    }
    return value;
  }

  choice<T extends string>(value: unknown, path: string, choices: readonly T[]): T | undefined {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) {
      return value as T;
    }
    this.problems.push(`${path} must be one of ${choices.join(', ')}`);
    return undefined;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (typeof value === 'boolean') return value;
    this.problems.push(`${path} must be true or false`);
    return undefined;
  }

  number(value: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) {
      return value;
    }
    this.problems.push(`${path} must be a number from ${min} to ${max}`);
    return undefined;
  }
}
