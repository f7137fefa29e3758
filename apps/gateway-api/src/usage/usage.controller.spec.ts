import type { FastifyRequest } from 'fastify';
import { setRequestAuth } from '../auth/request-auth';
import { usageScopeOf } from './usage.controller';

describe('usageScopeOf', () => {
  const request = (): FastifyRequest => ({}) as FastifyRequest;

  it('sees everything with auth switched off', () => {
    expect(usageScopeOf(request())).toBeUndefined();
  });

  it('sees everything with the admin key', () => {
    const admin = request();
    setRequestAuth(admin, { admin: true });
    expect(usageScopeOf(admin)).toBeUndefined();
  });

  it('limits a gateway key to its own rows', () => {
    const key = request();
    setRequestAuth(key, { admin: false, caller: { keyId: 'key_a', userId: 'alice' } });
    expect(usageScopeOf(key)).toEqual({ keyId: 'key_a' });
  });

  it('gives a non-admin request without a key id a scope that matches nothing, never everything', () => {
    const anonymous = request();
    setRequestAuth(anonymous, { admin: false });
    expect(usageScopeOf(anonymous)).toEqual({ keyId: null });
  });
});
