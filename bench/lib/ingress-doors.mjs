// The three doors of the ingress benchmark (bench/ingress.mjs) and the direct baseline:
// the request each sends, a cheap per-response check for the load runs, and a full check
// (status, headers, the answer's text) for the probe before anything is measured.

/** The same user prompt through every door; the fake echoes it back word by word. */
export const PROMPT = 'Measure how much time the gateway adds to each request please';
/**
 * Anthropic requires `max_tokens`, so every door carries an output cap (chat `max_tokens`,
 * Responses `max_output_tokens`): the upstream call is the same chat request for all three.
 */
export const MAX_TOKENS = 256;

const JSON_HEADERS = { 'content-type': 'application/json' };

/** `event:` / `data:` blocks of an SSE body, `data` parsed unless it is `[DONE]`. */
export function sseEvents(text) {
  const events = [];
  for (const block of text.split('\n\n')) {
    if (block.trim() === '') continue;
    let event;
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    events.push({ event, data: data === '[DONE]' ? data : JSON.parse(data) });
  }
  return events;
}

const chatBody = (model, stream) =>
  JSON.stringify({
    model,
    messages: [{ role: 'user', content: PROMPT }],
    max_tokens: MAX_TOKENS,
    ...(stream ? { stream: true } : {}),
  });

const chatText = {
  json: (text) => JSON.parse(text).choices[0].message.content,
  stream(text) {
    const events = sseEvents(text);
    if (events.at(-1)?.data !== '[DONE]') throw new Error('stream does not end with [DONE]');
    return events
      .slice(0, -1)
      .map(({ data }) => data.choices?.[0]?.delta?.content ?? '')
      .join('');
  },
};

const chatCheck = {
  json: (body) => body.includes('"chat.completion"'),
  stream: (body) => body.trimEnd().endsWith('data: [DONE]'),
};

/**
 * Each target: `path`, `headers`, `body(stream)`, `check[mode](body)` (fast, run on every
 * response of a load run: the shape of a complete, successful answer) and `text[mode](body)`
 * (the answer's text, for the probe; throws on a malformed or unfinished answer).
 */
export const DIRECT = {
  name: 'direct',
  label: 'direct to the fake (chat completions)',
  path: '/v1/chat/completions',
  headers: JSON_HEADERS,
  body: (stream) => chatBody('bench-model', stream),
  check: chatCheck,
  text: chatText,
};

export const DOORS = {
  chat: {
    name: 'chat',
    label: '/v1/chat/completions',
    path: '/v1/chat/completions',
    headers: JSON_HEADERS,
    body: (stream) => chatBody('fake/bench-model', stream),
    check: chatCheck,
    text: chatText,
  },
  responses: {
    name: 'responses',
    label: '/v1/responses',
    path: '/v1/responses',
    headers: JSON_HEADERS,
    // store: false, so no stored response (no database insert) is part of the figure.
    body: (stream) =>
      JSON.stringify({
        model: 'fake/bench-model',
        input: PROMPT,
        max_output_tokens: MAX_TOKENS,
        store: false,
        ...(stream ? { stream: true } : {}),
      }),
    check: {
      json: (body) => body.includes('"status":"completed"') && body.includes('"object":"response"'),
      stream: (body) =>
        body.includes('event: response.completed\n') &&
        !body.includes('event: response.failed') &&
        !body.includes('event: error'),
    },
    text: {
      json(text) {
        const response = JSON.parse(text);
        if (response.status !== 'completed') throw new Error(`status ${response.status}`);
        return response.output
          .filter((item) => item.type === 'message')
          .flatMap((item) => item.content)
          .filter((part) => part.type === 'output_text')
          .map((part) => part.text)
          .join('');
      },
      stream(text) {
        const events = sseEvents(text);
        const last = events.at(-1);
        if (last?.event !== 'response.completed')
          throw new Error(`stream ends with ${last?.event}, not response.completed`);
        const numbers = events.map(({ data }) => data.sequence_number);
        if (numbers.some((n, i) => n !== numbers[0] + i))
          throw new Error(`sequence numbers not consecutive: ${numbers.join(',')}`);
        return events
          .filter(({ event }) => event === 'response.output_text.delta')
          .map(({ data }) => data.delta)
          .join('');
      },
    },
  },
  messages: {
    name: 'messages',
    label: '/v1/messages',
    path: '/v1/messages',
    // What the Anthropic SDK sends besides its key; auth is off in the benchmark's gateway.
    headers: { ...JSON_HEADERS, 'anthropic-version': '2023-06-01' },
    body: (stream) =>
      JSON.stringify({
        model: 'fake/bench-model',
        max_tokens: MAX_TOKENS,
        messages: [{ role: 'user', content: PROMPT }],
        ...(stream ? { stream: true } : {}),
      }),
    check: {
      json: (body) =>
        body.includes('"type":"message"') && body.includes('"stop_reason":"end_turn"'),
      stream: (body) => body.includes('event: message_stop\n') && !body.includes('event: error'),
    },
    text: {
      json(text) {
        const message = JSON.parse(text);
        if (message.stop_reason !== 'end_turn')
          throw new Error(`stop_reason ${message.stop_reason}`);
        return message.content
          .filter((block) => block.type === 'text')
          .map((block) => block.text)
          .join('');
      },
      stream(text) {
        const events = sseEvents(text);
        const last = events.at(-1);
        if (last?.event !== 'message_stop')
          throw new Error(`stream ends with ${last?.event}, not message_stop`);
        return events
          .filter(
            ({ data }) => data.type === 'content_block_delta' && data.delta.type === 'text_delta',
          )
          .map(({ data }) => data.delta.text)
          .join('');
      },
    },
  },
};

/**
 * One request per target and mode before measuring: HTTP 200, the door's complete answer
 * with the echoed prompt as its text, served by the fake provider, not from the cache.
 * Throws with the first bad answer, so a broken setup fails before any measurement.
 */
export async function probeDoors({ targets, modes }) {
  const seen = [];
  for (const { origin, target } of targets) {
    for (const mode of modes) {
      const stream = mode === 'stream';
      const res = await fetch(`${origin}${target.path}`, {
        method: 'POST',
        headers: target.headers,
        body: target.body(stream),
      });
      const text = await res.text();
      const where = `probe ${target.name} ${mode}`;
      if (res.status !== 200)
        throw new Error(`${where}: HTTP ${res.status}: ${text.slice(0, 300)}`);
      if (!target.check[mode](text))
        throw new Error(`${where}: the load check rejects the answer: ${text.slice(-300)}`);
      let answer;
      try {
        answer = target.text[mode](text);
      } catch (error) {
        throw new Error(`${where}: ${error.message}: ${text.slice(0, 300)}`);
      }
      if (answer !== PROMPT)
        throw new Error(`${where}: text ${JSON.stringify(answer)} is not the echoed prompt`);
      let cache;
      if (target !== DIRECT) {
        const provider = res.headers.get('x-gateway-provider');
        cache = res.headers.get('x-gateway-cache') ?? 'none';
        const reason = res.headers.get('x-gateway-cache-reason');
        if (reason) cache += ` (${reason})`;
        if (provider !== 'fake') throw new Error(`${where}: served by ${provider}, not fake`);
        if (cache.startsWith('hit') || cache.startsWith('semantic-hit'))
          throw new Error(`${where}: answered from the cache (${cache})`);
      }
      seen.push({ target: target.name, mode, status: res.status, bytes: text.length, cache });
    }
  }
  return seen;
}
