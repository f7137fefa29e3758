// A small Dockerfile reader for the checks that stand in for a Docker engine (there is none in
// CI): tools/dockerfile.spec.ts (the file's shape) and tools/docker-steps.mjs (its steps run).
// Handles what our Dockerfile uses: comments, `\` continuations, `FROM image AS name`, and
// exec-form (JSON) or shell-form arguments. CommonJS, so both Jest and plain Node load it.

/**
 * @typedef {{ keyword: string, args: string, json?: string[], flags: Record<string, string> }} Instruction
 * @typedef {{ image: string, name?: string, instructions: Instruction[] }} Stage
 */

/** @returns {Stage[]} the stages in order, each with its instructions after FROM. */
function parseDockerfile(text) {
  const lines = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  if (pending) lines.push(pending.trim());

  const stages = [];
  for (const line of lines) {
    const [, keyword, rest = ''] = /^(\S+)\s*(.*)$/.exec(line);
    const instruction = { keyword: keyword.toUpperCase(), ...parseArgs(rest) };
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(/\s+/);
      stages.push({ image, ...(as?.toUpperCase() === 'AS' ? { name } : {}), instructions: [] });
    } else if (stages.length === 0) {
      throw new Error(`${instruction.keyword} before the first FROM`);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

function parseArgs(rest) {
  const flags = {};
  let args = rest;
  for (let match; (match = /^--([a-z-]+)=(\S+)\s+/.exec(args));) {
    flags[match[1]] = match[2];
    args = args.slice(match[0].length);
  }
  if (args.startsWith('[')) {
    try {
      const json = JSON.parse(args);
      if (Array.isArray(json) && json.every((item) => typeof item === 'string')) {
        return { args, json, flags };
      }
    } catch {
      // shell form that happens to start with a bracket
    }
  }
  return { args, flags };
}

/** `KEY=value KEY2=value2` (ENV) as an object. */
function parseEnv(args) {
  return Object.fromEntries(
    [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)].map(([, key, value]) => [
      key,
      value.replace(/^"|"$/g, ''),
    ]),
  );
}

/** .dockerignore patterns as a predicate over context-relative paths (`a/b/c`). */
function dockerIgnore(text) {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((pattern) => {
      const negated = pattern.startsWith('!');
      const body = (negated ? pattern.slice(1) : pattern).replace(/^\/+|\/+$/g, '');
      const source = body
        .split('/')
        .map((part) =>
          part === '**'
            ? '.*'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/');
      return { negated, regex: new RegExp(`^${source}(/.*)?$`) };
    });
  return (path) => {
    let ignored = false;
    for (const { negated, regex } of patterns) if (regex.test(path)) ignored = !negated;
    return ignored;
  };
}

module.exports = { parseDockerfile, parseEnv, dockerIgnore };
