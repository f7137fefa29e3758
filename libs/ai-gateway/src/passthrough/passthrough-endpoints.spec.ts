import { GatewayErrorCode } from '../errors/gateway-error-code';
import {
  PASSTHROUGH_ENDPOINTS,
  servesEndpoint,
  unsupportedEndpoint,
} from './passthrough-endpoints';

describe('passthrough endpoints', () => {
  it('are served by OpenAI and OpenAI-compatible providers, Mistral where its API has them', () => {
    for (const endpoint of Object.keys(PASSTHROUGH_ENDPOINTS) as Array<
      keyof typeof PASSTHROUGH_ENDPOINTS
    >) {
      expect(servesEndpoint('openai', endpoint)).toBe(true);
      // OpenAI's own Responses API (built-in tools) is OpenAI's alone.
      expect(servesEndpoint('openai-compatible', endpoint)).toBe(endpoint !== 'responses');
      for (const kind of ['anthropic', 'gemini', 'ollama', 'fake'] as const) {
        expect(servesEndpoint(kind, endpoint)).toBe(false);
      }
    }
    expect(servesEndpoint('mistral', 'moderations')).toBe(true);
    expect(servesEndpoint('mistral', 'images.generations')).toBe(false);
    expect(servesEndpoint(undefined, 'completions')).toBe(false);
  });

  it('refuse with unsupported_feature naming the endpoint and the providers', () => {
    const error = unsupportedEndpoint(
      'audio.speech',
      [{ provider: 'gem', model: 'g' }],
      () => 'gemini',
    );
    expect(error.code).toBe(GatewayErrorCode.UNSUPPORTED_FEATURE);
    expect(error.provider).toBe('gem');
    expect(error.message).toContain(
      'POST /v1/audio/speech is not supported by provider "gem" (gemini)',
    );
  });

  it('name the feature that needs the endpoint when the request has one', () => {
    const error = unsupportedEndpoint(
      'responses',
      [
        { provider: 'claude', model: 'c' },
        { provider: 'local', model: 'l' },
      ],
      (name) => (name === 'claude' ? 'anthropic' : 'openai-compatible'),
      { param: 'tools[0].type', what: "the built-in tool 'web_search'" },
    );
    expect(error.code).toBe(GatewayErrorCode.UNSUPPORTED_FEATURE);
    expect(error.param).toBe('tools[0].type');
    expect(error.message).toBe(
      'The built-in tool \'web_search\' needs OpenAI\'s own POST /v1/responses, which provider "claude" (anthropic), "local" (openai-compatible) does not have: use a model served by openai providers',
    );
  });
});
