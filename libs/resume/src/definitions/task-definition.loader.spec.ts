import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskErrorCode } from '../errors/task.error';
import { renderTemplate } from './prompt-template';
import { loadTaskDefinitions } from './task-definition.loader';

/** The example definitions shipped in config/tasks/. */
const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'config', 'tasks');

describe(loadTaskDefinitions.name, () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'task-definitions-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  function failure(paths: string[]): string {
    try {
      loadTaskDefinitions(paths);
    } catch (error) {
      expect(error).toMatchObject({ code: TaskErrorCode.INVALID_DEFINITION });
      return (error as Error).message;
    }
    throw new Error('expected the definitions to be refused');
  }

  it('reads the shipped examples: invoice_check and summarize', () => {
    const [invoice, summarize] = loadTaskDefinitions([
      join(EXAMPLES, 'invoice_check.yaml'),
      join(EXAMPLES, 'summarize.yaml'),
    ]);
    expect(invoice).toMatchObject({
      name: 'invoice_check',
      input: [
        { name: 'invoiceText', type: 'string', required: true, maxLength: 20_000 },
        { name: 'policy', type: 'string', required: false, maxLength: 4_000 },
      ],
      output: {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['decision', 'reasons', 'evidence'],
        },
        rules: [{ path: 'evidence[]', quotedFrom: 'invoiceText' }],
      },
    });
    expect(renderTemplate(invoice.prompt.user, { invoiceText: 'INV-1' })).toBe(
      '<invoice>\nINV-1\n</invoice>\n<policy>\n\n</policy>\n',
    );
    expect(summarize).toMatchObject({ name: 'summarize', output: { rules: [] } });
  });

  it('lists every problem of every file, each with its file and path, in one error', () => {
    const bad = file(
      'bad.yaml',
      [
        'name: Invoice Check',
        'version: 2',
        'input:',
        '  - { name: invoiceText, type: string }',
        '  - { name: amount, type: money }',
        'prompt:',
        '  system: Check it.',
        '  user: "{{invoice}}"',
        'output:',
        '  schema:',
        '    type: object',
        '    properties:',
        '      evidence: { type: array, items: { type: string, pattern: "^.+$" } }',
        '  rules:',
        '    - { path: evidence, quotedFrom: invoiceText }',
      ].join('\n'),
    );
    const broken = file('broken.yaml', 'name: x\ninput: [\n');
    const missing = join(dir, 'missing.yaml');
    const message = failure([bad, broken, missing]);
    const lines = message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
    expect(lines).toEqual([
      `${bad}: version: unknown key (expected name, description, model, input, prompt, output)`,
      `${bad}: name: must match [a-z][a-z0-9_]* (64 characters at most)`,
      `${bad}: description: must be a text of 1 to 1000 characters`,
      `${bad}: input[1].type: must be one of string, number, boolean, string[]`,
      `${bad}: prompt.user: {{invoice}} is not an input field (fields: invoiceText, amount)`,
      expect.stringMatching(
        new RegExp(
          `^${bad}: output\\.schema\\.properties\\.evidence\\.items\\.pattern: unsupported keyword`,
        ),
      ),
      `${bad}: output.rules[0].path: ends at a list: add [] to quote each item`,
      expect.stringMatching(new RegExp(`^${broken}: YAML: .+ at line \\d+, column \\d+$`)),
      `${missing}: cannot be read (ENOENT)`,
    ]);
    expect(message).toMatch(/^Invalid task definitions \(tasks\.definitions\), 9 problem\(s\):/);
  });

  it('refuses a definition whose keys repeat (YAML would keep the last silently)', () => {
    const twice = file('twice.yaml', 'name: a\nname: b\n');
    expect(failure([twice])).toContain(`${twice}: YAML: Map keys must be unique`);
  });
});
