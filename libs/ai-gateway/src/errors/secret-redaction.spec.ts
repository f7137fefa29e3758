import { performance } from 'node:perf_hooks';
import { MAX_ERROR_MESSAGE_LENGTH, REDACTED, redactSecrets } from './secret-redaction';

const MISTRAL_LIKE_KEY = 'Zq8vN3xTr7LpW2mKc9HdY4bF6gJs1QeA';

describe(redactSecrets.name, () => {
  it('removes every known secret, its URL-encoded form too, longest first', () => {
    const inner = 'abcd1234efgh';
    const outer = `${inner}-suffix99`;
    const text = `bad key ${MISTRAL_LIKE_KEY}; other ${outer}; url ?k=${encodeURIComponent('p+ss/w=rd99')}`;
    expect(redactSecrets(text, [inner, MISTRAL_LIKE_KEY, outer, 'p+ss/w=rd99'])).toBe(
      `bad key ${REDACTED}; other ${REDACTED}; url ?k=${REDACTED}`,
    );
  });

  it('ignores configured "keys" too short to be secrets (they would blank out words)', () => {
    expect(redactSecrets('model ollama not found', ['ollama', 'none'])).toBe(
      'model ollama not found',
    );
  });

  it.each([
    [
      'OpenAI',
      'Incorrect API key provided: sk-abc123DEF456ghi789.',
      'Incorrect API key provided: [redacted].',
    ],
    ['OpenAI project', 'key sk-proj-Ab3_dE5-fG7hI9jK1lM', 'key [redacted]'],
    ['OpenAI masked', 'provided: sk-proj-ab**********************yz9Q', 'provided: [redacted]'],
    [
      'Anthropic',
      'x-api-key sk-ant-api03-AbCdEf012345-xyz is invalid',
      'x-api-key [redacted] is invalid',
    ],
    ['Google', 'API key not valid: AIzaSyA1234567890abcdefGHIJ', 'API key not valid: [redacted]'],
    ['gateway key', 'caller gk_Q2x9vT7mPz4LbN8rW1cK5sHj0aYdFe3U sent', 'caller [redacted] sent'],
    ['Groq', 'gsk_abcdefghij0123456789 rejected', '[redacted] rejected'],
    ['AWS key id', 'AKIAIOSFODNN7EXAMPLE denied', '[redacted] denied'],
    ['masked unknown key', 'key AbCd****************WxYz expired', 'key [redacted] expired'],
    [
      'JWT',
      'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U bad',
      'token [redacted] bad',
    ],
    [
      'Bearer',
      'Authorization: Bearer Zq8vN3xTr7LpW2mK was refused',
      'Authorization: Bearer [redacted] was refused',
    ],
    ['Basic', 'header Basic dXNlcjpwYXNzd29yZA== refused', 'header Basic [redacted] refused'],
    [
      'query api_key',
      'GET /v1/x?api_key=hunter2hunter2&alt=sse',
      'GET /v1/x?api_key=[redacted]&alt=sse',
    ],
    [
      'query key',
      'https://h/v1?key=Zq8vN3xTr7LpW2mKc9Hd failed',
      'https://h/v1?key=[redacted] failed',
    ],
    ['JSON field', '{"x-api-key": "0123456789abcdef"}', '{"x-api-key": "[redacted]"}'],
    ['password', 'password: correct-horse', 'password: [redacted]'],
  ])('masks a key-shaped token: %s', (_case, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each([
    "This model's maximum context length is 8192 tokens",
    'max_tokens: 100000 > 8192, which exceeds the limit',
    'input token count (300000) exceeds the maximum number of tokens allowed',
    'The model `gpt-4o-mini-2024-07-18` does not exist',
    'request id 5b8a6c1e-2f4d-4a9b-8c7e-1d2f3a4b5c6d failed',
    'Basic information is missing; the bearer of this request',
    'duplicate key=value_of_something in map',
    'token: invalid_request',
    "Invalid 'messages[0].role': expected one of system, user",
    'Provider openai answered 429: Rate limit reached for gpt-4o in organization org-abc on tokens per min',
  ])('leaves ordinary error text alone: %s', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('caps the length, and still redacts a secret that straddles the cap', () => {
    const text = `${'x'.repeat(MAX_ERROR_MESSAGE_LENGTH - 5)} ${MISTRAL_LIKE_KEY} ${'y'.repeat(5000)}`;
    const out = redactSecrets(text, [MISTRAL_LIKE_KEY]);
    expect(out).toHaveLength(MAX_ERROR_MESSAGE_LENGTH + 1);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toContain(MISTRAL_LIKE_KEY.slice(0, 4));
    expect(redactSecrets('a'.repeat(10_000), [], { maxLength: 500 })).toHaveLength(501);
  });

  it('is idempotent', () => {
    const once = redactSecrets(`Bearer sk-abc123DEF456ghi789 ${'z'.repeat(3000)}`, [
      MISTRAL_LIKE_KEY,
    ]);
    expect(redactSecrets(once, [MISTRAL_LIKE_KEY])).toBe(once);
  });

  /**
   * Hostile upstream text (a provider echoing a caller's model id, a proxy's page) must not
   * make the redaction slow. With the length cap off, 256 KB of each shape is scanned whole:
   * a quadratic pattern would take minutes here, a linear one a few hundred milliseconds.
   */
  it.each([
    ['one letter', 'a'.repeat(262_144)],
    ['JWT prefixes', 'eyJ'.repeat(87_382)],
    ['JWT-like segments', 'eyJabcdef.'.repeat(26_215)],
    ['key prefixes', 'sk-'.repeat(87_382)],
    ['named values', 'key='.repeat(65_536)],
    ['named values with blanks', 'api_key   :   '.repeat(18_725)],
    ['bearer words', 'Bearer '.repeat(37_450)],
    ['stars', 'ab*'.repeat(87_382)],
    ['dots', '.'.repeat(262_144)],
    ['random bytes', randomText(262_144)],
  ])('scans 256 KB of %s in linear time', (_case, text) => {
    const started = performance.now();
    redactSecrets(text, [MISTRAL_LIKE_KEY, 'abcdefgh12'], { maxLength: Number.MAX_SAFE_INTEGER });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('bounds the work on a giant message by the cap, not the input', () => {
    // A flat 30 MB string (a `repeat` result would be flattened inside the timed call).
    const text = Buffer.alloc(30_000_000, 'sk- ').toString('latin1');
    const started = performance.now();
    expect(redactSecrets(text).length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH + 1);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

/** Deterministic pseudo-random printable text, every class mixed. */
function randomText(length: number): string {
  let state = 42;
  const chars: string[] = [];
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    chars.push(String.fromCharCode(32 + (state % 95)));
  }
  return chars.join('');
}
