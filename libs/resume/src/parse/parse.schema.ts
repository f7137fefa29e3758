import { MAX_RESUME_FILE_BYTES, RESUME_FILE_EXTENSIONS } from '../files/resume-file.extractor';
import { invalidInput, requireInputObject, requireText } from '../task-input.validators';

/** A resume file sent inline (base64), to be turned into text before the task runs. */
export interface ResumeFileInput {
  /** Name with its extension (`.pdf`, `.docx` or `.txt`), which decides how it is read. */
  filename: string;
  contentBase64: string;
}

/**
 * Input of the `parse` task: the resume as text, or as a file (exactly one). A file is
 * turned into text by `prepare()`, so a queued job always carries `resumeText`.
 */
export type ParseTaskInput = { resumeText: string } | { file: ResumeFileInput };

const FIELDS = ['resumeText', 'file'] as const;
const FILE_FIELDS = ['filename', 'contentBase64'] as const;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks a `parse` input; throws `GatewayError` `INVALID_REQUEST` naming the field. */
export function validateParseInput(input: unknown): ParseTaskInput {
  const object = requireInputObject(input, FIELDS);
  if (object.file === undefined) return { resumeText: requireText(object, 'resumeText') };
  if (object.resumeText !== undefined) {
    invalidInput('file', "must not be given together with 'input.resumeText' (send one)");
  }
  return { file: validateFile(object.file) };
}

function validateFile(value: unknown): ResumeFileInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidInput('file', 'must be an object with filename and contentBase64');
  }
  const file = value as Record<string, unknown>;
  for (const key of Object.keys(file)) {
    if (!(FILE_FIELDS as readonly string[]).includes(key)) {
      invalidInput(`file.${key}`, `is not a known field (expected ${FILE_FIELDS.join(', ')})`);
    }
  }
  const filename = file.filename;
  if (typeof filename !== 'string' || filename.trim() === '' || filename.length > 255) {
    invalidInput('file.filename', 'must be a file name of 1 to 255 characters');
  }
  const extension = /\.[^.]+$/.exec(filename.toLowerCase())?.[0];
  if (!extension || !(RESUME_FILE_EXTENSIONS as readonly string[]).includes(extension)) {
    invalidInput('file.filename', `must end in ${RESUME_FILE_EXTENSIONS.join(', ')}`);
  }
  const content = file.contentBase64;
  if (typeof content !== 'string' || content === '') {
    invalidInput('file.contentBase64', 'is required and must be a non-empty base64 string');
  }
  // Checked by arithmetic before anything is decoded: an oversized upload costs no memory.
  if (decodedBytes(content) > MAX_RESUME_FILE_BYTES) {
    invalidInput(
      'file.contentBase64',
      `must decode to at most ${MAX_RESUME_FILE_BYTES} bytes (5 MB)`,
    );
  }
  if (content.length % 4 !== 0 || !BASE64.test(content)) {
    invalidInput('file.contentBase64', 'must be standard base64 (A–Z, a–z, 0–9, +, /, = padding)');
  }
  return { filename, contentBase64: content };
}

/** Bytes a base64 string decodes to. */
export function decodedBytes(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}
