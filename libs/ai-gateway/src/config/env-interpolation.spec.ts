import type { MissingVariable } from './env-interpolation';
import { interpolateEnv } from './env-interpolation';

describe(interpolateEnv.name, () => {
  const run = (
    node: unknown,
    env: Record<string, string | undefined> = {},
  ): { value: unknown; missing: MissingVariable[] } => {
    const missing: MissingVariable[] = [];
    return { value: interpolateEnv(node, env, missing), missing };
  };

  it('replaces variables in every string of a nested tree, keys untouched', () => {
    const tree = {
      server: { host: '${HOST}', port: '${PORT}' },
      providers: {
        openai: {
          apiKeys: ['${KEY_1}', '${KEY_2}'],
          headers: { '${NOT_A_KEY}': 'team-${TEAM}' },
        },
      },
      routes: { fast: [['${A}', 'b']] },
    };

    const { value, missing } = run(tree, {
      HOST: '10.0.0.1',
      PORT: '9000',
      KEY_1: 'sk-1',
      KEY_2: 'sk-2',
      TEAM: 'core',
      A: 'x/y',
      NOT_A_KEY: 'never',
    });

    expect(value).toEqual({
      server: { host: '10.0.0.1', port: '9000' },
      providers: {
        openai: {
          apiKeys: ['sk-1', 'sk-2'],
          headers: { '${NOT_A_KEY}': 'team-core' },
        },
      },
      routes: { fast: [['x/y', 'b']] },
    });
    expect(missing).toEqual([]);
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty', () => {
    const { value, missing } = run(
      { a: '${UNSET:-one}', b: '${EMPTY:-two}', c: '${SET:-three}', d: '${UNSET:-}' },
      { EMPTY: '', SET: 'set' },
    );
    expect(value).toEqual({ a: 'one', b: 'two', c: 'set', d: '' });
    expect(missing).toEqual([]);
  });

  it('keeps a default that contains URL punctuation', () => {
    const { value } = run({ url: '${BASE:-http://127.0.0.1:11434/v1?x=1}' });
    expect(value).toEqual({ url: 'http://127.0.0.1:11434/v1?x=1' });
  });

  it('replaces several variables inside one string', () => {
    const { value } = run('http://${HOST}:${PORT:-80}/${PATH_PART}', {
      HOST: 'vllm',
      PATH_PART: 'v1',
    });
    expect(value).toBe('http://vllm:80/v1');
  });

  it('records the dotted path and name of each missing variable and leaves an empty string', () => {
    const { value, missing } = run(
      {
        providers: {
          openai: { apiKeys: ['${KEY_1}', 'literal', '${KEY_3}'] },
          vllm: { baseUrl: 'http://${VLLM_HOST}/v1' },
        },
        routes: { fast: [['${DEEP}']] },
      },
      { KEY_1: 'sk-1', VLLM_HOST: '' },
    );

    expect(value).toEqual({
      providers: {
        openai: { apiKeys: ['sk-1', 'literal', ''] },
        vllm: { baseUrl: 'http:///v1' },
      },
      routes: { fast: [['']] },
    });
    expect(missing).toEqual([
      { path: 'providers.openai.apiKeys[2]', variable: 'KEY_3' },
      { path: 'providers.vllm.baseUrl', variable: 'VLLM_HOST' },
      { path: 'routes.fast[0][0]', variable: 'DEEP' },
    ]);
  });

  it('records one entry per missing occurrence in the same string', () => {
    const { missing } = run({ header: '${A}-${B}-${A}' });
    expect(missing).toEqual([
      { path: 'header', variable: 'A' },
      { path: 'header', variable: 'B' },
      { path: 'header', variable: 'A' },
    ]);
  });

  it('appends to the list it is given', () => {
    const missing: MissingVariable[] = [{ path: 'earlier', variable: 'OLD' }];
    interpolateEnv({ key: '${NEW}' }, {}, missing);
    expect(missing).toEqual([
      { path: 'earlier', variable: 'OLD' },
      { path: 'key', variable: 'NEW' },
    ]);
  });

  it('returns numbers, booleans and null unchanged', () => {
    const { value } = run({
      port: 8080,
      enabled: false,
      ratio: 0.5,
      nothing: null,
      list: [1, true],
    });
    expect(value).toEqual({
      port: 8080,
      enabled: false,
      ratio: 0.5,
      nothing: null,
      list: [1, true],
    });
  });

  it('keeps a substituted value as text even when it looks like a number or a boolean', () => {
    const { value } = run({ port: '${PORT}', enabled: '${ON}' }, { PORT: '9000', ON: 'true' });
    expect(value).toEqual({ port: '9000', enabled: 'true' });
  });

  it('does not expand a variable reference inside a substituted value', () => {
    const { value, missing } = run({ key: '${OUTER}' }, { OUTER: '${INNER}', INNER: 'leak' });
    expect(value).toEqual({ key: '${INNER}' });
    expect(missing).toEqual([]);
  });

  it('leaves $VAR without braces and invalid variable names alone', () => {
    const { value, missing } = run({ a: '$HOME', b: '${1BAD}', c: '${with-dash}', d: 'cost: $5' });
    expect(value).toEqual({ a: '$HOME', b: '${1BAD}', c: '${with-dash}', d: 'cost: $5' });
    expect(missing).toEqual([]);
  });

  it('does not modify the input tree', () => {
    const tree = { providers: { openai: { apiKeys: ['${KEY}'] } } };
    const { value } = run(tree, { KEY: 'sk-1' });
    expect(tree).toEqual({ providers: { openai: { apiKeys: ['${KEY}'] } } });
    expect(value).not.toBe(tree);
  });

  it('reports a missing variable of a top-level string with an empty path', () => {
    const { value, missing } = run('${ONLY}');
    expect(value).toBe('');
    expect(missing).toEqual([{ path: '', variable: 'ONLY' }]);
  });
});
