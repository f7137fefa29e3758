#!/usr/bin/env node
// Import-cycle check for the workspace (part of lint). Fails, printing every cycle path, on:
//   (a) a file-level import cycle anywhere in libs/ and apps/;
//   (b) a cycle between rooms — the top-level folders of a project's src/ (a file directly in
//       src/ is a node of its own) — so the rooms of each lib stay a leveled graph (a DAG);
//   (c) a cycle between projects (apps/* and libs/*).
// Type-only imports count: an `import type` cycle is still two rooms that must be read
// together, and it becomes a runtime cycle the day someone imports a value across it.
// No dependency beyond `typescript` (ts.preProcessFile sees every import, export-from,
// import() and require); relative specifiers and tsconfig.base.json path aliases resolve.
// Usage: node tools/check-cycles.mjs [--rooms] (--rooms prints each project's room levels).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = ['libs', 'apps'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'tmp', 'coverage', '.nx']);

/** Every .ts file under libs/ and apps/, as workspace-relative paths with `/`. */
export function listSources(base = root) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      if (SKIPPED_DIRS.has(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts'))
        files.push(toPosix(relative(base, path)));
    }
  };
  for (const top of SCANNED) if (existsSync(join(base, top))) walk(join(base, top));
  return files.sort();
}

function toPosix(path) {
  return path.split(sep).join('/');
}

/** tsconfig.base.json `paths` as [alias pattern, target] pairs (`*` wildcards supported). */
export function readAliases(base = root) {
  const config = ts.readConfigFile(join(base, 'tsconfig.base.json'), ts.sys.readFile).config;
  const paths = config?.compilerOptions?.paths ?? {};
  return Object.entries(paths).map(([alias, targets]) => [alias, targets[0]]);
}

const CANDIDATE_SUFFIXES = ['', '.ts', '/index.ts'];

function firstExisting(base, path, known) {
  const bare = path.replace(/\.js$/, '');
  for (const suffix of CANDIDATE_SUFFIXES) {
    const candidate = toPosix(relative(base, bare + suffix));
    if (known.has(candidate)) return candidate;
  }
  return undefined;
}

/** Workspace-relative file an import specifier points at, or undefined for packages. */
export function resolveSpecifier(from, specifier, aliases, known, base = root) {
  if (specifier.startsWith('.')) {
    return firstExisting(base, resolve(base, dirname(from), specifier), known);
  }
  for (const [alias, target] of aliases) {
    if (alias.endsWith('*')) {
      const prefix = alias.slice(0, -1);
      if (!specifier.startsWith(prefix)) continue;
      const mapped = target.replace('*', specifier.slice(prefix.length));
      return firstExisting(base, resolve(base, mapped), known);
    }
    if (alias === specifier) return firstExisting(base, resolve(base, target), known);
  }
  return undefined;
}

/** file → files it imports (workspace files only). */
export function buildFileGraph(files, aliases, base = root) {
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(base, file), 'utf8'), true, true);
    const targets = new Set();
    for (const { fileName } of info.importedFiles) {
      const target = resolveSpecifier(file, fileName, aliases, known, base);
      if (target && target !== file) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Strongly connected components with more than one node (or a self-loop), Tarjan's. */
export function cyclicComponents(graph) {
  let index = 0;
  const indexOf = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (start) => {
    // Iterative so a deep import chain cannot overflow the call stack.
    const work = [[start, 0]];
    indexOf.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, next] = frame;
      const edges = graph.get(node) ?? [];
      if (next < edges.length) {
        frame[1]++;
        const target = edges[next];
        if (!indexOf.has(target)) {
          indexOf.set(target, index);
          low.set(target, index++);
          stack.push(target);
          onStack.add(target);
          work.push([target, 0]);
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node), indexOf.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === indexOf.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        const selfLoop = (graph.get(node) ?? []).includes(node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indexOf.has(node)) visit(node);
  return components;
}

/** One shortest cycle through the first node of a component, as a path that ends where it starts. */
export function cyclePath(graph, component) {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [...component, start];
}

/**
 * `libs/ai-gateway/src/cache/x.ts` → { project: 'libs/ai-gateway', room: 'cache' }. A file lying
 * directly in src/ (the module, the service) is a node of its own, named after the file: the
 * module sits above every room, while a small root file (a handler interface) may sit below
 * some — lumping them together would call that a cycle.
 */
export function locate(file) {
  const parts = file.split('/');
  const project = parts.slice(0, 2).join('/');
  if (parts[2] !== 'src') return { project, room: parts[2] ?? '' };
  return { project, room: parts.length > 4 ? parts[3] : parts[3] };
}

/**
 * Test code: specs, the fixtures and scenarios they share (tools/build.mjs skips the same), and
 * a lib's `src/testing/` folder (its `/testing` entry: helpers for tests, the host's included).
 */
const TEST_FILE = /\.(spec|e2e-spec|int-spec|fixtures|scenarios)\.ts$/;
const isTestSupport = (file) => TEST_FILE.test(file) || file.split('/')[3] === 'testing';

/**
 * Files that take part in the room graph: a project's src/ minus its barrel (src/index.ts, the
 * door above every room) and test code. A spec, fixture or scenario is never imported by
 * production code (checked below), so one that borrows a higher room to set up a test adds
 * no dependency to anything that ships; specs still count for (a), file cycles.
 */
export function inRooms(file) {
  const parts = file.split('/');
  if (parts[2] !== 'src') return false;
  if (parts.length === 4 && parts[3] === 'index.ts') return false;
  return !isTestSupport(file);
}

/** Production files (not test code) that import test code: what would make the exclusion a loophole. */
export function productionImportsOfTests(fileGraph) {
  const found = [];
  for (const [file, targets] of fileGraph) {
    if (isTestSupport(file) || file.split('/')[2] !== 'src') continue;
    for (const target of targets) if (isTestSupport(target)) found.push([file, target]);
  }
  return found;
}

/** project → room graph (edges only between different rooms of the same project's src/). */
export function buildRoomGraphs(fileGraph) {
  const projects = new Map();
  const roomsOf = (project) => {
    if (!projects.has(project)) projects.set(project, new Map());
    return projects.get(project);
  };
  for (const [file, targets] of fileGraph) {
    if (!inRooms(file)) continue;
    const from = locate(file);
    const rooms = roomsOf(from.project);
    if (!rooms.has(from.room)) rooms.set(from.room, new Set());
    for (const target of targets) {
      const to = locate(target);
      if (to.project !== from.project || to.room === from.room || !inRooms(target)) continue;
      rooms.get(from.room).add(to.room);
    }
  }
  return new Map(
    [...projects].map(([project, rooms]) => [
      project,
      new Map([...rooms].map(([room, targets]) => [room, [...targets].sort()])),
    ]),
  );
}

/** project → projects it imports. */
export function buildProjectGraph(fileGraph) {
  const graph = new Map();
  for (const [file, targets] of fileGraph) {
    const from = locate(file).project;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const target of targets) {
      const to = locate(target).project;
      if (to !== from) graph.get(from).add(to);
    }
  }
  return new Map([...graph].map(([project, targets]) => [project, [...targets].sort()]));
}

/** Levels of an acyclic graph: level 0 imports nothing, level n imports only levels < n. */
export function levelsOf(graph) {
  const level = new Map();
  const depth = (node, seen = new Set()) => {
    if (level.has(node)) return level.get(node);
    if (seen.has(node)) return 0;
    seen.add(node);
    const value = Math.max(-1, ...(graph.get(node) ?? []).map((target) => depth(target, seen))) + 1;
    level.set(node, value);
    return value;
  };
  for (const node of graph.keys()) depth(node);
  const levels = [];
  for (const [node, value] of level) (levels[value] ??= []).push(node);
  return levels.map((nodes) => nodes.sort());
}

/** A shortest cycle through each member of a component, without repeats. */
export function cyclePaths(graph, component) {
  const seen = new Set();
  const paths = [];
  for (const member of component) {
    if (seen.has(member)) continue;
    const ordered = [member, ...component.filter((node) => node !== member)];
    const path = cyclePath(graph, ordered);
    path.forEach((node) => seen.add(node));
    paths.push(path);
  }
  return paths;
}

/** Every cycle component of the three kinds, each as { kind, scope, members, paths }. */
export function findCycles(base = root) {
  const fileGraph = buildFileGraph(listSources(base), readAliases(base), base);
  const cycles = [];
  const add = (kind, scope, graph) => {
    for (const component of cyclicComponents(graph)) {
      cycles.push({ kind, scope, members: component, paths: cyclePaths(graph, component) });
    }
  };
  add('file', 'workspace', fileGraph);
  const roomGraphs = buildRoomGraphs(fileGraph);
  for (const [project, rooms] of roomGraphs) add('room', project, rooms);
  const projectGraph = buildProjectGraph(fileGraph);
  add('project', 'workspace', projectGraph);
  return {
    cycles,
    fileGraph,
    roomGraphs,
    projectGraph,
    testImports: productionImportsOfTests(fileGraph),
  };
}

/** For a room cycle, one file-level import behind each of its edges (what to move). */
function witnesses(fileGraph, project, path) {
  const lines = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const [from, to] = [path[i], path[i + 1]];
    for (const [file, targets] of fileGraph) {
      const here = locate(file);
      if (here.project !== project || here.room !== from || !inRooms(file)) continue;
      const target = targets.find((t) => {
        const there = locate(t);
        return there.project === project && there.room === to && inRooms(t);
      });
      if (target) {
        lines.push(`      ${file} → ${target}`);
        break;
      }
    }
  }
  return lines;
}

function main() {
  const { cycles, fileGraph, roomGraphs, testImports } = findCycles();
  for (const [file, target] of testImports) {
    console.error(`production file imports test code: ${file} → ${target}`);
  }
  if (testImports.length > 0) process.exitCode = 1;
  if (process.argv.includes('--rooms')) {
    for (const [project, rooms] of roomGraphs) {
      if (rooms.size < 2) continue;
      console.log(`${project}:`);
      levelsOf(rooms).forEach((nodes, level) =>
        console.log(`  level ${level}: ${nodes.join(', ')}`),
      );
    }
  }
  if (cycles.length === 0) {
    if (testImports.length > 0) return;
    console.log(`check-cycles: no import cycles (${fileGraph.size} files; files, rooms, projects)`);
    return;
  }
  for (const { kind, scope, members, paths } of cycles) {
    console.error(`${kind} cycle in ${scope} (${members.length} members):`);
    for (const path of paths) {
      console.error(`  ${path.join(' → ')}`);
      if (kind === 'room') console.error(witnesses(fileGraph, scope, path).join('\n'));
    }
  }
  console.error(`check-cycles: ${cycles.length} cyclic component(s)`);
  process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
