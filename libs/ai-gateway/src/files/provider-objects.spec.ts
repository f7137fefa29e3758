import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { assertOwned, fileProviderOf, listQueryOf, pageOf } from './provider-objects';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof GatewayError ? `${error.code}:${error.param}` : String(error);
  }
};

describe(fileProviderOf.name, () => {
  const providers = {
    claude: { kind: 'anthropic' as const },
    local: { kind: 'openai-compatible' as const },
    oai: { kind: 'openai' as const },
  };

  it('takes the named provider, else the first OpenAI one, else the first compatible one', () => {
    expect(fileProviderOf(providers, 'local')).toBe('local');
    expect(fileProviderOf(providers, undefined)).toBe('oai');
    expect(fileProviderOf({ claude: providers.claude, local: providers.local }, undefined)).toBe(
      'local',
    );
  });

  it('never picks or takes a disabled provider', () => {
    const withDisabled = {
      oai: { kind: 'openai' as const, enabled: false },
      local: { kind: 'openai-compatible' as const, enabled: true },
    };
    expect(fileProviderOf(withDisabled, undefined)).toBe('local');
    expect(codeOf(() => fileProviderOf(withDisabled, 'oai'))).toBe(
      `${GatewayErrorCode.INVALID_REQUEST}:x-gateway-provider`,
    );
  });

  it('refuses an unknown name and a configuration without a provider for files', () => {
    expect(codeOf(() => fileProviderOf(providers, 'nope'))).toBe(
      `${GatewayErrorCode.INVALID_REQUEST}:x-gateway-provider`,
    );
    expect(codeOf(() => fileProviderOf(providers, 'toString'))).toBe(
      `${GatewayErrorCode.INVALID_REQUEST}:x-gateway-provider`,
    );
    expect(codeOf(() => fileProviderOf({ claude: providers.claude }, undefined))).toBe(
      `${GatewayErrorCode.UNSUPPORTED_FEATURE}:x-gateway-provider`,
    );
  });
});

describe(assertOwned.name, () => {
  const entry = {
    id: 'file-1',
    kind: 'file' as const,
    provider: 'oai',
    keyId: 'key_1',
    createdAt: 0,
    object: {},
    accounted: false,
  };

  it("answers another key's object exactly like a missing one", () => {
    expect(assertOwned(entry, { keyId: 'key_1' }, 'File', 'file-1', 'file_id')).toBe(entry);
    const foreign = codeOf(() => assertOwned(entry, { keyId: 'key_2' }, 'File', 'file-1', 'id'));
    const missing = codeOf(() =>
      assertOwned(undefined, { keyId: 'key_1' }, 'File', 'file-1', 'id'),
    );
    expect(foreign).toBe(`${GatewayErrorCode.NOT_FOUND}:id`);
    expect(missing).toBe(foreign);
    // Without auth, objects made without auth are everyone's; keyed ones are not.
    expect(codeOf(() => assertOwned(entry, undefined, 'File', 'file-1', 'id'))).toBe(
      `${GatewayErrorCode.NOT_FOUND}:id`,
    );
  });
});

describe(listQueryOf.name, () => {
  it('reads limit, order, after and purpose, refusing nonsense', () => {
    expect(listQueryOf({}, 20)).toEqual({ limit: 20, order: 'desc' });
    expect(
      listQueryOf({ limit: '5', order: 'asc', after: 'file-1', purpose: 'batch' }, 20),
    ).toEqual({
      limit: 5,
      order: 'asc',
      after: 'file-1',
      purpose: 'batch',
    });
    expect(codeOf(() => listQueryOf({ limit: '0' }, 20))).toBe(
      `${GatewayErrorCode.INVALID_REQUEST}:limit`,
    );
    expect(codeOf(() => listQueryOf({ limit: 'x' }, 20))).toBe(
      `${GatewayErrorCode.INVALID_REQUEST}:limit`,
    );
    expect(codeOf(() => listQueryOf({ order: 'up' }, 20))).toBe(
      `${GatewayErrorCode.INVALID_REQUEST}:order`,
    );
  });

  it("pages in OpenAI's list shape", () => {
    expect(pageOf([{ id: 'a' }, { id: 'b' }], true)).toEqual({
      object: 'list',
      data: [{ id: 'a' }, { id: 'b' }],
      first_id: 'a',
      last_id: 'b',
      has_more: true,
    });
    expect(pageOf([], false)).toMatchObject({ first_id: null, last_id: null, has_more: false });
  });
});
