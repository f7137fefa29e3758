// Spec of tools/check-cycles.mjs: `node --test tools/check-cycles.spec.mjs`. Each case writes a
// tiny workspace to a temporary folder and checks what the checker finds in it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findCycles, levelsOf } from './check-cycles.mjs';

const made = [];
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A workspace with these files (path → source) and the `@demo/lib` path alias. */
function workspace(files) {
  const root = mkdtempSync(join(tmpdir(), 'check-cycles-'));
  made.push(root);
  const paths = { '@demo/lib': ['./libs/lib/src/index.ts'] };
  writeFileSync(join(root, 'tsconfig.base.json'), JSON.stringify({ compilerOptions: { paths } }));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  return root;
}

const kinds = (cycles) => cycles.map((c) => `${c.kind}:${c.members.join(',')}`).sort();

describe('check-cycles', () => {
  it('finds nothing in a leveled lib and lists its room levels', () => {
    const root = workspace({
      'libs/lib/src/index.ts': "export * from './top/top';",
      'libs/lib/src/top/top.ts': "import { mid } from '../mid/mid';\nexport const top = mid;",
      'libs/lib/src/mid/mid.ts': "import type { Low } from '../low/low';\nexport const mid = 1;",
      'libs/lib/src/low/low.ts': 'export type Low = number;',
      'apps/app/src/main.ts': "import { top } from '@demo/lib';\nconsole.log(top);",
    });
    const { cycles, roomGraphs } = findCycles(root);
    assert.deepEqual(cycles, []);
    assert.deepEqual(levelsOf(roomGraphs.get('libs/lib')), [['low'], ['mid'], ['top']]);
  });

  it('finds a file cycle made of type-only imports, and the room cycle it makes', () => {
    const root = workspace({
      'libs/lib/src/a/a.ts': "import type { B } from '../b/b';\nexport type A = B[];",
      'libs/lib/src/b/b.ts': "import type { A } from '../a/a';\nexport type B = A | 1;",
    });
    assert.deepEqual(kinds(findCycles(root).cycles), [
      'file:libs/lib/src/a/a.ts,libs/lib/src/b/b.ts',
      'room:a,b',
    ]);
  });

  it('finds a room cycle with no file cycle, through an export-from and a .js specifier', () => {
    const root = workspace({
      'libs/lib/src/cache/key.ts': "export { Meta } from '../pipeline/meta.js';",
      'libs/lib/src/pipeline/meta.ts': 'export interface Meta { id: string }',
      'libs/lib/src/pipeline/run.ts':
        "import { Meta } from '../cache/key';\nexport const m: Meta[] = [];",
    });
    const { cycles } = findCycles(root);
    assert.deepEqual(kinds(cycles), ['room:cache,pipeline']);
    assert.deepEqual(cycles[0].paths[0], ['cache', 'pipeline', 'cache']);
  });

  it('leaves specs and fixtures out of the room graph, but not production files that import them', () => {
    const root = workspace({
      'libs/lib/src/low/low.ts': 'export const low = 1;',
      'libs/lib/src/low/low.spec.ts': "import { high } from '../high/high';\nvoid high;",
      'libs/lib/src/high/high.ts': "import { low } from '../low/low';\nexport const high = low;",
      'libs/lib/src/high/bad.ts': "import { f } from './high.fixtures';\nexport const bad = f;",
      'libs/lib/src/high/high.fixtures.ts': 'export const f = 2;',
    });
    const { cycles, testImports } = findCycles(root);
    assert.deepEqual(cycles, []);
    assert.deepEqual(testImports, [
      ['libs/lib/src/high/bad.ts', 'libs/lib/src/high/high.fixtures.ts'],
    ]);
  });

  it('finds a cycle between projects through path aliases', () => {
    const root = workspace({
      'libs/lib/src/index.ts': "import '../../other/src/index';\nexport const lib = 1;",
      'libs/other/src/index.ts': "import { lib } from '@demo/lib';\nexport const other = lib;",
    });
    assert.deepEqual(
      kinds(findCycles(root).cycles).filter((k) => k.startsWith('project')),
      ['project:libs/lib,libs/other'],
    );
  });
});
