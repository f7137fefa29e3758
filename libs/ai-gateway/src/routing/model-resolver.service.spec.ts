import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { ModelResolver } from './model-resolver.service';

describe(ModelResolver.name, () => {
  const compatible = (baseUrl: string, extra: Record<string, unknown> = {}) => ({
    kind: 'openai-compatible',
    baseUrl,
    ...extra,
  });
  const baseConfig = () => ({
    providers: {
      vllm: compatible('http://vllm:8000/v1', { priority: 5, models: ['llama-3-8b'] }),
      ollama: { kind: 'ollama', priority: 1, models: ['llama-3-8b', 'qwen2'] },
      tgi: compatible('http://tgi:8080/v1', { priority: 1, models: ['llama-3-8b'] }),
      openrouter: compatible('http://openrouter:1/v1'),
      offline: compatible('http://offline:1/v1', { enabled: false, models: ['llama-3-8b'] }),
    },
    routes: {
      fast: ['offline/llama-3-8b', 'ollama/qwen2', 'vllm/llama-3-8b'],
      dead: ['offline/llama-3-8b'],
      big: { targets: ['openrouter/meta-llama/Llama-3-70B'] },
    },
  });

  let config: GatewayConfigService;
  let resolver: ModelResolver;

  beforeEach(() => {
    config = new GatewayConfigService(loadGatewayConfig({ config: baseConfig(), env: {} }));
    resolver = new ModelResolver(config);
  });

  const notFound = (model: string): GatewayError => {
    let thrown: unknown;
    try {
      resolver.resolve(model);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    const error = thrown as GatewayError;
    expect(error).toMatchObject({
      code: GatewayErrorCode.MODEL_NOT_FOUND,
      param: 'model',
      retryable: false,
    });
    expect(error.message).toContain(`"${model}"`);
    return error;
  };

  it('resolves a route alias to its targets in order, skipping disabled providers', () => {
    expect(resolver.resolve('fast')).toEqual({
      targets: [
        { provider: 'ollama', model: 'qwen2' },
        { provider: 'vllm', model: 'llama-3-8b' },
      ],
      route: 'fast',
      explicit: false,
    });
  });

  it('splits a route target at the first slash only', () => {
    expect(resolver.resolve('big').targets).toEqual([
      { provider: 'openrouter', model: 'meta-llama/Llama-3-70B' },
    ]);
  });

  it('refuses a route whose providers are all disabled', () => {
    const error = notFound('dead');
    expect(error.message).toContain('no enabled provider');
  });

  it('resolves provider/model to that one target, marked explicit', () => {
    expect(resolver.resolve('ollama/qwen2')).toEqual({
      targets: [{ provider: 'ollama', model: 'qwen2' }],
      explicit: true,
    });
  });

  it('keeps the slashes of a model id after the provider name', () => {
    expect(resolver.resolve('openrouter/meta-llama/Llama-3')).toEqual({
      targets: [{ provider: 'openrouter', model: 'meta-llama/Llama-3' }],
      explicit: true,
    });
  });

  it('lets a provider without a models list serve any id', () => {
    expect(resolver.resolve('openrouter/anything-at-all').targets).toEqual([
      { provider: 'openrouter', model: 'anything-at-all' },
    ]);
  });

  it('refuses an explicit id that a provider with a models list does not serve', () => {
    const error = notFound('vllm/gpt-4o');
    expect(error.message).toContain('does not serve "gpt-4o"');
  });

  it('refuses an explicit call to a disabled provider', () => {
    const error = notFound('offline/llama-3-8b');
    expect(error.message).toContain('disabled');
  });

  it('orders the providers of a bare model by priority, config order on ties', () => {
    expect(resolver.resolve('llama-3-8b')).toEqual({
      targets: [
        { provider: 'ollama', model: 'llama-3-8b' },
        { provider: 'tgi', model: 'llama-3-8b' },
        { provider: 'vllm', model: 'llama-3-8b' },
      ],
      explicit: false,
    });
  });

  it('looks up an id whose prefix is no provider as a bare model', () => {
    config.replace(
      loadGatewayConfig({
        config: {
          providers: {
            vllm: compatible('http://vllm:8000/v1', { models: ['meta-llama/Llama-3'] }),
          },
        },
        env: {},
      }),
    );
    expect(resolver.resolve('meta-llama/Llama-3')).toEqual({
      targets: [{ provider: 'vllm', model: 'meta-llama/Llama-3' }],
      explicit: false,
    });
  });

  it.each(['gpt-unknown', 'nobody/llama-3-8b', '/llama-3-8b'])(
    'refuses the unknown model %s with MODEL_NOT_FOUND on param model',
    (model) => {
      notFound(model);
    },
  );

  it('sees a configuration swapped in with replace() on the next call', () => {
    expect(resolver.resolve('fast').targets).toHaveLength(2);

    config.replace(
      loadGatewayConfig({
        config: {
          providers: { ollama: { kind: 'ollama', models: ['phi3'] } },
          routes: { fast: ['ollama/phi3'] },
        },
        env: {},
      }),
    );

    expect(resolver.resolve('fast').targets).toEqual([{ provider: 'ollama', model: 'phi3' }]);
    notFound('vllm/llama-3-8b');
    expect(resolver.resolve('phi3').targets).toEqual([{ provider: 'ollama', model: 'phi3' }]);
  });
});
