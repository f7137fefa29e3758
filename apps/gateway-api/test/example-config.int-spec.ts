import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GatewayErrorCode, loadGatewayConfig } from '@ai-gateway/core';
import type { LoadConfigOptions } from '@ai-gateway/core';
import { tasksConfigOf, tasksSection } from '@ai-gateway/resume';

/**
 * The example shipped for users (and mounted by docker-compose.yml): the gateway app's
 * configuration, so it is read with the task engine's section, as the app's main.ts does.
 */
const EXAMPLE = join(__dirname, '../../../config/gateway.example.yaml');

const load = (options: LoadConfigOptions) =>
  loadGatewayConfig({ ...options, sections: [tasksSection] });

/** Every variable the example reads, set as a user with all providers would set them. */
const FULL_ENV = {
  OPENAI_API_KEY: 'sk-test-openai',
  OPENAI_API_KEY_2: 'sk-test-openai-2',
  ANTHROPIC_API_KEY: 'sk-ant-test',
  GEMINI_API_KEY: 'gemini-test',
  MISTRAL_API_KEY: 'mistral-test',
  OLLAMA_BASE_URL: 'http://ollama:11434',
  VLLM_BASE_URL: 'http://vllm:8000/v1',
  VLLM_API_KEY: 'vllm-test',
  FAKE_PROVIDER_URL: 'http://fake-provider:9090',
};

describe('config/gateway.example.yaml', () => {
  it('is valid with an empty environment: only the fake provider is enabled', () => {
    const config = load({ configPath: EXAMPLE, env: {} });

    expect(config.embeddedFake).toBe(false);
    expect(config.server).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      bodyLimitBytes: 10 * 1024 * 1024,
    });
    expect(config.logging).toMatchObject({ level: 'info', logPrompts: false });
    expect(Object.keys(config.providers)).toEqual([
      'fake',
      'openai',
      'anthropic',
      'gemini',
      'mistral',
      'ollama',
      'vllm',
    ]);
    const enabled = Object.values(config.providers).filter((p) => p.enabled);
    expect(enabled.map((p) => p.name)).toEqual(['fake']);
    expect(config.providers.fake).toMatchObject({
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:9090/openai/v1',
      fake: true,
    });
    expect(config.providers.openai.apiKeys).toEqual([]); // unset variable, disabled provider
    expect(Object.keys(config.routes)).toEqual(['chat', 'embeddings', 'resume']);
    expect(tasksConfigOf(config).defaultModel).toBe('resume');
    expect(config.routes.resume.targets.at(-1)).toBe('fake/fake-chat');
    expect(config.routes.chat.targets.at(-1)).toBe('fake/fake-chat');
  });

  it("is the gateway app's: read without the task engine's section, `tasks` is unknown", () => {
    expect(() => loadGatewayConfig({ configPath: EXAMPLE, env: {} })).toThrow(
      expect.objectContaining({
        code: GatewayErrorCode.INVALID_CONFIG,
        message: expect.stringContaining('tasks: unknown key') as string,
      }),
    );
  });

  it('takes keys and URLs from the environment, and a provider kind for each vendor', () => {
    const config = load({ configPath: EXAMPLE, env: FULL_ENV });

    expect(config.providers.fake.baseUrl).toBe('http://fake-provider:9090/openai/v1');
    expect(config.providers.openai.apiKeys).toEqual(['sk-test-openai']); // the second key is commented out
    expect(config.providers.anthropic.apiKeys).toEqual(['sk-ant-test']);
    expect(config.providers.ollama.baseUrl).toBe('http://ollama:11434');
    expect(config.providers.vllm).toMatchObject({
      baseUrl: 'http://vllm:8000/v1',
      apiKeys: ['vllm-test'],
    });
    expect(Object.values(config.providers).map((p) => p.kind)).toEqual([
      'openai-compatible',
      'openai',
      'anthropic',
      'gemini',
      'mistral',
      'ollama',
      'openai-compatible',
    ]);
  });

  it('stays valid with every provider switched on and its variables set', () => {
    const raw = parseYaml(readFileSync(EXAMPLE, 'utf8')) as {
      providers: Record<string, Record<string, unknown>>;
    };
    for (const provider of Object.values(raw.providers)) provider.enabled = true;

    const config = load({ config: raw, env: FULL_ENV });

    expect(Object.values(config.providers).every((p) => p.enabled)).toBe(true);
  });

  it('names the missing key when a provider is switched on without it', () => {
    const raw = parseYaml(readFileSync(EXAMPLE, 'utf8')) as {
      providers: Record<string, Record<string, unknown>>;
    };
    raw.providers.anthropic.enabled = true;

    expect(() => load({ config: raw, env: {} })).toThrow(
      expect.objectContaining({
        code: GatewayErrorCode.INVALID_CONFIG,
        message: expect.stringContaining(
          'providers.anthropic.apiKeys[0]: environment variable ANTHROPIC_API_KEY is not set',
        ) as string,
      }),
    );
  });
});
