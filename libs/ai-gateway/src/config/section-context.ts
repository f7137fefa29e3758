import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { validateSync } from 'class-validator';
import { ownKeyed } from './own-keyed';

export type Env = Readonly<Record<string, string | undefined>>;

/** Whitelisting reports keys the schema does not know, at any depth, as "unknown key". */
const VALIDATION = { forbidUnknownValues: false, whitelist: true, forbidNonWhitelisted: true };

/**
 * What a section gets while the configuration is read: the environment, and one list of
 * problems for every section, so a broken file is reported whole in one error.
 * Each problem is a line `path: what is wrong`.
 */
export class SectionContext {
  private readonly lines: string[] = [];
  /** Entries an env shortcut added, and the variable their problems are listed under. */
  private readonly fromEnv = new WeakMap<object, string>();

  constructor(readonly env: Env) {}

  /** Every problem so far, in the order found. */
  get problems(): readonly string[] {
    return this.lines;
  }

  report(line: string): void {
    this.lines.push(line);
  }

  /** A mapping, or `{}` when absent; anything else is reported and read as `{}`. */
  mapping(value: unknown, path: string): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.report(`${path}: must be a mapping`);
    return {};
  }

  /**
   * The schema class built from `plain` (fields coerced as they declare, defaults for what
   * is absent), every failed rule reported under `path`.
   */
  validate<T extends object>(type: new () => T, plain: Record<string, unknown>, path: string): T {
    const instance = plainToInstance(type, plain);
    for (const error of validateSync(instance, VALIDATION)) this.collect(error, path);
    return instance;
  }

  /** Marks an entry an env shortcut added: its problems are listed under `variable`. */
  markFromEnv(entry: object, variable: string): void {
    this.fromEnv.set(entry, variable);
  }

  /** The entries of a name-keyed mapping, each with the path its problems are listed under. */
  entries(value: unknown, path: string): Array<[name: string, value: unknown, path: string]> {
    return Object.entries(this.mapping(value, path)).map(([name, entry]) => [
      name,
      entry,
      (entry !== null && typeof entry === 'object' && this.fromEnv.get(entry)) || `${path}.${name}`,
    ]);
  }

  /** A name-keyed mapping of `type` entries (users, teams, routes…), without a prototype. */
  keyedMap<T extends object>(type: new () => T, value: unknown, path: string): Record<string, T> {
    const map = ownKeyed<T>();
    for (const [name, entry, at] of this.entries(value, path)) {
      map[name] = this.validate(type, { ...this.mapping(entry, at) }, at);
    }
    return map;
  }

  private collect(error: ValidationError, path: string): void {
    const here = `${path}.${error.property}`;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      this.report(`${here}: ${rule === 'whitelistValidation' ? 'unknown key' : message}`);
    }
    for (const child of error.children ?? []) this.collect(child, here);
  }
}
