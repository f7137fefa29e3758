import { Test } from '@nestjs/testing';
import { calcPrice } from '@pydantic/genai-prices';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { GatewayConfig } from '../config/gateway-config.schema';
import type { Clock } from '../shared/clock';
import { CLOCK } from '../shared/clock';
import { GenaiPricesCatalog } from './genai-prices.catalog';
import { PriceBook } from './price-book.service';
import { pricingProviders } from './pricing.providers';
import { PricingFileCatalog } from './pricing-file.catalog';

const NOON_UTC = Date.parse('2026-01-05T12:00:00Z');

function gatewayConfig(): GatewayConfig {
  return loadGatewayConfig({
    env: {},
    config: {
      providers: {
        openai: {
          kind: 'openai',
          apiKeys: ['sk-test'],
          modelInfo: { 'gpt-4.1': { inputCostPerMTok: 1.5, outputCostPerMTok: 6 } },
        },
        claude: { kind: 'anthropic', apiKeys: ['sk-ant-test'] },
        gemini: { kind: 'gemini', apiKeys: ['g-test'] },
        ollama: { kind: 'ollama' },
        local: { kind: 'fake' },
        'fake-compat': {
          kind: 'openai-compatible',
          baseUrl: 'http://127.0.0.1:9090/v1',
          fake: true,
        },
        groq: { kind: 'openai-compatible', baseUrl: 'https://api.groq.com/openai/v1' },
        deepseek: { kind: 'openai-compatible', baseUrl: 'https://api.deepseek.com/v1' },
        vllm: {
          kind: 'openai-compatible',
          baseUrl: 'http://10.0.0.5:8000/v1',
          modelInfo: {
            'llama-3-70b': { inputCostPerMTok: 0.2, outputCostPerMTok: 0.4 },
            'half-priced': { inputCostPerMTok: 0.2 },
          },
        },
      },
    },
  });
}

describe(PriceBook.name, () => {
  let now: number;
  let config: GatewayConfigService;
  let book: PriceBook;
  const catalog = new GenaiPricesCatalog();

  beforeEach(() => {
    now = NOON_UTC;
    const clock: Clock = { now: () => now };
    config = new GatewayConfigService(gatewayConfig());
    book = new PriceBook(config, catalog, new PricingFileCatalog(), clock);
  });

  afterEach(() => book.onModuleDestroy());

  it('prices OpenAI models from genai-prices, naming the installed version', () => {
    expect(catalog.source).toMatch(/^genai-prices@\d+\.\d+\.\d+/);
    expect(book.priceOf('openai', 'gpt-4o')).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
      matchedModel: 'gpt-4o',
      source: catalog.source,
      inputPerMTok: 2.5,
      outputPerMTok: 10,
      cachedInputPerMTok: 1.25,
      cacheWritePerMTok: 2.5,
    });
  });

  it("prices a dated snapshot as its family unless the catalog has the snapshot's own price", () => {
    const dated = book.priceOf('openai', 'gpt-4o-2024-08-06');
    expect(dated).toMatchObject({ matchedModel: 'gpt-4o', inputPerMTok: 2.5, outputPerMTok: 10 });
    const may = book.priceOf('openai', 'gpt-4o-2024-05-13');
    expect(may).toMatchObject({ matchedModel: 'gpt-4o-2024-05-13', inputPerMTok: 5 });
  });

  it('prices Anthropic cache reads and writes apart', () => {
    expect(book.priceOf('claude', 'claude-sonnet-4-20250514')).toMatchObject({
      inputPerMTok: 3,
      outputPerMTok: 15,
      cachedInputPerMTok: 0.3,
      cacheWritePerMTok: 3.75,
    });
  });

  it("keeps Gemini's long-context tier, and costs a request with it", () => {
    const price = book.priceOf('gemini', 'models/gemini-2.5-pro');
    expect(price?.tiers).toEqual([
      {
        aboveInputTokens: 200_000,
        inputPerMTok: 2.5,
        outputPerMTok: 15,
        cachedInputPerMTok: 0.25,
        cacheWritePerMTok: 2.5,
      },
    ]);
    // 200,001 × 2.5 + 1,000 × 15 = 515,002.5 µ$ → 515,003
    expect(book.costOf(price!, { prompt: 200_001, completion: 1_000 }).microUsd).toBe(515_003);
  });

  it('costs a call to the micro-dollar and reserves its worst case', () => {
    const price = book.priceOf('openai', 'gpt-4o')!;
    expect(book.costOf(price, { prompt: 1_234, completion: 567 })).toEqual({
      microUsd: 8_755,
      usd: 0.008755,
    });
    expect(book.worstCaseCost(price, 1_234, 4_096).microUsd).toBe(3_085 + 40_960);
  });

  it('lets the config override the catalog, keeping the catalog rates it leaves out', () => {
    expect(book.priceOf('openai', 'gpt-4.1')).toEqual({
      provider: 'openai',
      model: 'gpt-4.1',
      matchedModel: 'gpt-4.1',
      source: 'config',
      baseSource: catalog.source,
      inputPerMTok: 1.5,
      outputPerMTok: 6,
      cachedInputPerMTok: 0.5, // genai-prices' cached rate of gpt-4.1
      cacheWritePerMTok: 2,
    });
  });

  it('reads cachedInputCostPerMTok from modelInfo', () => {
    const next = gatewayConfig();
    Object.assign(next.providers.openai.modelInfo['gpt-4.1'], { cachedInputCostPerMTok: 0.3 });
    config.replace(next);
    expect(book.priceOf('openai', 'gpt-4.1')?.cachedInputPerMTok).toBe(0.3);
  });

  it('prices a model only the config knows, cache reads at the input rate', () => {
    expect(book.priceOf('vllm', 'llama-3-70b')).toEqual({
      provider: 'vllm',
      model: 'llama-3-70b',
      matchedModel: 'llama-3-70b',
      source: 'config',
      inputPerMTok: 0.2,
      outputPerMTok: 0.4,
      cachedInputPerMTok: 0.2,
      cacheWritePerMTok: 0.2,
    });
  });

  it('leaves unpriced what no source prices fully: never $0', () => {
    expect(book.priceOf('openai', 'no-such-model')).toBeUndefined();
    expect(book.priceOf('vllm', 'mystery-model')).toBeUndefined();
    expect(book.priceOf('vllm', 'half-priced')).toBeUndefined(); // output price unknown
    expect(book.priceOf('nobody', 'gpt-4o')).toBeUndefined();
  });

  it('prices OpenAI-compatible providers the catalog knows by their base URL', () => {
    expect(book.priceOf('groq', 'llama-3.3-70b-versatile')).toMatchObject({
      source: catalog.source,
      inputPerMTok: 0.59,
      outputPerMTok: 0.79,
    });
  });

  it('makes the fake providers free, unless the config prices them', () => {
    const free = { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0, source: 'fake' };
    expect(book.priceOf('local', 'echo')).toMatchObject(free);
    expect(book.priceOf('fake-compat', 'gpt-4o')).toMatchObject(free);

    const next = gatewayConfig();
    next.providers.local.modelInfo = { echo: { inputCostPerMTok: 2.5, outputCostPerMTok: 10 } };
    config.replace(next);
    expect(book.priceOf('local', 'echo')).toMatchObject({
      source: 'config',
      baseSource: 'fake',
      inputPerMTok: 2.5,
      outputPerMTok: 10,
    });
  });

  it('prices local Ollama models at 0 from the pricing file', () => {
    expect(book.priceOf('ollama', 'llama3.1')).toMatchObject({
      source: 'pricing file',
      matchedModel: '*',
      inputPerMTok: 0,
      outputPerMTok: 0,
    });
  });

  it('looks a time-of-day price up again after a minute, not before', () => {
    const at = (iso: string) =>
      calcPrice({}, 'deepseek-chat', { providerId: 'deepseek', timestamp: new Date(iso) })!
        .model_price.input_mtok;
    const noon = at('2026-01-05T12:00:00Z');
    const evening = at('2026-01-05T17:00:00Z');
    expect(noon).not.toBe(evening); // the premise: DeepSeek's off-peak discount

    const input = () => book.priceOf('deepseek', 'deepseek-chat')?.inputPerMTok;
    now = Date.parse('2026-01-05T16:29:30Z'); // peak hours end at 16:30
    expect(input()).toBe(noon);
    now = Date.parse('2026-01-05T16:30:20Z'); // off-peak, but the price is 50 s old
    expect(input()).toBe(noon);
    now = Date.parse('2026-01-05T16:30:31Z'); // 61 s old: looked up again
    expect(input()).toBe(evening);
  });

  it('sees a config change at once', () => {
    expect(book.priceOf('vllm', 'llama-3-70b')?.inputPerMTok).toBe(0.2);
    const next = gatewayConfig();
    next.providers.vllm.modelInfo['llama-3-70b'].inputCostPerMTok = 0.25;
    config.replace(next);
    expect(book.priceOf('vllm', 'llama-3-70b')?.inputPerMTok).toBe(0.25);
  });

  it('is injectable with or without a CLOCK provider', async () => {
    const configProvider = { provide: GatewayConfigService, useValue: config };
    const plain = await Test.createTestingModule({
      providers: [...pricingProviders, configProvider],
    }).compile();
    expect(plain.get(PriceBook).priceOf('openai', 'gpt-4o')?.outputPerMTok).toBe(10);
    await plain.close();

    const clock: Clock = { now: () => NOON_UTC };
    const clocked = await Test.createTestingModule({
      providers: [...pricingProviders, configProvider, { provide: CLOCK, useValue: clock }],
    }).compile();
    expect(clocked.get(PriceBook).priceOf('ollama', 'qwen3')?.source).toBe('pricing file');
    await clocked.close();
  });
});
