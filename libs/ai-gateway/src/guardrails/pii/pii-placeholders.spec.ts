import { detectPii } from './pii-detectors';
import type { PiiType } from './pii-detectors';
import { PiiVault, StreamRestorer, scrub } from './pii-placeholders';

const PROMPT =
  'Mail jane@corp.io or call +44 20 7946 0958; jane@corp.io again. Card 4111 1111 1111 1111.';

describe('scrub and PiiVault', () => {
  it('replaces each value by one placeholder, and restores only what it issued', () => {
    const vault = new PiiVault();
    const result = scrub(PROMPT, detectPii(PROMPT), () => 'placeholder', vault);
    expect(result.text).toBe('Mail <EMAIL_1> or call <PHONE_1>; <EMAIL_1> again. Card <CARD_1>.');
    expect(result.found).toEqual({ email: 2, phone: 1, card: 1 });
    expect(result.blocked).toBeUndefined();
    expect(vault.restore('Sent to <EMAIL_1>, not <EMAIL_2> nor <PHONE_9>.')).toBe(
      'Sent to jane@corp.io, not <EMAIL_2> nor <PHONE_9>.',
    );
  });

  it('masks, and reports the first type whose action blocks', () => {
    const actions: Record<string, 'mask' | 'block'> = {
      email: 'mask',
      phone: 'mask',
      card: 'block',
    };
    const result = scrub(PROMPT, detectPii(PROMPT), (t: PiiType) => actions[t], new PiiVault());
    expect(result.text).toBe('Mail [EMAIL] or call [PHONE]; [EMAIL] again. Card [CARD].');
    expect(result.blocked).toBe('card');
  });
});

describe('StreamRestorer', () => {
  function streamed(chunks: string[], vault: PiiVault): string[] {
    const restorer = new StreamRestorer(vault);
    const out = chunks.map((c) => restorer.push(c));
    out.push(restorer.end());
    return out;
  }

  it('restores a placeholder split across chunks, holding back only the possible start', () => {
    const vault = new PiiVault();
    vault.placeholderFor('email', 'jane@corp.io');
    vault.placeholderFor('phone', '+44 20 7946 0958');
    const out = streamed(['Write to <EM', 'AIL_1> or c', 'all <PHONE_', '1>', ' today <'], vault);
    expect(out).toEqual([
      'Write to ',
      'jane@corp.io or c',
      'all ',
      '+44 20 7946 0958',
      ' today ',
      '<',
    ]);
    expect(out.join('')).toBe('Write to jane@corp.io or call +44 20 7946 0958 today <');
  });

  it('lets text through that only starts like a placeholder', () => {
    const vault = new PiiVault();
    vault.placeholderFor('email', 'a@b.co');
    expect(streamed(['if a <', 'b then', ' <div>x</div>'], vault).join('')).toBe(
      'if a <b then <div>x</div>',
    );
    // One character at a time: still whole and in order.
    const text = 'x <EMAIL_1> y <EMAIL_12> z';
    expect(streamed([...text], vault).join('')).toBe('x a@b.co y <EMAIL_12> z');
  });
});
