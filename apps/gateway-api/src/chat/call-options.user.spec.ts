import type { Caller } from '@ai-gateway/core';
import { GatewayError } from '@ai-gateway/core';
import type { RequestAuth } from '../auth/request-auth';
import { userOf } from './call-options';

/** Issue 13 item 4: only a trusted multi-user key may name the user a request counts against. */
describe(userOf.name, () => {
  const keyed = (caller: Caller & { multiUser?: boolean }): RequestAuth => ({
    admin: false,
    caller,
  });

  it('without gateway auth (the embedded default) every caller may name itself', () => {
    expect(userOf(undefined, 'alice')).toBe('alice');
    expect(userOf(undefined, '')).toBeUndefined();
    expect(userOf(undefined, 42)).toBeUndefined();
  });

  it("ignores the name from a key that is not multi-user: the key's own user, or none", () => {
    expect(userOf(keyed({ keyId: 'key_1' }), 'alice')).toBeUndefined();
    expect(userOf(keyed({ keyId: 'key_1', userId: 'bob' }), 'alice')).toBe('bob');
    expect(userOf(keyed({ keyId: 'key_1', multiUser: false }), 'alice')).toBeUndefined();
    // Ignored, not refused: OpenAI clients send `user` routinely, even overlong ones.
    expect(userOf(keyed({ keyId: 'key_1' }), 'x'.repeat(500))).toBeUndefined();
    expect(userOf({ admin: true }, 'alice')).toBeUndefined();
  });

  it('honours the name from a multi-user key; the key’s own user still wins', () => {
    expect(userOf(keyed({ keyId: 'key_1', multiUser: true }), 'alice')).toBe('alice');
    expect(userOf(keyed({ keyId: 'key_1', multiUser: true, userId: 'bob' }), 'alice')).toBe('bob');
    expect(userOf(keyed({ keyId: 'key_1', multiUser: true }), undefined)).toBeUndefined();
  });

  it('refuses an overlong name it would honour with a 400 naming user', () => {
    expect(() => userOf(undefined, 'x'.repeat(129))).toThrow(GatewayError);
    expect(() => userOf(keyed({ keyId: 'k', multiUser: true }), 'x'.repeat(129))).toThrow(
      expect.objectContaining({ param: 'user' }),
    );
  });
});
