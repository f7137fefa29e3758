import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { entryFromEnv, fieldFromEnv, schemaSection } from './config-section';
import { Numeric } from './field-coercion';
import { SectionContext } from './section-context';

class Inner {
  @Numeric()
  @IsInt()
  @Min(1)
  size = 1;
}

class Outer {
  @IsString()
  name = 'outer';

  @ValidateNested()
  @Type(() => Inner)
  inner: Inner = new Inner();
}

describe(SectionContext.name, () => {
  it('validate: builds the class with its defaults and reports every failed rule under the path', () => {
    const context = new SectionContext({});
    const built = context.validate(Outer, { inner: { size: '0', colour: 'red' } }, 'demo');
    expect(built).toBeInstanceOf(Outer);
    expect(built.name).toBe('outer');
    expect(context.problems).toEqual([
      'demo.inner.colour: unknown key',
      'demo.inner.size: size must not be less than 1',
    ]);
  });

  it('mapping: absent is empty, a non-mapping is reported and read as empty', () => {
    const context = new SectionContext({});
    expect(context.mapping(undefined, 'a')).toEqual({});
    expect(context.mapping(null, 'b')).toEqual({});
    expect(context.mapping(['x'], 'c')).toEqual({});
    expect(context.mapping('x', 'd')).toEqual({});
    expect(context.problems).toEqual(['c: must be a mapping', 'd: must be a mapping']);
  });

  it('keyedMap: entries validated under their own path, in a map without a prototype', () => {
    const context = new SectionContext({});
    const map = context.keyedMap(Inner, { a: { size: 2 }, b: { size: -1 }, c: 3 }, 'sizes');
    expect(Object.getPrototypeOf(map)).toBeNull();
    expect(map.a.size).toBe(2);
    expect(context.problems).toEqual([
      'sizes.b.size: size must not be less than 1',
      'sizes.c: must be a mapping',
    ]);
  });

  it('entries: an entry an env shortcut added is reported under the variable', () => {
    const context = new SectionContext({});
    const section: Record<string, unknown> = { file: { size: 1 } };
    entryFromEnv('SIZE_FROM_ENV', 'env', (value) => ({ size: value })).apply(section, '0', context);
    entryFromEnv('IGNORED', 'file', () => ({ size: 9 })).apply(section, 'x', context);
    expect(context.entries(section, 'sizes').map(([name, , path]) => [name, path])).toEqual([
      ['file', 'sizes.file'],
      ['env', 'SIZE_FROM_ENV'],
    ]);
    context.keyedMap(Inner, section, 'sizes');
    expect(context.problems).toEqual(['SIZE_FROM_ENV.size: size must not be less than 1']);
  });
});

describe('section helpers', () => {
  it('fieldFromEnv fills a field only when the file leaves it unset', () => {
    const shortcut = fieldFromEnv('NAME', 'name');
    const empty: Record<string, unknown> = {};
    const set: Record<string, unknown> = { name: 'file' };
    shortcut.apply(empty, 'env', new SectionContext({}));
    shortcut.apply(set, 'env', new SectionContext({}));
    expect([empty.name, set.name]).toEqual(['env', 'file']);
  });

  it('schemaSection validates the whole mapping under its key', () => {
    const section = schemaSection('outer', Outer);
    const context = new SectionContext({});
    expect(section.build({ name: 7 }, context)).toBeInstanceOf(Outer);
    expect(context.problems).toEqual(['outer.name: name must be a string']);
  });
});
