import { GatewayErrorCode } from '@ai-gateway/core';
import { modelIdOf } from './models.controller';

describe(modelIdOf.name, () => {
  it.each([
    ['/v1/models/openai/gpt-4o-mini', 'openai/gpt-4o-mini'],
    ['/v1/models/openai%2Fgpt-4o-mini', 'openai/gpt-4o-mini'],
    ['/v1/models/openai%2Fgpt-4o-mini?x=1', 'openai/gpt-4o-mini'],
    ['/v1/models/fast', 'fast'],
    ['/v1/models/bad%zzname', 'bad%zzname'],
  ])('%s → %s', (url, id) => {
    expect(modelIdOf(url)).toBe(id);
  });

  it('refuses an empty id with model_not_found', () => {
    expect(() => modelIdOf('/v1/models/')).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.MODEL_NOT_FOUND }),
    );
  });
});
