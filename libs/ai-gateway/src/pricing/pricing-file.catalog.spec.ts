import { modelIdCandidates } from './catalog-entry';
import { PricingFileCatalog, parsePricingFile } from './pricing-file.catalog';

describe(PricingFileCatalog.name, () => {
  it('ships Ollama models at no charge, whatever the model', () => {
    const entry = new PricingFileCatalog().lookup('ollama', 'llama3.1:8b');
    expect(entry).toEqual({
      rates: { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0, cacheWritePerMTok: 0 },
      matchedModel: '*',
      timeDependent: false,
    });
  });

  it('has nothing for kinds and models the file does not list', () => {
    expect(new PricingFileCatalog().lookup('openai', 'gpt-4o')).toBeUndefined();
  });

  it('matches the exact id first, then without a snapshot date or -latest, then *', () => {
    const catalog = new PricingFileCatalog({
      prices: {
        mistral: {
          'acme-large': { inputPerMTok: 2, outputPerMTok: 6 },
          'acme-large-2024-11-01': { inputPerMTok: 3, outputPerMTok: 9, cachedInputPerMTok: 1 },
          '*': { inputPerMTok: 100, outputPerMTok: 100 },
        },
      },
    });
    expect(catalog.lookup('mistral', 'ACME-large-2024-11-01')?.rates).toEqual({
      inputPerMTok: 3,
      outputPerMTok: 9,
      cachedInputPerMTok: 1,
      cacheWritePerMTok: 3,
    });
    expect(catalog.lookup('mistral', 'acme-large-20250101')?.matchedModel).toBe('acme-large');
    expect(catalog.lookup('mistral', 'acme-large-latest')?.matchedModel).toBe('acme-large');
    expect(catalog.lookup('mistral', 'other')?.rates.inputPerMTok).toBe(100);
  });

  it('rejects a malformed file, listing every bad entry', () => {
    expect(() =>
      parsePricingFile({
        prices: {
          nosuchkind: {},
          openai: {
            a: { inputPerMTok: -1, outputPerMTok: 1 },
            b: { inputPerMTok: 1 },
            c: 'free',
          },
        },
      }),
    ).toThrow(
      'pricing file: prices.nosuchkind: unknown provider kind; ' +
        'prices.openai.a.inputPerMTok: must be a number ≥ 0; ' +
        'prices.openai.b.outputPerMTok: must be a number ≥ 0; ' +
        'prices.openai.c: must be an object',
    );
    expect(() => parsePricingFile([])).toThrow('"prices" must be an object');
  });
});

describe('modelIdCandidates', () => {
  it.each([
    ['gpt-4o-2024-08-06', ['gpt-4o-2024-08-06', 'gpt-4o']],
    ['claude-3-haiku-20240307', ['claude-3-haiku-20240307', 'claude-3-haiku']],
    ['mistral-small-latest', ['mistral-small-latest', 'mistral-small']],
    [' GPT-4o ', ['gpt-4o']],
  ])('tries %j as %j', (model, ids) => {
    expect(modelIdCandidates(model)).toEqual(ids);
  });
});
