import { FakeScriptQueue } from './fake-script-queue';

describe(FakeScriptQueue.name, () => {
  const chat = { format: 'openai', operation: 'chat' as const, model: 'm1', apiKey: 'k1' };

  it('serves an entry `times` times, then the next one; -1 until cleared', () => {
    const queue = new FakeScriptQueue(() => 0);
    queue.add({ script: { text: 'a' }, times: 2 });
    queue.add({ script: { text: 'b' }, times: -1 });
    const texts = [1, 2, 3, 4].map(() => queue.take(chat)?.text);
    expect(texts).toEqual(['a', 'a', 'b', 'b']);
    queue.clear();
    expect(queue.take(chat)).toBeUndefined();
  });

  it('matches on model, format, key and operation; listings never take a script', () => {
    const queue = new FakeScriptQueue(() => 0);
    queue.add({ script: { text: 'other' }, times: 1, match: { model: 'm2' } });
    queue.add({ script: { text: 'embed' }, times: 1, match: { operation: 'embeddings' } });
    queue.add({ script: { text: 'mine' }, times: 1, match: { format: 'openai', apiKey: 'k1' } });
    expect(queue.take({ ...chat, operation: 'models' })).toBeUndefined();
    expect(queue.take(chat)?.text).toBe('mine');
    expect(queue.take(chat)).toBeUndefined();
    expect(queue.take({ ...chat, model: 'm2' })?.text).toBe('other');
  });

  it('applies an entry with a probability only when the draw falls under it, without using it up', () => {
    const draws = [0.9, 0.1];
    const queue = new FakeScriptQueue(() => draws.shift() ?? 1);
    queue.add({ script: { status: 503 }, times: 1, probability: 0.5 });
    expect(queue.take(chat)).toBeUndefined(); // 0.9: missed, entry kept
    expect(queue.take(chat)?.status).toBe(503); // 0.1: hit, entry used up
    expect(queue.take(chat)).toBeUndefined();
  });
});
