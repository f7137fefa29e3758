/**
 * Types of `@jsonresume/schema` (the official JSON Resume schema and its validator), which
 * ships plain JavaScript. Only what the resume tasks use is declared.
 */
declare module '@jsonresume/schema' {
  /** One failed rule, as the package's `jsonschema` validator reports it. */
  export interface JsonResumeValidationError {
    /** `instance.work[0].startDate` */
    property: string;
    message: string;
    path: Array<string | number>;
  }

  /** Validates a resume; the callback runs synchronously, with `null` errors when valid. */
  export function validate(
    resume: unknown,
    callback: (errors: JsonResumeValidationError[] | null, valid: boolean) => void,
  ): void;

  /** The JSON Resume schema (draft-07) the validator checks against. */
  export const schema: Record<string, unknown>;
  export const jobSchema: Record<string, unknown>;
}
