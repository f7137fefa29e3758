import { datePrecisionKey, normalizeForMatch, ResumeTextIndex } from './text-match';

describe(normalizeForMatch.name, () => {
  it('ignores case, accents, punctuation and spacing, but keeps + and #', () => {
    expect(normalizeForMatch('  Café—CEO/President,\n C++ & C#! ')).toBe(
      'cafe ceo president c++ c#',
    );
  });
});

describe(ResumeTextIndex.name, () => {
  const index = new ResumeTextIndex(
    [
      'Richard Hendriks — richard.hendriks@mail.com | (912) 555-4321',
      'CEO/President at Pied Piper (Palo Alto, CA)',
      'Dec 2013 – Dec 2014',
      'Education: Bachelor, University of Oklahoma, 2011 – 03/2014',
      'Skills: HTML, CSS, “Javascript”, C++',
    ].join('\n'),
  );

  it('finds phrases on word boundaries, whatever the typography', () => {
    expect(index.containsPhrase('Pied Piper')).toBe(true);
    expect(index.containsPhrase('ceo / president')).toBe(true);
    expect(index.containsPhrase('RICHARD.HENDRIKS@MAIL.COM')).toBe(true);
    expect(index.containsPhrase('C++')).toBe(true);
    expect(index.containsPhrase('Pied')).toBe(true);
    expect(index.containsPhrase('Pie')).toBe(false);
    expect(index.containsPhrase('Hooli')).toBe(false);
    expect(index.containsPhrase(' ... ')).toBe(false);
  });

  it('finds a quote word for word, each part of an elided one, and rejects an altered one', () => {
    expect(index.containsQuote('"HTML, CSS, Javascript"')).toBe(true);
    expect(index.containsQuote('CEO/President at Pied Piper … Palo Alto')).toBe(true);
    expect(index.containsQuote('Richard Hendriks...Pied Piper')).toBe(true);
    expect(index.containsQuote('CEO at Pied Piper')).toBe(false);
    expect(index.containsQuote('…')).toBe(false);
  });

  it('finds a phone number by its digits, with or without a country code', () => {
    expect(index.containsPhone('912-555-4321')).toBe(true);
    expect(index.containsPhone('+1 (912) 555 4321')).toBe(true);
    expect(index.containsPhone('912-555-1234')).toBe(false);
  });

  it.each([
    ['2013-12', true],
    ['2013-12-01', true],
    ['2014-03', true],
    ['2014', true],
    ['2011', true],
    ['2013-11', false],
    ['2012', false],
    ['2015-03', false],
  ])('finds the date %s in a written form: %s', (date, found) => {
    expect(index.containsDate(date)).toBe(found);
  });

  it.each(['2019-03', '03/2019', '3/2019', 'Mar 2019', 'March 2019', 'mar. 2019', '2019/03'])(
    'reads a month written as %s',
    (written) => {
      expect(new ResumeTextIndex(`Joined in ${written}.`).containsDate('2019-03-15')).toBe(true);
    },
  );

  it('needs the year for a year-only date, not a number that contains it', () => {
    expect(new ResumeTextIndex('Raised 120190 USD').containsDate('2019')).toBe(false);
    expect(new ResumeTextIndex('Sept 2019').containsDate('2019-09')).toBe(true);
  });
});

describe(datePrecisionKey.name, () => {
  it('keeps the month, drops the day, and refuses non-ISO values', () => {
    expect(datePrecisionKey('2013-12-01')).toBe('2013-12');
    expect(datePrecisionKey('2013-12')).toBe('2013-12');
    expect(datePrecisionKey('2013')).toBe('2013');
    expect(datePrecisionKey('Dec 2013')).toBeUndefined();
  });
});
