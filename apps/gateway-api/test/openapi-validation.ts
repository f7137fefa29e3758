import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** What the validators found wrong; empty lists when the document is right. */
export interface OpenApiCheck {
  /** Against the OpenAPI 3.1 meta-schema (`@seriousme/openapi-schema-validator`). */
  documentErrors: string[];
  /**
   * Every schema of the document compiled as JSON Schema 2020-12 in Ajv's strict mode. The
   * 3.1 meta-schema accepts any object as a schema, so a 3.0 leftover (`nullable`,
   * `example`, a boolean `exclusiveMinimum`) or a dangling `$ref` is caught only here.
   */
  schemaErrors: string[];
}

const WORKSPACE = join(__dirname, '..', '..', '..');

/**
 * The validator is an ES module and Jest runs these specs as CommonJS, so it runs in a
 * child process: the document goes in on stdin, the findings come back on stdout.
 */
const SCRIPT = `
import { createRequire } from 'node:module';
import { Validator } from '@seriousme/openapi-schema-validator';

let text = '';
for await (const chunk of process.stdin) text += chunk;
const document = JSON.parse(text);

const result = await new Validator().validate(structuredClone(document));
const documentErrors = result.valid
  ? []
  : [].concat(result.errors).map((e) =>
      typeof e === 'string' ? e : e.instancePath + ' ' + e.message + ' ' + JSON.stringify(e.params),
    );

// The validator's own Ajv (v8, with the 2020-12 dialect), whichever Ajv the workspace hoists.
const fromValidator = createRequire(createRequire(import.meta.url).resolve('@seriousme/openapi-schema-validator'));
const Ajv2020 = fromValidator('ajv/dist/2020.js').default;
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, validateFormats: false, allErrors: true });
const schemaErrors = [];
const urn = (name) => 'urn:schema:' + name;
const relink = (schema) =>
  JSON.parse(JSON.stringify(schema).replace(/"#\\/components\\/schemas\\/([^"]+)"/g, (_, name) => JSON.stringify(urn(name))));
const components = document.components?.schemas ?? {};
for (const [name, schema] of Object.entries(components)) ajv.addSchema(relink(schema), urn(name));
const check = (where, schema) => {
  try {
    if (typeof schema === 'string') ajv.getSchema(schema);
    else ajv.compile(relink(schema));
  } catch (error) {
    schemaErrors.push(where + ': ' + error.message);
  }
};
for (const name of Object.keys(components)) check('components.schemas.' + name, urn(name));
for (const [path, item] of Object.entries(document.paths ?? {})) {
  for (const [method, operation] of Object.entries(item)) {
    const where = method.toUpperCase() + ' ' + path;
    for (const parameter of operation.parameters ?? []) {
      if (parameter.schema) check(where + ' parameter ' + parameter.name, parameter.schema);
    }
    const bodies = [['request', operation.requestBody], ...Object.entries(operation.responses ?? {})];
    for (const [label, body] of bodies) {
      for (const [type, media] of Object.entries(body?.content ?? {})) {
        if (media.schema) check(where + ' ' + label + ' ' + type, media.schema);
      }
    }
  }
}
process.stdout.write(JSON.stringify({ documentErrors, schemaErrors }));
`;

/** Validates an OpenAPI 3.1 document and compiles its schemas (see {@link OpenApiCheck}). */
export function checkOpenApi(document: unknown): Promise<OpenApiCheck> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '--eval', SCRIPT], {
      cwd: WORKSPACE,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`validator exited with ${code}: ${err}`));
      resolve(JSON.parse(out) as OpenApiCheck);
    });
    child.stdin.end(JSON.stringify(document));
  });
}
