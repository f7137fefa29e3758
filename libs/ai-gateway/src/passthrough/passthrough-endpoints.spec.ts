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
      expect(servesEndpoint('openai-compatible', endpoint)).toBe(true);
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
});
