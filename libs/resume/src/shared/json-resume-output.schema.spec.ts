import { JSON_RESUME_OUTPUT_SCHEMA } from './json-resume-output.schema';

/** What the derivation keeps (the portable subset: see task-output-schemas.spec.ts). */
const ALLOWED = new Set(['type', 'properties', 'items', 'description', 'additionalProperties']);

function walk(node: Record<string, unknown>, visit: (node: Record<string, unknown>) => void): void {
  visit(node);
  for (const sub of Object.values(
    (node.properties as Record<string, Record<string, unknown>>) ?? {},
  )) {
    walk(sub, visit);
  }
  if (node.items) walk(node.items as Record<string, unknown>, visit);
}

describe('JSON_RESUME_OUTPUT_SCHEMA', () => {
  it('uses only the keywords every provider accepts, with every object closed', () => {
    let objects = 0;
    walk(JSON_RESUME_OUTPUT_SCHEMA, (node) => {
      for (const key of Object.keys(node)) expect(ALLOWED).toContain(key);
      if (node.type === 'object') {
        objects++;
        expect(node.additionalProperties).toBe(false);
      }
    });
    // The root, basics, its location and profiles, and the items of the 11 list sections.
    expect(objects).toBe(15);
  });

  it('keeps the resume sections, drops tooling keys, and inlines dates as strings', () => {
    type Node = { properties: Record<string, Node>; items: Node };
    const properties = JSON_RESUME_OUTPUT_SCHEMA.properties as Record<string, Node>;
    expect(Object.keys(properties)).toEqual([
      'basics',
      'work',
      'volunteer',
      'education',
      'awards',
      'certificates',
      'publications',
      'skills',
      'languages',
      'interests',
      'references',
      'projects',
    ]);
    expect(properties.work.items.properties.startDate).toEqual({
      type: 'string',
      description: 'YYYY, YYYY-MM or YYYY-MM-DD',
    });
    expect(properties.basics.properties.email).toEqual({ type: 'string' });
  });
});
