import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { TaskError, TaskErrorCode } from '../errors/task.error';
import { TASK_NAME } from '../task.decorator';
import { readInputFields } from './defined-input';
import { readOutputSchema } from './output-schema';
import { compileTemplate } from './prompt-template';
import { readQuoteRules } from './quote-rules';
import type { TaskDefinition } from './task-definition';

const TOP_KEYS = ['name', 'description', 'model', 'input', 'prompt', 'output'];
const PROMPT_KEYS = ['system', 'user'];
const OUTPUT_KEYS = ['schema', 'rules'];
/** A definition is a page of YAML; anything near this size is a mistake. */
const MAX_FILE_BYTES = 256 * 1024;

/**
 * Reads the YAML task definitions of `tasks.definitions` (paths relative to the working
 * directory). Every problem of every file is collected, then thrown at once as
 * `INVALID_DEFINITION` (`<file>: <path>: <reason>` per line), so one boot lists them all.
 */
export function loadTaskDefinitions(paths: readonly string[]): TaskDefinition[] {
  const problems: string[] = [];
  const definitions: TaskDefinition[] = [];
  for (const path of paths) {
    const found: string[] = [];
    const definition = readDefinitionFile(path, found);
    problems.push(...found.map((problem) => `${path}: ${problem}`));
    if (definition && found.length === 0) definitions.push(definition);
  }
  if (problems.length > 0) {
    throw new TaskError(
      TaskErrorCode.INVALID_DEFINITION,
      `Invalid task definitions (tasks.definitions), ${problems.length} problem(s):\n  ${problems.join('\n  ')}`,
    );
  }
  return definitions;
}

function readDefinitionFile(path: string, problems: string[]): TaskDefinition | undefined {
  let text: string;
  try {
    const file = resolve(path);
    if (statSync(file).size > MAX_FILE_BYTES) {
      problems.push(`the file is larger than ${MAX_FILE_BYTES} bytes`);
      return undefined;
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    problems.push(...document.errors.map((e) => `YAML: ${e.message.split(':\n')[0]}`));
    return undefined;
  }
  return readDefinition(document.toJS({ maxAliasCount: 100 }), path, problems);
}

/** Checks one parsed definition; `problems` gets `<path>: <reason>` for each fault. */
export function readDefinition(
  raw: unknown,
  source: string,
  problems: string[],
): TaskDefinition | undefined {
  const top = mapping(raw, '(the file)', TOP_KEYS, problems);
  if (!top) return undefined;
  const { name, description, model } = top;
  if (typeof name !== 'string' || !TASK_NAME.test(name)) {
    problems.push('name: must match [a-z][a-z0-9_]* (64 characters at most)');
  }
  if (typeof description !== 'string' || description.trim() === '' || description.length > 1_000) {
    problems.push('description: must be a text of 1 to 1000 characters');
  }
  if (model !== undefined && (typeof model !== 'string' || model === '' || model.length > 256)) {
    problems.push('model: must be a model or route name (at most 256 characters)');
  }
  const input = readInputFields(top.input, 'input', problems);
  const names = input.map((field) => field.name);
  const prompt = mapping(top.prompt, 'prompt', PROMPT_KEYS, problems) ?? {};
  const system = compileTemplate(prompt.system, names, 'prompt.system', problems);
  const user = compileTemplate(prompt.user, names, 'prompt.user', problems);
  const output = mapping(top.output, 'output', OUTPUT_KEYS, problems) ?? {};
  const schema = readOutputSchema(output.schema, 'output.schema', problems);
  const rules = readQuoteRules(output.rules, schema, input, 'output.rules', problems);
  if (problems.length > 0) return undefined;
  return {
    name: name as string,
    description: description as string,
    source,
    ...(typeof model === 'string' ? { model } : {}),
    input,
    prompt: { system, user },
    output: { schema, rules },
  };
}

function mapping(
  raw: unknown,
  path: string,
  keys: readonly string[],
  problems: string[],
): Record<string, unknown> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${path}: must be a mapping with ${keys.join(', ')}`);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!keys.includes(key))
      problems.push(
        `${path === '(the file)' ? key : `${path}.${key}`}: unknown key (expected ${keys.join(', ')})`,
      );
  }
  return raw as Record<string, unknown>;
}
