import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { PiiScrubberConfig } from '../../config/guardrails-config.schema';
import type { ChatRequest, ChatResponse } from '../../types/unified';
import { answerOf } from '../../cache/cache.fixtures';
import { middlewareContext } from '../middleware.fixtures';
import { PiiScrubber } from './pii-scrubber.middleware';

const CARD = '4111 1111 1111 1111';

const contextFor = (request: ChatRequest) => middlewareContext(request);

function answer(content: string, args?: string): ChatResponse {
  const response = answerOf(content);
  if (args) {
    response.choices[0].message.tool_calls = [
      { id: 't', type: 'function', function: { name: 'f', arguments: args } },
    ];
  }
  return response;
}

describe('PiiScrubber', () => {
  const settings = new PiiScrubberConfig();
  const scrubber = new PiiScrubber(() => settings);

  it('replaces emails and cards in every message by placeholders, the caller object untouched', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'system', content: 'You help ops.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: `Mail ann@example.com, card ${CARD}, again ann@example.com` },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 't1',
            type: 'function',
            function: { name: 'lookup', arguments: '{"email":"bob@example.org"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 't1', content: 'bob@example.org is on call' },
    ];
    const request: ChatRequest = { model: 'm', messages };
    const before = JSON.stringify(request);
    const context = contextFor(request);
    scrubber.beforeRequest(context);
    const sent = JSON.stringify(context.request);
    expect(sent).not.toContain('ann@example.com');
    expect(sent).not.toContain('bob@example.org');
    expect(sent).not.toContain(CARD);
    expect(sent).toContain('Mail <EMAIL_1>, card <CARD_1>, again <EMAIL_1>');
    expect(sent).toContain('{\\"email\\":\\"<EMAIL_2>\\"}');
    expect(sent).toContain('<EMAIL_2> is on call');
    expect(context.decision).toBe('masked:5');
    expect(JSON.stringify(request)).toBe(before);
    // An unchanged message is the caller's own object.
    expect(context.request.messages[0]).toBe(messages[0]);
  });

  it('restores placeholders in the answer and in tool-call arguments (JSON-escaped)', () => {
    const context = contextFor({
      model: 'm',
      messages: [{ role: 'user', content: `write to "ann"@example.com? no: ann@example.com` }],
    });
    scrubber.beforeRequest(context);
    const response = answer('Sent to <EMAIL_1>. <EMAIL_9> is not ours.', '{"to":"<EMAIL_1>"}');
    scrubber.afterResponse(context, response);
    expect(response.choices[0].message.content).toBe(
      'Sent to ann@example.com. <EMAIL_9> is not ours.',
    );
    expect(response.choices[0].message.tool_calls?.[0]).toMatchObject({
      function: { arguments: '{"to":"ann@example.com"}' },
    });
  });

  it('refuses a request holding a type whose action is block, naming the type only', () => {
    const blocking = new PiiScrubber(() => ({
      ...settings,
      actions: { ...settings.actions, card: 'block' },
    }));
    const context = contextFor({
      model: 'm',
      messages: [{ role: 'user', content: `pay ${CARD}` }],
    });
    expect(() => blocking.beforeRequest(context)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.PII_DETECTED }),
    );
    expect(context.decision).toBe('blocked:card');
    try {
      blocking.beforeRequest(context);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('4111');
    }
  });

  it('masks without a vault, and `off` leaves a type alone', () => {
    const masking = new PiiScrubber(() => ({
      ...settings,
      actions: { ...settings.actions, email: 'mask', ip: 'off' },
    }));
    const context = contextFor({
      model: 'm',
      messages: [{ role: 'user', content: 'ann@example.com from 10.1.2.3' }],
    });
    masking.beforeRequest(context);
    expect(context.request.messages[0].content).toBe('[EMAIL] from 10.1.2.3');
    expect(context.state.size).toBe(0);
    expect(masking.streamText(context, { choice: 0, field: 'content' })).toBeUndefined();
  });

  it('restores a placeholder split across stream chunks', () => {
    const context = contextFor({
      model: 'm',
      messages: [{ role: 'user', content: 'I am ann@example.com' }],
    });
    scrubber.beforeRequest(context);
    const transform = scrubber.streamText(context, { choice: 0, field: 'content' })!;
    const out = ['Hello <EM', 'AIL_', '1>, bye <', 'b>'].map((c) => transform.push(c));
    out.push(transform.end());
    expect(out.join('')).toBe('Hello ann@example.com, bye <b>');
    expect(out[0]).toBe('Hello ');
  });

  it('with scanOutputs, masks personal data the request did not hold, streamed and not', () => {
    const scanning = new PiiScrubber(() => ({ ...settings, scanOutputs: true }));
    const context = contextFor({
      model: 'm',
      messages: [{ role: 'user', content: 'I am ann@example.com, who handles billing?' }],
    });
    scanning.beforeRequest(context);
    const response = answer('<EMAIL_1>: ask carol@example.net or call +44 20 7946 0958.');
    scanning.afterResponse(context, response);
    expect(response.choices[0].message.content).toBe(
      'ann@example.com: ask [EMAIL] or call [PHONE].',
    );
    const transform = scanning.streamText(context, { choice: 0, field: 'content' })!;
    // Longer than the look-ahead, so text is released before the end, never mid-finding.
    const filler = 'and so on '.repeat(30);
    const pieces = [
      '<EMAIL_1>: ask carol@exam',
      `ple.net ${filler}or call +44 20 79`,
      '46 0958. ',
      filler,
    ];
    const released = pieces.map((p) => transform.push(p));
    const streamed = released.join('') + transform.end();
    expect(released.join('').length).toBeGreaterThan(0);
    expect(released.join('')).not.toContain('carol');
    expect(streamed).toBe(`ann@example.com: ask [EMAIL] ${filler}or call [PHONE]. ${filler}`);
  });

  it('scrubs custom tool inputs, the prediction, user, safety_identifier and metadata too', () => {
    const request = {
      model: 'm',
      messages: [
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'custom', custom: { name: 'mail', input: 'to ann@example.com' } },
          ],
        },
      ],
      prediction: { type: 'content', content: `Card ${CARD} on file` },
      user: 'bob@example.org',
      safety_identifier: 'carol@example.net',
      metadata: { owner: 'dan@example.io', plan: 'pro' },
    } as unknown as ChatRequest;
    const context = contextFor(request);
    scrubber.beforeRequest(context);
    const sent = JSON.stringify(context.request);
    for (const value of ['ann@', 'bob@', 'carol@', 'dan@', '4111'])
      expect(sent).not.toContain(value);
    expect(sent).toContain('"plan":"pro"');
    expect(context.decision).toBe('masked:5');
  });

  it('a part it cannot read: 400 unsupported_feature when it fails closed, passed when open', () => {
    const request = {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'see the file' },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,AAAA' } },
          ],
        },
      ],
    } as unknown as ChatRequest;
    expect(() => scrubber.beforeRequest(contextFor(request))).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.UNSUPPORTED_FEATURE }),
    );
    const open = new PiiScrubber(() => ({ ...settings, failMode: 'open' }));
    const context = contextFor(request);
    open.beforeRequest(context);
    expect(context.decision).toBe('clean');
  });
});
