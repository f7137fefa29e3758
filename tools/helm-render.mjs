#!/usr/bin/env node
// A `helm template` stand-in for CI, which has no helm binary (neither the npm registry nor
// Debian ships one). It renders deploy/helm/ai-gateway with the subset of Go's text/template
// and Helm's functions that chart uses, and fails on anything outside it, so a template
// that works here works in Helm. Not covered on purpose: Helm's `lookup`, `tpl`, `.Files`,
// `.Capabilities`, subcharts and schema validation.
// Usage: node tools/helm-render.mjs <chart-dir> [-f values.yaml]... [--name release]
//        [--namespace ns] — prints the manifests as `helm template` does.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** Renders every template of a chart: `{ '<chart>/templates/x.yaml': text }`. */
export function renderChart(
  chartDir,
  { valuesFiles = [], name = 'release', namespace = 'default' } = {},
) {
  const chart = parseYaml(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8'));
  if (chart.apiVersion !== 'v2') throw new Error('Chart.yaml: apiVersion must be v2');
  for (const field of ['name', 'version']) {
    if (!chart[field]) throw new Error(`Chart.yaml: ${field} is required`);
  }
  let values = parseYaml(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) ?? {};
  for (const file of valuesFiles)
    values = mergeValues(values, parseYaml(readFileSync(file, 'utf8')) ?? {});

  const templatesDir = join(chartDir, 'templates');
  const files = readdirSync(templatesDir).sort();
  const templates = new Map();
  const sources = [];
  for (const file of files) {
    const path = `${chart.name}/templates/${file}`;
    const tree = parseTemplate(readFileSync(join(templatesDir, file), 'utf8'), path);
    // Every file is a named template too (the checksum idiom includes configmap.yaml).
    templates.set(path, tree.body);
    for (const [defined, body] of tree.defines) templates.set(defined, body);
    if (!file.startsWith('_') && file !== 'NOTES.txt') sources.push(path);
  }
  const top = {
    Values: values,
    Chart: {
      Name: chart.name,
      Version: chart.version,
      AppVersion: chart.appVersion,
      Description: chart.description,
    },
    Release: {
      Name: name,
      Namespace: namespace,
      Service: 'Helm',
      IsInstall: true,
      IsUpgrade: false,
    },
    Template: { BasePath: `${chart.name}/templates` },
  };
  const out = {};
  for (const path of [...sources, `${chart.name}/templates/NOTES.txt`]) {
    if (!templates.has(path)) continue;
    out[path] = execute(templates, path, { ...top, Template: { ...top.Template, Name: path } });
  }
  return out;
}

/** Helm's coalescing of values: maps merge, anything else (lists too) replaces; null deletes. */
export function mergeValues(base, override) {
  const result = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete result[key];
    else if (isMap(value) && isMap(result[key])) result[key] = mergeValues(result[key], value);
    else result[key] = value;
  }
  return result;
}

// --- lexing and parsing -----------------------------------------------------------------

const ACTION = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;

function parseTemplate(source, path) {
  // Split into text and actions, applying the trim markers.
  const tokens = [];
  let last = 0;
  for (const match of source.matchAll(ACTION)) {
    let text = source.slice(last, match.index);
    if (match[1]) text = text.replace(/\s+$/, '');
    tokens.push({ text });
    const inner = match[2].trim();
    if (!inner.startsWith('/*')) tokens.push({ action: inner });
    last = match.index + match[0].length;
    if (match[3]) last += /^\s*/.exec(source.slice(last))[0].length;
  }
  tokens.push({ text: source.slice(last) });

  const defines = new Map();
  let index = 0;
  const fail = (message) => {
    throw new Error(`${path}: ${message}`);
  };
  // Parses until one of `stops` (an action keyword); returns the nodes and the stop met.
  const parseList = (stops) => {
    const nodes = [];
    while (index < tokens.length) {
      const token = tokens[index++];
      if ('text' in token) {
        if (token.text) nodes.push({ type: 'text', text: token.text });
        continue;
      }
      const [keyword] = token.action.split(/\s+/, 1);
      if (stops.includes(keyword)) return { nodes, stop: token.action };
      const rest = token.action.slice(keyword.length).trim();
      if (keyword === 'if' || keyword === 'with') {
        nodes.push(parseBranches(keyword, rest));
      } else if (keyword === 'range') {
        const { vars, pipeline } = parseDeclaration(rest, fail);
        const body = parseList(['else', 'end']);
        let otherwise = [];
        if (body.stop === 'else') otherwise = expectEnd(parseList(['end']));
        else expectEnd(body);
        nodes.push({ type: 'range', vars, pipeline, body: body.nodes, otherwise });
      } else if (keyword === 'define') {
        const name = JSON.parse(rest);
        defines.set(name, expectEnd(parseList(['end'])));
      } else if (keyword === 'template') {
        const [, name, arg] =
          /^("(?:[^"\\]|\\.)*")\s*(.*)$/.exec(rest) ?? fail(`bad template: ${rest}`);
        nodes.push({
          type: 'template',
          name: JSON.parse(name),
          pipeline: arg ? parsePipeline(arg, fail) : null,
        });
      } else if (['else', 'end', 'block'].includes(keyword)) {
        fail(`unexpected {{ ${token.action} }}`);
      } else {
        const { vars, pipeline } = parseDeclaration(token.action, fail);
        nodes.push({ type: 'action', vars, pipeline });
      }
    }
    if (stops.length > 0) fail(`missing {{ end }} (one of ${stops.join(', ')})`);
    return { nodes, stop: null };
  };
  const expectEnd = (list) => {
    if (list.stop !== 'end') fail(`expected {{ end }}, got ${list.stop}`);
    return list.nodes;
  };
  // `if a`/`else if b`/`else`/`end` (and `with`) as a list of branches.
  const parseBranches = (keyword, condition) => {
    const branches = [];
    let pipeline = parseDeclaration(condition, fail);
    for (;;) {
      const body = parseList(['else', 'end']);
      branches.push({ ...pipeline, body: body.nodes });
      if (body.stop === 'end') return { type: keyword, branches, otherwise: [] };
      const elseIf = new RegExp(`^else\\s+${keyword}\\s+(.*)$`, 's').exec(body.stop);
      if (elseIf) {
        pipeline = parseDeclaration(elseIf[1], fail);
        continue;
      }
      if (body.stop !== 'else') fail(`unexpected {{ ${body.stop} }}`);
      return { type: keyword, branches, otherwise: expectEnd(parseList(['end'])) };
    }
  };
  const { nodes } = parseList([]);
  return { body: nodes, defines };
}

/** `$a := pipeline`, `$k, $v := pipeline` or a bare pipeline. */
function parseDeclaration(source, fail) {
  const match = /^(\$\w+)(?:\s*,\s*(\$\w+))?\s*(:?=)\s*([\s\S]*)$/.exec(source);
  if (!match) return { vars: [], pipeline: parsePipeline(source, fail) };
  return {
    vars: [match[1], match[2]].filter(Boolean),
    assign: match[3] === '=',
    pipeline: parsePipeline(match[4], fail),
  };
}

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?)|(\()|(\))|(\|)|(\$\w*(?:\.\w+)*|(?:\.\w+)+|\.|[A-Za-z_]\w*))/y;

function parsePipeline(source, fail) {
  const tokens = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match || match[0].trim() === '') fail(`cannot parse "${source}" at ${at}`);
    if (match[1]) tokens.push({ kind: 'literal', value: JSON.parse(match[1]) });
    else if (match[2]) tokens.push({ kind: 'literal', value: match[2].slice(1, -1) });
    else if (match[3]) tokens.push({ kind: 'literal', value: Number(match[3]) });
    else if (match[4]) tokens.push({ kind: '(' });
    else if (match[5]) tokens.push({ kind: ')' });
    else if (match[6]) tokens.push({ kind: '|' });
    else tokens.push(word(match[7]));
  }
  let position = 0;
  const parseCommands = (closing) => {
    const commands = [[]];
    while (position < tokens.length) {
      const token = tokens[position++];
      if (token.kind === ')') {
        if (!closing) fail(`unbalanced ) in "${source}"`);
        return commands;
      }
      if (token.kind === '|') commands.push([]);
      else if (token.kind === '(')
        commands.at(-1).push({ kind: 'pipeline', commands: parseCommands(true) });
      else commands.at(-1).push(token);
    }
    if (closing) fail(`unbalanced ( in "${source}"`);
    return commands;
  };
  const commands = parseCommands(false);
  if (commands.some((command) => command.length === 0)) fail(`empty command in "${source}"`);
  return commands;
}

function word(text) {
  if (text === 'true' || text === 'false') return { kind: 'literal', value: text === 'true' };
  if (text === 'nil') return { kind: 'literal', value: null };
  if (text === '.') return { kind: 'field', base: '.', path: [] };
  if (text.startsWith('$')) {
    const [variable, ...path] = text.split('.');
    return { kind: 'field', base: variable, path };
  }
  if (text.startsWith('.')) return { kind: 'field', base: '.', path: text.slice(1).split('.') };
  return { kind: 'function', name: text };
}

// --- execution ---------------------------------------------------------------------------

function execute(templates, name, dot) {
  const body = templates.get(name);
  if (!body) throw new Error(`no template "${name}"`);
  const scope = [new Map([['$', dot]])];
  return run(body, dot, scope, { templates, name });
}

function run(nodes, dot, scopes, context) {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out += node.text;
        break;
      case 'action': {
        const value = evalPipeline(node.pipeline, dot, scopes, context);
        if (node.vars.length > 0) declare(scopes, node.vars[0], value, node.assign);
        else out += printValue(value);
        break;
      }
      case 'if':
      case 'with': {
        const inner = [...scopes, new Map()];
        const branch = node.branches.find((candidate) => {
          candidate.value = evalPipeline(candidate.pipeline, dot, inner, context);
          if (candidate.vars.length > 0) declare(inner, candidate.vars[0], candidate.value);
          return truthy(candidate.value);
        });
        if (branch)
          out += run(branch.body, node.type === 'with' ? branch.value : dot, inner, context);
        else out += run(node.otherwise, dot, inner, context);
        break;
      }
      case 'range': {
        const value = evalPipeline(node.pipeline, dot, scopes, context);
        const entries = Array.isArray(value)
          ? value.map((item, i) => [i, item])
          : isMap(value)
            ? Object.keys(value)
                .sort()
                .map((key) => [key, value[key]])
            : value == null
              ? []
              : fail(context, `range over ${typeof value}`);
        if (entries.length === 0) out += run(node.otherwise, dot, [...scopes, new Map()], context);
        for (const [key, item] of entries) {
          const inner = [...scopes, new Map()];
          if (node.vars.length === 1) declare(inner, node.vars[0], item);
          if (node.vars.length === 2) {
            declare(inner, node.vars[0], key);
            declare(inner, node.vars[1], item);
          }
          out += run(node.body, item, inner, context);
        }
        break;
      }
      case 'template': {
        const arg = node.pipeline ? evalPipeline(node.pipeline, dot, scopes, context) : null;
        out += execute(context.templates, node.name, arg);
        break;
      }
      default:
        fail(context, `unknown node ${node.type}`);
    }
  }
  return out;
}

function declare(scopes, name, value, assign = false) {
  if (assign) {
    const owner = [...scopes].reverse().find((scope) => scope.has(name));
    if (!owner) throw new Error(`undefined variable ${name}`);
    owner.set(name, value);
  } else scopes.at(-1).set(name, value);
}

function evalPipeline(commands, dot, scopes, context) {
  let value;
  commands.forEach((command, i) => {
    value = evalCommand(command, dot, scopes, context, i > 0 ? [value] : []);
  });
  return value;
}

function evalCommand(command, dot, scopes, context, piped) {
  const [head, ...args] = command;
  if (head.kind === 'function') {
    const fn = FUNCTIONS[head.name];
    if (!fn) fail(context, `function "${head.name}" is not in this renderer's subset`);
    const values = args.map((arg) => evalArg(arg, dot, scopes, context));
    return fn.call(context, ...values, ...piped);
  }
  if (args.length > 0 || piped.length > 0) fail(context, `cannot call a non-function`);
  return evalArg(head, dot, scopes, context);
}

function evalArg(arg, dot, scopes, context) {
  switch (arg.kind) {
    case 'literal':
      return arg.value;
    case 'pipeline':
      return evalPipeline(arg.commands, dot, scopes, context);
    case 'function':
      return evalCommand([arg], dot, scopes, context, []);
    case 'field': {
      let value = dot;
      if (arg.base !== '.') {
        const owner = [...scopes].reverse().find((scope) => scope.has(arg.base));
        if (!owner) fail(context, `undefined variable ${arg.base}`);
        value = owner.get(arg.base);
      }
      for (const [i, key] of arg.path.entries()) {
        if (value == null) {
          fail(context, `nil pointer evaluating .${arg.path.slice(0, i + 1).join('.')}`);
        }
        value = isMap(value)
          ? value[key]
          : fail(context, `cannot read .${key} of a ${typeof value}`);
      }
      return value;
    }
    default:
      return fail(context, `unexpected ${arg.kind}`);
  }
}

function fail(context, message) {
  throw new Error(`${context.name}: ${message}`);
}

function isMap(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Go templates' truth: false, 0, nil, and empty strings, lists and maps are false. */
function truthy(value) {
  if (value == null || value === false || value === 0 || value === 0n || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}

/** What `{{ x }}` prints: Helm's nil is empty, numbers print as Go's %v of a float64. */
function printValue(value) {
  if (value == null) return '';
  // Helm's values are float64 (they print as Go's %v of one); sprig's int, add, … return
  // int64, kept here as BigInt.
  if (typeof value === 'number') return goFloat(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object')
    return fail({ name: 'print' }, 'printing a map or list: use toYaml');
  return String(value);
}

/** Go's %v of a float64 (what Helm's numeric values are): 1e+06, not 1000000. */
function goFloat(value) {
  if (value === 0) return '0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 21 || (exponent >= 6 && Number.isInteger(value))) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

function toInt(value) {
  const number = Number(value);
  if (!Number.isFinite(number)) throw new Error(`not a number: ${String(value)}`);
  return Math.trunc(number);
}

const FUNCTIONS = {
  include(name, dot) {
    return execute(this.templates, name, dot);
  },
  toYaml(value) {
    if (value == null) return 'null';
    return stringifyYaml(value, { sortMapEntries: true, lineWidth: 0, indentSeq: false }).replace(
      /\n$/,
      '',
    );
  },
  indent(spaces, text) {
    const pad = ' '.repeat(toInt(spaces));
    return pad + String(text).replaceAll('\n', `\n${pad}`);
  },
  nindent(spaces, text) {
    return `\n${FUNCTIONS.indent(spaces, text)}`;
  },
  quote(...values) {
    return values
      .filter((value) => value != null)
      .map((value) => JSON.stringify(printValue(value)))
      .join(' ');
  },
  default(fallback, value) {
    return truthy(value) ? value : fallback;
  },
  required(message, value) {
    if (value == null || value === '') throw new Error(message);
    return value;
  },
  fail(message) {
    throw new Error(`execution error: ${message}`);
  },
  sha256sum: (text) => createHash('sha256').update(String(text)).digest('hex'),
  b64enc: (text) => Buffer.from(String(text)).toString('base64'),
  trunc: (length, text) => String(text).slice(0, toInt(length)),
  trimSuffix: (suffix, text) =>
    String(text).endsWith(suffix) ? String(text).slice(0, -suffix.length) : String(text),
  replace: (from, to, text) => String(text).replaceAll(from, to),
  trim: (text) => String(text).trim(),
  contains: (needle, haystack) => String(haystack).includes(needle),
  toString: (value) => printValue(value),
  print: (...values) => values.map(printValue).join(''),
  printf: (format, ...values) => {
    let i = 0;
    return format.replace(/%[sdv%]/g, (verb) => (verb === '%%' ? '%' : printValue(values[i++])));
  },
  not: (value) => !truthy(value),
  and: (...values) => values.find((value) => !truthy(value)) ?? values.at(-1),
  or: (...values) => values.find((value) => truthy(value)) ?? values.at(-1),
  eq: (a, ...others) => others.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  empty: (value) => !truthy(value),
  add: (...values) => BigInt(values.reduce((sum, value) => sum + toInt(value), 0)),
  mul: (...values) => BigInt(values.reduce((product, value) => product * toInt(value), 1)),
  div: (a, b) => BigInt(Math.trunc(toInt(a) / toInt(b))),
  int: (value) => BigInt(toInt(value)),
};

// --- command line --------------------------------------------------------------------------

/** The manifests as one stream, each after a `# Source:` line, like `helm template`. */
export function toStream(rendered) {
  return Object.entries(rendered)
    .filter(([path, text]) => !path.endsWith('NOTES.txt') && text.trim() !== '')
    .map(([path, text]) => `---\n# Source: ${path}\n${text.replace(/^\s*\n/, '').trimEnd()}\n`)
    .join('');
}

function main(argv) {
  const [chartDir, ...rest] = argv;
  if (!chartDir)
    throw new Error('usage: helm-render.mjs <chart-dir> [-f values.yaml]... [--name n]');
  const options = { valuesFiles: [] };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag === '-f' || flag === '--values') options.valuesFiles.push(value);
    else if (flag === '--name') options.name = value;
    else if (flag === '--namespace') options.namespace = value;
    else throw new Error(`unknown option ${flag}`);
  }
  const rendered = renderChart(chartDir, options);
  // Like `helm lint`: every manifest must be YAML.
  for (const [path, text] of Object.entries(rendered)) {
    if (path.endsWith('.yaml')) parseYaml(text);
  }
  process.stdout.write(toStream(rendered));
  process.stderr.write(
    `rendered ${basename(chartDir)}: ${Object.keys(rendered).length} templates\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
