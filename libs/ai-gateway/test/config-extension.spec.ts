import { IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { GatewayErrorCode, loadGatewayConfig } from '../src/index';
import type { ConfigSection } from '../src/config/config-section';
import { defineConfigSection, fieldFromEnv, sectionValue } from '../src/config/config-section';
import { Numeric } from '../src/config/field-coercion';
import { GATEWAY_CONFIG_SECTIONS } from '../src/config/gateway-config.sections';
import { withOwnKeyedMaps } from '../src/config/own-keyed-maps';

/**
 * A section declared outside the core's config folder, as another library declares its own
 * (@ai-gateway/resume's `tasks`): schema, coercion on its fields, an env shortcut, checks
 * against the core sections, a name-keyed map.
 */
class ReviewerConfig {
  @Numeric()
  @IsInt()
  @Min(1)
  maxOpen = 5;
}

class ReviewsConfig {
  @IsIn(['memory', 'redis'])
  store: 'memory' | 'redis' = 'memory';

  @Numeric()
  @IsInt()
  @Min(1)
  @Max(100)
  perPage = 20;

  @IsOptional()
  @IsString()
  @MinLength(8)
  webhookSecret?: string;

  @IsObject()
  reviewers: Record<string, ReviewerConfig> = {};
}

const reviewsSection = defineConfigSection({
  key: 'reviews',
  envShortcuts: [fieldFromEnv('REVIEWS_WEBHOOK_SECRET', 'webhookSecret')],
  ownKeyedMaps: ['reviewers'],
  build: (section, context) => {
    const reviews = context.validate(ReviewsConfig, section, 'reviews');
    reviews.reviewers = context.keyedMap(ReviewerConfig, reviews.reviewers, 'reviews.reviewers');
    return reviews;
  },
  check: (reviews, config, context) => {
    if (reviews.store === 'redis' && !config.redis) {
      context.report('reviews.store: redis needs redis.url (or REDIS_URL)');
    }
  },
});

const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    expect(error).toMatchObject({ code: GatewayErrorCode.INVALID_CONFIG });
    return (error as Error).message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^\s*- /, ''));
  }
  throw new Error('expected INVALID_CONFIG');
};

describe('a config section declared outside the core', () => {
  const file = {
    reviews: { perPage: '${PER_PAGE:-25}', reviewers: { alice: { maxOpen: '${ALICE_MAX}' } } },
  };

  it('is an unknown key until a library registers its section', () => {
    expect(problemsOf(() => loadGatewayConfig({ config: file, env: { ALICE_MAX: '2' } }))).toEqual([
      'reviews: unknown key',
    ]);
  });

  it('is read, interpolated, coerced on its fields and filled from its env shortcut', () => {
    const config = loadGatewayConfig({
      config: file,
      env: { ALICE_MAX: '2', REVIEWS_WEBHOOK_SECRET: 'whsec-0123456789' },
      sections: [reviewsSection],
    });

    const reviews = sectionValue(config, reviewsSection);
    expect(reviews).toBeInstanceOf(ReviewsConfig);
    expect(reviews).toMatchObject({
      store: 'memory',
      perPage: 25,
      webhookSecret: 'whsec-0123456789',
    });
    expect(reviews.reviewers.alice.maxOpen).toBe(2);
    expect(Object.getPrototypeOf(reviews.reviewers)).toBeNull();
    expect(config.embeddedFake).toBe(true); // the core sections are read as always
  });

  it("lists its problems with the core's in one error: shape, missing variables, then checks", () => {
    const problems = problemsOf(() =>
      loadGatewayConfig({
        config: {
          server: { port: -1 },
          reviews: { store: 'redis', perPage: 0, reviewers: { bob: { maxOpen: '${BOB_MAX}' } } },
        },
        env: {},
        sections: [reviewsSection],
      }),
    );
    expect(problems).toEqual([
      'server.port: port must not be less than 0',
      'reviews.perPage: perPage must not be less than 1',
      'reviews.reviewers.bob.maxOpen: maxOpen must not be less than 1',
      'reviews.reviewers.bob.maxOpen: maxOpen must be an integer number',
      'reviews.reviewers.bob.maxOpen: environment variable BOB_MAX is not set',
      'reviews.store: redis needs redis.url (or REDIS_URL)',
    ]);
  });

  it("its check sees the core sections (REDIS_URL fills the core's redis section)", () => {
    const config = loadGatewayConfig({
      config: { reviews: { store: 'redis' } },
      env: { REDIS_URL: 'redis://127.0.0.1:6379' },
      sections: [reviewsSection],
    });
    expect(sectionValue(config, reviewsSection).store).toBe('redis');
  });

  it('may not take a core key', () => {
    const clash: ConfigSection = { ...reviewsSection, key: 'cache' };
    expect(() => loadGatewayConfig({ env: {}, sections: [clash] })).toThrow(
      'Config section key "cache" is already taken',
    );
  });

  it('declares its name-keyed maps, which withOwnKeyedMaps hardens in a config built elsewhere', () => {
    const config = loadGatewayConfig({ env: {}, sections: [reviewsSection] });
    sectionValue(config, reviewsSection).reviewers = { carol: new ReviewerConfig() };
    withOwnKeyedMaps(config, [...GATEWAY_CONFIG_SECTIONS, reviewsSection]);
    expect(Object.getPrototypeOf(sectionValue(config, reviewsSection).reviewers)).toBeNull();
  });
});
