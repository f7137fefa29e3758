import { cardNumberValid, ibanValid, luhnValid } from './pii-checksums';
import type { PiiType } from './pii-detectors';
import { detectPii } from './pii-detectors';

/** What `detectPii` finds in `text`, as `type:value`. */
function found(text: string): string[] {
  return detectPii(text).map((m) => `${m.type}:${text.slice(m.start, m.end)}`);
}

/** The development examples (written for tuning; the held-out sets are never read here). */
const CASES: Array<[string, string[]]> = [
  ['Write to jane.doe+news@mail.example.org today.', ['email:jane.doe+news@mail.example.org']],
  ['Logo: assets/logo@2x.png, contact: ops@acme.io.', ['email:ops@acme.io']],
  ['user@localhost and admin@example are not addresses', []],
  ['Card 4111 1111 1111 1111 exp 12/27', ['card:4111 1111 1111 1111']],
  ['Amex 3782-822463-10005 on file', ['card:3782-822463-10005']],
  ['pay with 5500005555555559.', ['card:5500005555555559']],
  ['Order 4111111111111112 shipped', []],
  ['Tracking 1Z999AA10123456784, invoice 2024-000123', []],
  ['IBAN: DE89 3704 0044 0532 0130 00 (Commerzbank)', ['iban:DE89 3704 0044 0532 0130 00']],
  ['send to GB82WEST12345698765432 please', ['iban:GB82WEST12345698765432']],
  ['ref DE89 3704 0044 0532 0130 01 is wrong', []],
  ['SSN 123-45-6789, not 000-12-3456 or 666-12-3456', ['ssn:123-45-6789']],
  ['server at 10.0.0.12 and 2001:db8::ff00:42:8329', ['ip:10.0.0.12', 'ip:2001:db8::ff00:42:8329']],
  ['upgrade to version 10.0.19045.3 and v1.2.3.4 today', []],
  ['meeting 12:30:45, ratio 16:9', []],
  ['Call +44 20 7946 0958 or (415) 555-2671.', ['phone:+44 20 7946 0958', 'phone:(415) 555-2671']],
  ['Tel.: 030 12345678 (Berlin office)', ['phone:030 12345678']],
  ['ring 0049 89 123456 after 6', ['phone:0049 89 123456']],
  ['ISBN 978-3-16-148410-0 and order 5551234567', []],
  ['Price $1,299.00 on 2024-03-15', []],
  [
    'key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx123456 leaked',
    ['secret:sk-proj-AbCdEfGhIjKlMnOpQrStUvWx123456'],
  ],
  ['AWS AKIAIOSFODNN7EXAMPLE in .env', ['secret:AKIAIOSFODNN7EXAMPLE']],
  [
    'token ghp_0123456789abcdefghijABCDEFGHIJklmnop12 end',
    ['secret:ghp_0123456789abcdefghijABCDEFGHIJklmnop12'],
  ],
  ['sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', []],
  ['uuid 123e4567-e89b-12d3-a456-426614174000', []],
  ['Accepted connection from 192.168.1.10 port 22', ['ip:192.168.1.10']],
  ['node 10.0.0.5 is down; upgraded from 1.2.3.4 today', ['ip:10.0.0.5']],
  [
    'allow 10.0.0.1 - 10.0.0.255 and 172.16.0.1 to 172.16.0.9',
    ['ip:10.0.0.1', 'ip:10.0.0.255', 'ip:172.16.0.1', 'ip:172.16.0.9'],
  ],
  [
    'London office: 020 7946 0958. Paris: 06 12 34 56 78.',
    ['phone:020 7946 0958', 'phone:06 12 34 56 78'],
  ],
  ['Reach Priya on 98765 43210 (mobile)', ['phone:98765 43210']],
  ['Invoice no. 0201 4455 6677 and ticket # (415) 555-2671', []],
  ['Mir card 2200 0000 0000 0004', ['card:2200 0000 0000 0004']],
  ['jane,4539578763621486,12/26,Visa', ['card:4539578763621486']],
  ['{"card_number":"5425233430109903","exp":"04/28"}', ['card:5425233430109903']],
  ['Card: 6011.0009.9013.9424 (Discover)', ['card:6011.0009.9013.9424']],
  ['txn-4539578763621486-ok', ['card:4539578763621486']],
  ['card no. 1234 5678 9012 3452 (test range)', ['card:1234 5678 9012 3452']],
  ['order 1234567890123452 shipped, ref 9123456789012348', []],
  ['p = 0.4539578763621486 and ids 1,234,567,890,123,452', []],
];

describe('detectPii (development examples)', () => {
  it.each(CASES)('%s', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('finds a private key block whole', () => {
    const block =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\nQ2F0\n-----END RSA PRIVATE KEY-----';
    expect(found(`config:\n${block}\nend`)).toEqual([`secret:${block}`]);
  });

  it('detects only the types asked for', () => {
    const types: PiiType[] = ['email'];
    expect(detectPii('a@b.co 123-45-6789', types).map((m) => m.type)).toEqual(['email']);
  });

  it('stays linear on hostile input (a megabyte of digits and dots)', () => {
    const started = process.hrtime.bigint();
    detectPii('1.'.repeat(200_000) + '4'.repeat(200_000) + 'a@'.repeat(100_000));
    // 150,000 findings: overlaps are checked against the taken characters, not pairwise.
    expect(detectPii('a@b.cc '.repeat(150_000))).toHaveLength(150_000);
    // Generous: the point is no catastrophic backtracking (that would take minutes).
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(20);
  });
});

describe('checksums', () => {
  it('Luhn, card brands and lengths, IBAN mod 97', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(cardNumberValid('4012888888881881')).toBe(true);
    expect(cardNumberValid('1234567812345670')).toBe(false); // Luhn-valid, no brand
    expect(ibanValid('NL91ABNA0417164300')).toBe(true);
    expect(ibanValid('NL91ABNA0417164301')).toBe(false);
    expect(ibanValid('XX91ABNA0417164300')).toBe(false);
  });
});
