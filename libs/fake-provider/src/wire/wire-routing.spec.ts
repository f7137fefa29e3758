import type { IncomingMessage } from 'node:http';
import { matchRoute } from './wire-routing';

const request = (method: string, headers: Record<string, string> = {}) =>
  ({ method, headers }) as unknown as IncomingMessage;

describe(matchRoute.name, () => {
  it.each([
    ['/openai/v1/chat/completions', 'openai'],
    ['/v1/chat/completions', 'openai'],
    ['/mistral/v1/chat/completions', 'mistral'],
    ['/anthropic/v1/messages', 'anthropic'],
    ['/v1/messages', 'anthropic'],
    ['/gemini/v1beta/models/gemini-fake:generateContent', 'gemini'],
    ['/ollama/api/chat', 'ollama'],
  ])('POST %s goes to the %s wire', (path, wire) => {
    expect(matchRoute(request('POST'), path)?.wire.name).toBe(wire);
  });

  it('takes the path groups of the route (Gemini: model and task)', () => {
    const found = matchRoute(request('POST'), '/v1beta/models/gemini-fake:streamGenerateContent');
    expect(found?.params).toEqual(['gemini-fake', 'streamGenerateContent']);
  });

  it("lists Anthropic's models for a client that sends anthropic-version, else OpenAI's", () => {
    expect(matchRoute(request('GET'), '/v1/models')?.wire.name).toBe('openai');
    const anthropic = request('GET', { 'anthropic-version': '2023-06-01' });
    expect(matchRoute(anthropic, '/v1/models')?.wire.name).toBe('anthropic');
  });

  it.each([
    ['POST', '/v1/responses', 'responses'],
    ['GET', '/openai/v1/files/file-1/content', 'files'],
    ['DELETE', '/v1/files/file-1', 'files'],
    ['POST', '/v1/batches/batch_1/cancel', 'batches'],
  ])('%s %s is an OpenAI %s call', (method, path, operation) => {
    const found = matchRoute(request(method), path);
    expect(found?.wire.name).toBe('openai');
    expect(found?.route.operation).toBe(operation);
  });

  it('finds nothing for an unknown path or method', () => {
    expect(matchRoute(request('POST'), '/v2/unknown')).toBeUndefined();
    expect(matchRoute(request('DELETE'), '/v1/chat/completions')).toBeUndefined();
  });
});
