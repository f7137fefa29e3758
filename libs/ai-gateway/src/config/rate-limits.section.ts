import { defineConfigSection } from './config-section';
import { RateLimitConfig, RateLimitsConfig } from './rate-limit-config.schema';

/** `rateLimits`: requests, tokens and concurrency per scope, shared through Redis. */
export const rateLimitsSection = defineConfigSection({
  key: 'rateLimits',
  ownKeyedMaps: ['users', 'teams', 'models'],
  build: (section, context) => {
    const limits = context.validate(RateLimitsConfig, section, 'rateLimits');
    for (const owner of ['users', 'teams', 'models'] as const) {
      limits[owner] = context.keyedMap(RateLimitConfig, limits[owner], `rateLimits.${owner}`);
    }
    return limits;
  },
});
