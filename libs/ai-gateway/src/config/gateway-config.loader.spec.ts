import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { Env, LoadConfigOptions } from './gateway-config.loader';
import { LOCAL_FAKE_PROVIDER, loadGatewayConfig } from './gateway-config.loader';

describe(loadGatewayConfig.name, () => {
  let dir: string;
  let fileCount = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const yamlFile = (text: string): string => {
    const path = join(dir, `config-${++fileCount}.yaml`);
    writeFileSync(path, text, 'utf8');
    return path;
  };
  const inline = (config: Record<string, unknown>, env: Env = {}) =>
    loadGatewayConfig({ config, env });
  /** The one INVALID_CONFIG error a bad configuration produces, with its listed problems. */
  const invalid = (options: LoadConfigOptions): { error: GatewayError; lines: string[] } => {
    let thrown: unknown;
    try {
      loadGatewayConfig(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    const error = thrown as GatewayError;
    expect(error.code).toBe(GatewayErrorCode.INVALID_CONFIG);
    expect(error.retryable).toBe(false);
    const lines = error.message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^\s*- /, ''));
    return { error, lines };
  };
  const vllm = { kind: 'openai-compatible', baseUrl: 'http://vllm:8000/v1' };

  describe('YAML files and interpolation', () => {
    it('reads a YAML file and fills ${VAR} and ${VAR:-default} from the environment', () => {
      const path = yamlFile(
        [
          'server:',
          '  host: ${HOST:-127.0.0.1}',
          'providers:',
          '  openai:',
          '    kind: openai',
          '    apiKey: ${OPENAI_KEY}',
          '  vllm:',
          '    kind: openai-compatible',
          '    baseUrl: http://${VLLM_HOST:-vllm}:${VLLM_PORT:-8000}/v1',
          '    headers:',
          '      x-team: ${TEAM:-core}',
        ].join('\n'),
      );

      const config = loadGatewayConfig({
        configPath: path,
        env: { OPENAI_KEY: 'sk-from-env', VLLM_PORT: '9000' },
      });

      expect(config.server.host).toBe('127.0.0.1');
      expect(config.providers.openai.apiKeys).toEqual(['sk-from-env']);
      expect(config.providers.vllm.baseUrl).toBe('http://vllm:9000/v1');
      expect(config.providers.vllm.headers).toEqual({ 'x-team': 'core' });
      expect(config.embeddedFake).toBe(false);
    });

    it('takes the file path from AI_GATEWAY_CONFIG when no path is given', () => {
      const path = yamlFile('server:\n  port: 9191\n');
      const config = loadGatewayConfig({ env: { AI_GATEWAY_CONFIG: path } });
      expect(config.server.port).toBe(9191);
    });

    it('coerces interpolated numbers and booleans back into their types', () => {
      const path = yamlFile(
        [
          'server:',
          '  port: ${GW_PORT}',
          '  bodyLimitBytes: ${BODY_LIMIT:-2048}',
          'logging:',
          '  logPrompts: ${LOG_PROMPTS:-TRUE}',
          'providers:',
          '  vllm:',
          '    kind: openai-compatible',
          '    baseUrl: http://vllm:8000/v1',
          '    timeoutMs: ${VLLM_TIMEOUT:-1500}',
          '    maxRetries: "${VLLM_RETRIES}"',
          '    priority: ${VLLM_PRIORITY:--3}',
          '    maxConnections: ${VLLM_CONNECTIONS:-8}',
          '    enabled: ${VLLM_ENABLED:-true}',
          '  spare:',
          '    kind: ollama',
          '    enabled: ${SPARE_ENABLED:-false}',
        ].join('\n'),
      );

      const config = loadGatewayConfig({
        configPath: path,
        env: { GW_PORT: '9000', VLLM_RETRIES: '0' },
      });

      expect(config.server.port).toBe(9000);
      expect(config.server.bodyLimitBytes).toBe(2048);
      expect(config.logging.logPrompts).toBe(true);
      expect(config.providers.vllm).toMatchObject({
        timeoutMs: 1500,
        maxRetries: 0,
        priority: -3,
        maxConnections: 8,
        enabled: true,
      });
      expect(config.providers.spare.enabled).toBe(false);
    });

    it('keeps a non-numeric value of a numeric field as text and reports it', () => {
      const { lines } = invalid({
        config: { server: { port: '${GW_PORT}' } },
        env: { GW_PORT: 'eighty' },
      });
      expect(lines).toContain('server.port: port must be an integer number');
      expect(lines.every((line) => line.startsWith('server.port: '))).toBe(true);
    });

    it('reports invalid YAML as INVALID_CONFIG naming the file', () => {
      const path = yamlFile('providers:\n  openai: [unclosed\n');
      const { error, lines } = invalid({ configPath: path, env: {} });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`${path}: invalid YAML`);
      expect(error.message).not.toContain('\n    at ');
    });

    it('reports an unreadable path as INVALID_CONFIG with the errno code', () => {
      const path = join(dir, 'does-not-exist.yaml');
      const { lines } = invalid({ configPath: path, env: {} });
      expect(lines).toEqual([`${path}: cannot read (ENOENT)`]);
    });

    it('reports a file whose top level is not a mapping', () => {
      const path = yamlFile('- just\n- a list\n');
      const { lines } = invalid({ configPath: path, env: {} });
      expect(lines).toEqual([`${path}: must be a mapping`]);
    });

    it('treats an empty file as an empty configuration', () => {
      const config = loadGatewayConfig({ configPath: yamlFile(''), env: {} });
      expect(config.server).toMatchObject({
        port: 8080,
        host: '0.0.0.0',
        bodyLimitBytes: 10 * 1024 * 1024,
      });
      expect(config.logging).toMatchObject({ level: 'info', logPrompts: false });
    });
  });

  describe('validation', () => {
    it('lists every bad key of a file in one INVALID_CONFIG error', () => {
      const path = yamlFile(
        [
          'server:',
          '  port: 70000',
          '  bodyLimitBytes: 10',
          '  colour: blue',
          'logging:',
          '  level: loud',
          'providers:',
          '  vllm:',
          '    kind: openai-compatible',
          '    baseUrl: not a url',
          '    timeoutMs: 0',
          '    maxRetries: 11',
          '  odd:',
          '    kind: teleport',
          'routes:',
          '  fast: [nowhere/model-x]',
        ].join('\n'),
      );

      const { error, lines } = invalid({ configPath: path, env: {} });

      expect(error.message.split('\n')[0]).toBe('Invalid gateway configuration:');
      const paths = lines.map((line) => line.slice(0, line.indexOf(':')));
      expect(paths).toEqual(
        expect.arrayContaining([
          'server.port',
          'server.bodyLimitBytes',
          'server.colour',
          'logging.level',
          'providers.vllm.baseUrl',
          'providers.vllm.timeoutMs',
          'providers.vllm.maxRetries',
          'providers.odd.kind',
          'routes.fast.targets[0]',
        ]),
      );
      expect(lines).toContain('server.colour: unknown key');
      expect(lines).toContain(
        'routes.fast.targets[0]: unknown provider "nowhere" in "nowhere/model-x"',
      );
    });

    it('rejects unknown keys of a provider and of a route', () => {
      const { lines } = invalid({
        config: {
          providers: { vllm: { ...vllm, apikeys: ['typo'], retries: 3 } },
          routes: { fast: { targets: ['vllm/llama'], order: 'random', hedge: { after: 5 } } },
        },
        env: {},
      });
      expect(lines).toEqual([
        'providers.vllm.apikeys: unknown key',
        'providers.vllm.retries: unknown key',
        'routes.fast.order: unknown key',
        'routes.fast.hedge.after: unknown key',
      ]);
    });

    it('rejects an unknown top-level key such as a misspelt `provders:`', () => {
      const { lines } = invalid({ config: { provders: { openai: { kind: 'openai' } } }, env: {} });
      expect(lines).toEqual(['provders: unknown key']);
    });

    it('reports a section that is not a mapping', () => {
      const { lines } = invalid({ config: { server: 'big', providers: ['openai'] }, env: {} });
      expect(lines).toEqual(['server: must be a mapping', 'providers: must be a mapping']);
    });
  });

  describe('environment variables and provider keys', () => {
    it('ignores a missing variable of a disabled provider', () => {
      const path = yamlFile(
        [
          'providers:',
          '  openai:',
          '    kind: openai',
          '    enabled: false',
          '    apiKey: ${OPENAI_KEY}',
          '  vllm:',
          '    kind: openai-compatible',
          '    baseUrl: http://vllm:8000/v1',
        ].join('\n'),
      );

      const config = loadGatewayConfig({ configPath: path, env: {} });

      expect(config.providers.openai).toMatchObject({ enabled: false, apiKeys: [] });
      expect(config.providers.vllm.enabled).toBe(true);
    });

    it('reports a missing variable of an enabled provider with its path and name', () => {
      const path = yamlFile(
        [
          'providers:',
          '  openai:',
          '    kind: openai',
          '    apiKeys:',
          '      - ${OPENAI_KEY_1}',
          '      - ${OPENAI_KEY_2}',
        ].join('\n'),
      );

      const { lines } = invalid({ configPath: path, env: { OPENAI_KEY_1: 'sk-1' } });

      expect(lines).toEqual([
        'providers.openai.apiKeys[1]: environment variable OPENAI_KEY_2 is not set',
      ]);
    });

    it('reports a missing variable outside the providers section', () => {
      const { lines } = invalid({
        config: { server: { host: '${GW_HOST}' }, providers: { vllm } },
        env: {},
      });
      expect(lines).toEqual(['server.host: environment variable GW_HOST is not set']);
    });

    it.each(['openai', 'anthropic', 'gemini', 'mistral'])(
      'accepts an enabled %s provider that has a key',
      (kind) => {
        const config = inline({ providers: { main: { kind, apiKey: 'k-1' } } });
        expect(config.providers.main).toMatchObject({ kind, enabled: true, apiKeys: ['k-1'] });
      },
    );

    it.each(['openai', 'anthropic', 'gemini', 'mistral'])(
      'rejects an enabled %s provider without keys',
      (kind) => {
        const { lines } = invalid({ config: { providers: { main: { kind } } }, env: {} });
        expect(lines).toEqual([
          'providers.main.apiKeys: at least one key is required for an enabled provider of this kind',
        ]);
      },
    );

    it('accepts a disabled openai provider without keys', () => {
      const config = inline({
        providers: { openai: { kind: 'openai', enabled: false }, vllm },
      });
      expect(config.providers.openai).toMatchObject({ enabled: false, apiKeys: [] });
    });

    it('rejects a key that is not a string', () => {
      const { lines } = invalid({
        config: { providers: { openai: { kind: 'openai', apiKeys: ['sk-1', 42] } } },
        env: {},
      });
      expect(lines).toContain('providers.openai.apiKeys: each value in apiKeys must be a string');
      expect(lines.every((line) => line.startsWith('providers.openai.apiKeys: '))).toBe(true);
    });

    it('drops keys that interpolate to an empty default', () => {
      const config = inline({
        providers: { openai: { kind: 'openai', apiKeys: ['sk-1', '${OPENAI_KEY_2:-}'] } },
      });
      expect(config.providers.openai.apiKeys).toEqual(['sk-1']);
    });

    it.each([
      ['ollama', { kind: 'ollama' }],
      ['openai-compatible', vllm],
    ])('accepts an enabled %s provider without keys', (_kind, entry) => {
      const config = inline({ providers: { local: entry } });
      expect(config.providers.local).toMatchObject({ enabled: true, apiKeys: [] });
    });

    it('requires a baseUrl for an enabled openai-compatible provider only', () => {
      const { lines } = invalid({
        config: {
          providers: {
            vllm: { kind: 'openai-compatible' },
            spare: { kind: 'openai-compatible', enabled: false },
          },
        },
        env: {},
      });
      expect(lines).toEqual(['providers.vllm.baseUrl: required for kind openai-compatible']);
    });

    it.each([
      ['openai', 'https://api.openai.com/v1'],
      ['mistral', 'https://api.mistral.ai/v1'],
      ['anthropic', 'https://api.anthropic.com'],
      ['gemini', 'https://generativelanguage.googleapis.com'],
      ['ollama', 'http://127.0.0.1:11434'],
    ])('gives a %s provider the default base URL %s', (kind, baseUrl) => {
      const config = inline({ providers: { main: { kind, apiKey: 'k-1' } } });
      expect(config.providers.main.baseUrl).toBe(baseUrl);
    });

    it('keeps a configured base URL over the default', () => {
      const config = inline({
        providers: { openai: { kind: 'openai', apiKey: 'k', baseUrl: 'http://proxy:1/v1' } },
      });
      expect(config.providers.openai.baseUrl).toBe('http://proxy:1/v1');
    });

    it('accepts a single apiKey, apiKeys as one string, and merges apiKey first', () => {
      const config = inline({
        providers: {
          single: { kind: 'openai', apiKey: 'sk-single' },
          text: { kind: 'anthropic', apiKeys: 'sk-text' },
          both: { kind: 'gemini', apiKey: 'g-first', apiKeys: ['g-second', 'g-third'] },
        },
      });
      expect(config.providers.single.apiKeys).toEqual(['sk-single']);
      expect(config.providers.text.apiKeys).toEqual(['sk-text']);
      expect(config.providers.both.apiKeys).toEqual(['g-first', 'g-second', 'g-third']);
    });

    it('adds providers from the environment shortcuts with their default base URLs', () => {
      const config = inline(
        {},
        {
          OPENAI_API_KEY: 'sk-o',
          ANTHROPIC_API_KEY: 'sk-a',
          GEMINI_API_KEY: 'g-1',
          MISTRAL_API_KEY: 'm-1',
          OLLAMA_BASE_URL: 'http://ollama:11434',
        },
      );

      expect(Object.keys(config.providers)).toEqual([
        'openai',
        'anthropic',
        'gemini',
        'mistral',
        'ollama',
      ]);
      expect(config.providers.openai).toMatchObject({
        kind: 'openai',
        apiKeys: ['sk-o'],
        baseUrl: 'https://api.openai.com/v1',
        enabled: true,
      });
      expect(config.providers.anthropic).toMatchObject({ kind: 'anthropic', apiKeys: ['sk-a'] });
      expect(config.providers.gemini).toMatchObject({ kind: 'gemini', apiKeys: ['g-1'] });
      expect(config.providers.mistral).toMatchObject({
        kind: 'mistral',
        apiKeys: ['m-1'],
        baseUrl: 'https://api.mistral.ai/v1',
      });
      expect(config.providers.ollama).toMatchObject({
        kind: 'ollama',
        apiKeys: [],
        baseUrl: 'http://ollama:11434',
      });
      expect(config.embeddedFake).toBe(false);
    });

    it("does not let a shortcut override the file's provider of the same name", () => {
      const config = inline(
        {
          providers: {
            openai: { kind: 'openai', apiKey: 'sk-file', enabled: false },
            ollama: { kind: 'ollama', baseUrl: 'http://gpu-box:11434' },
          },
        },
        { OPENAI_API_KEY: 'sk-env', OLLAMA_BASE_URL: 'http://ollama:11434' },
      );
      expect(config.providers.openai).toMatchObject({ apiKeys: ['sk-file'], enabled: false });
      expect(config.providers.ollama.baseUrl).toBe('http://gpu-box:11434');
    });

    it('reports an invalid shortcut value under the variable name', () => {
      const { lines } = invalid({ config: {}, env: { OLLAMA_BASE_URL: 'not a url' } });
      expect(lines).toEqual([expect.stringMatching(/^OLLAMA_BASE_URL\.baseUrl: /)]);
    });

    it('sets server.port from PORT over the file', () => {
      const config = inline({ server: { port: 8080 }, providers: { vllm } }, { PORT: '3000' });
      expect(config.server.port).toBe(3000);
    });

    it('ignores an empty PORT', () => {
      const config = inline({ server: { port: 8181 } }, { PORT: '' });
      expect(config.server.port).toBe(8181);
    });

    it('lists a bad PORT together with the other errors', () => {
      const { lines } = invalid({
        config: { logging: { level: 'chatty' } },
        env: { PORT: '70000' },
      });
      expect(lines).toEqual([
        'PORT: must be an integer between 0 and 65535 (got "70000")',
        expect.stringMatching(/^logging\.level: /),
      ]);
    });

    it.each(['http', '80.5', '-1'])('reports PORT=%s', (port) => {
      const { lines } = invalid({ config: {}, env: { PORT: port } });
      expect(lines).toEqual([`PORT: must be an integer between 0 and 65535 (got "${port}")`]);
    });
  });

  describe('routes', () => {
    it('accepts a route as a list or as {targets}', () => {
      const config = inline({
        providers: { vllm, ollama: { kind: 'ollama' } },
        routes: {
          fast: ['vllm/llama-3-8b', 'ollama/llama3'],
          smart: { targets: ['vllm/meta-llama/Llama-3-70B'] },
        },
      });
      expect(config.routes.fast).toMatchObject({
        name: 'fast',
        targets: ['vllm/llama-3-8b', 'ollama/llama3'],
      });
      expect(config.routes.smart).toMatchObject({
        name: 'smart',
        targets: ['vllm/meta-llama/Llama-3-70B'],
      });
    });

    it('reports every route target naming an unknown provider', () => {
      const { lines } = invalid({
        config: {
          providers: { vllm },
          routes: { fast: ['vllm/llama', 'ghost/llama', 'phantom/x'] },
        },
        env: {},
      });
      expect(lines).toEqual([
        'routes.fast.targets[1]: unknown provider "ghost" in "ghost/llama"',
        'routes.fast.targets[2]: unknown provider "phantom" in "phantom/x"',
      ]);
    });
  });

  describe('embedded fake provider', () => {
    it(`adds ${LOCAL_FAKE_PROVIDER} when no provider is configured`, () => {
      const config = inline({});
      expect(config.embeddedFake).toBe(true);
      expect(Object.keys(config.providers)).toEqual([LOCAL_FAKE_PROVIDER]);
      expect(config.providers[LOCAL_FAKE_PROVIDER]).toMatchObject({
        name: LOCAL_FAKE_PROVIDER,
        kind: 'fake',
        fake: true,
        enabled: true,
        models: ['echo', 'text-embedding-fake'],
      });
    });

    it('adds it when every configured provider is disabled', () => {
      const config = inline({ providers: { ollama: { kind: 'ollama', enabled: false } } });
      expect(config.embeddedFake).toBe(true);
      expect(Object.keys(config.providers)).toEqual(['ollama', LOCAL_FAKE_PROVIDER]);
    });

    it('does not add it when a provider is enabled', () => {
      const config = inline({ providers: { vllm } });
      expect(config.embeddedFake).toBe(false);
      expect(config.providers[LOCAL_FAKE_PROVIDER]).toBeUndefined();
    });

    it('does not add it when an environment shortcut configures a provider', () => {
      const config = inline({}, { OPENAI_API_KEY: 'sk-env' });
      expect(config.embeddedFake).toBe(false);
      expect(Object.keys(config.providers)).toEqual(['openai']);
    });
  });
});
