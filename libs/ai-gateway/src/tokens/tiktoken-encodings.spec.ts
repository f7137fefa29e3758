import { encodingFor } from './tiktoken-encodings';

describe('encodingFor', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-4.5-preview', 'o200k_base'],
    ['chatgpt-4o-latest', 'o200k_base'],
    ['o1', 'o200k_base'],
    ['o3-mini', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['some-future-model', 'o200k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['gpt-3.5-turbo-0125', 'cl100k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-0613', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['GPT-4-32k', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
    ['text-embedding-ada-002', 'cl100k_base'],
  ])('counts OpenAI model %s with %s', (model, encoding) => {
    expect(encodingFor('openai', model)).toBe(encoding);
  });

  it('reads the model behind an OpenAI-compatible router prefix', () => {
    expect(encodingFor('openai-compatible', 'openai/gpt-4')).toBe('cl100k_base');
    expect(encodingFor('openai-compatible', 'openai/gpt-4o')).toBe('o200k_base');
    expect(encodingFor('openai-compatible', 'meta-llama/llama-3.1-70b')).toBe('o200k_base');
  });

  it.each(['anthropic', 'gemini', 'mistral', 'ollama', 'fake'] as const)(
    'approximates %s models with o200k_base whatever their name',
    (kind) => {
      expect(encodingFor(kind, 'gpt-4')).toBe('o200k_base');
      expect(encodingFor(kind, 'claude-sonnet-4')).toBe('o200k_base');
    },
  );
});
