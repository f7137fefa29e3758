import type { ProviderKind } from '../config/gateway-config.schema';
import { LocalFakeProvider } from './fake/local-fake.provider';
import { AnthropicProvider } from './anthropic/anthropic.provider';
import { GeminiProvider } from './gemini/gemini.provider';
import { MistralProvider } from './mistral/mistral.provider';
import { OllamaProvider } from './ollama/ollama.provider';
import { OpenAiCompatibleProvider } from './openai-compatible/openai-compatible.provider';
import { OpenAiProvider } from './openai/openai.provider';
import type { ProviderAdapterFactory } from './provider-adapter.interface';

/** The adapter class behind each provider kind; one entry per vendor folder. */
export const PROVIDER_FACTORIES: Readonly<Record<ProviderKind, ProviderAdapterFactory>> = {
  openai: (config) => new OpenAiProvider(config),
  mistral: (config) => new MistralProvider(config),
  'openai-compatible': (config) => new OpenAiCompatibleProvider(config),
  anthropic: (config) => new AnthropicProvider(config),
  gemini: (config) => new GeminiProvider(config),
  ollama: (config) => new OllamaProvider(config),
  fake: (config) => new LocalFakeProvider(config),
};
