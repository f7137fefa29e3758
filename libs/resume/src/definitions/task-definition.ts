import type { OutputSchema } from './output-schema';
import type { PromptTemplate } from './prompt-template';

/** Types an input field of a YAML task may have. */
export const INPUT_FIELD_TYPES = ['string', 'number', 'boolean', 'string[]'] as const;
export type InputFieldType = (typeof INPUT_FIELD_TYPES)[number];

/** One field of a YAML task's input (`input: [{ name, type, required, maxLength }]`). */
export interface InputField {
  name: string;
  type: InputFieldType;
  required: boolean;
  /** Strings: characters; `string[]`: characters per item. */
  maxLength: number;
  /** `string[]` only: items at most. */
  maxItems: number;
}

/** `quotedFrom`: every string at `path` of the answer must appear in that input field. */
export interface QuoteRule {
  /** Output path as written (`evidence[]`, `findings[].quote`). */
  path: string;
  /** Property names, each marked when it is a list whose items are walked. */
  segments: ReadonlyArray<{ property: string; each: boolean }>;
  quotedFrom: string;
}

/** A task defined in YAML with no code, checked at boot. */
export interface TaskDefinition {
  /** The task type of `POST /v1/tasks`, also the schema name sent to providers. */
  name: string;
  description: string;
  /** The file it was read from (boot messages). */
  source: string;
  /** Model or route of this task unless `tasks.routes.<name>` or the caller says otherwise. */
  model?: string;
  input: InputField[];
  prompt: { system: PromptTemplate; user: PromptTemplate };
  output: { schema: OutputSchema; rules: QuoteRule[] };
}
