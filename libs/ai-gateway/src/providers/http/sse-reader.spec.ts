import { SseReader } from './sse-reader';

describe(SseReader.name, () => {
  it('yields data payloads split across arbitrary chunk boundaries', () => {
    const reader = new SseReader();
    const text = 'data: {"a":1}\n\n: comment\nevent: x\ndata: {"b":2}\r\n\r\ndata: [DONE]\n\n';
    const out: string[] = [];
    for (let i = 0; i < text.length; i += 3) out.push(...reader.push(text.slice(i, i + 3)));
    expect(out).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
    expect(reader.flush()).toBeUndefined();
  });

  it('joins multi-line data and reports an unterminated event on flush', () => {
    const reader = new SseReader();
    expect(reader.push('data: line1\ndata: line2\n\ndata: {"partial"')).toEqual(['line1\nline2']);
    expect(reader.flush()).toBe('{"partial"');
  });
});
