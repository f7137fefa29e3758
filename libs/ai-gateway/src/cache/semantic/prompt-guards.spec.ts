import type { FeatureConflict } from './prompt-guards';
import { featuresConflict, promptFeatures } from './prompt-guards';

const conflict = (a: string, b: string): FeatureConflict | undefined =>
  featuresConflict(promptFeatures(a), promptFeatures(b));

describe(promptFeatures.name, () => {
  it.each<[string, string[]]>([
    ['Budget $1,250,000 over 3.5 years', ['1250000', '3.5']],
    [
      'A 20% raise, version 3.10, on 2024-03-07 at 10:30',
      ['10', '20', '2024', '3', '3.10', '30', '7'],
    ],
    ['twenty-five ideas, a dozen examples, two hundred words', ['12', '200', '25']],
    [
      'a thousand users, 5 million rows, an 85k salary, charged twice',
      ['1000', '2', '5000000', '85000'],
    ],
    ['the 2nd and third rounds', ['2', '3']],
    [
      'resize to 1920x1080, keep under 10kg, agent 007, half is 0.5',
      ['0.5', '10', '1080', '1920', '7'],
    ],
    ['which one is better, the 1st or the last?', []],
  ])('reads the numbers of %p', (text, numbers) => {
    expect(promptFeatures(text).numbers).toEqual(numbers);
  });

  it.each<[string, number]>([
    ["I don't want it and it isn't ready", 2],
    ['no cookies, never sugar, without salt', 3],
    ['it cannot wait; neither this nor that', 3],
    ['not only fast but cheap, no matter the size', 0],
    ['a plain request', 0],
  ])('counts the negations of %p', (text, negations) => {
    expect(promptFeatures(text).negations).toBe(negations);
  });

  it('finds known names in any casing and aliases them', () => {
    const features = promptFeatures(
      'how does python compare with golang, postgres and Node.js on aws in australia',
    );
    expect(features.entities).toEqual(['australia', 'aws', 'go', 'node', 'postgresql', 'python']);
    expect(features.names).toEqual([]);
  });

  it('finds code identifiers and names with digits as names of any casing', () => {
    const features = promptFeatures(
      'Use os.path in file_utils.py, C++ and C#, then upload to S3 with gpt-4o. E.g. this one',
    );
    expect(features.entities).toEqual([
      'cpp',
      'csharp',
      'file_utils.py',
      'gpt-4o',
      'os.path',
      's3',
    ]);
  });

  it('takes capitals inside a sentence, acronyms, camelCase and short quotes as names', () => {
    const features = promptFeatures(
      "Hi, I am Maria. I work at Acme with the API team on useState. Reply 'yes please' Thanks!",
    );
    expect(features.names).toEqual(['"yes please"', 'acme', 'api', 'maria', 'usestate']);
  });

  it('keeps qualifiers as axis and pole, in order, longest phrase first', () => {
    expect(
      promptFeatures(
        'A senior, full-time, remote role: convert annual pay to monthly, lower case, descending',
      ).qualifiers,
    ).toEqual([
      'seniority:senior',
      'schedule:full',
      'workplace:remote',
      'period:year',
      'period:month',
      'letterCase:lower',
      'order:desc',
    ]);
  });

  it('reads which way a conversion goes', () => {
    expect(promptFeatures('How do I convert a string to an integer?').directions).toEqual([
      'string>integer',
    ]);
    expect(promptFeatures('Translate it from English into German').directions).toEqual([
      'english>german',
    ]);
    expect(promptFeatures('I want to go to work').directions).toEqual([]);
  });

  it('stores values and names, never the text, and stays small for long prompts', () => {
    const numbers = Array.from({ length: 60 }, (_, i) => String(1000 + i)).join(', ');
    const text = `Here are the sales figures of our store for last year: ${numbers}. Summarise them.`;
    const features = promptFeatures(text);
    expect(JSON.parse(JSON.stringify(features))).toEqual(features);
    expect(JSON.stringify(features)).not.toContain('sales figures');
    expect(features.numbers).toHaveLength(32);
    expect(features.numbers[31]).toMatch(/^#[0-9a-z]+$/);
    // A difference after the 31st number still shows, through the digest.
    expect(conflict(text, text.replace('1059', '1060'))).toBe('number');
  });
});

describe(featuresConflict.name, () => {
  it.each<[string, string]>([
    ['What is the capital of Australia?', "what's australia's capital city"],
    ['Write a cover letter for a job at Google', 'write a cover letter for a job at google pls'],
    ['Explain the Acme refund policy', 'explain acme refund policy'],
    ['Summarize this in three bullet points', 'Summarize this in 3 bullet points please'],
    ['Budget of $1,000 for five days', 'budget of 1000 dollars for 5 days'],
    ["I don't have a degree, what jobs can I get?", 'I do not have a degree: what jobs can I get?'],
    ['In Python, how do I recieve a webhook?', 'How do I receive a webhook in python'],
    ['Write a REST API in Go', 'Write a REST API in Golang'],
    ['What is the best way to learn SQL?', 'How do I learn SQL?'],
    ['How do I turn on dark mode?', 'How do I enable dark mode?'],
  ])('lets the paraphrases %p and %p share an answer', (a, b) => {
    expect(conflict(a, b)).toBeUndefined();
  });

  it.each<[string, string, FeatureConflict]>([
    ['Summary for 5 years of experience', 'Summary for 10 years of experience', 'number'],
    ['Summarize it in 3 bullet points', 'Summarize it in bullet points', 'number'],
    ['What is new in Python 3.12?', 'What is new in Python 3.11?', 'number'],
    ['A cake recipe with eggs', 'A cake recipe without eggs', 'negation'],
    ['Users who verified their email', "Users who haven't verified their email", 'negation'],
    ['Tailor my resume for Amazon', 'Tailor my resume for Google', 'entity'],
    ['How do I read a CSV file in Python?', 'How do I read a CSV file?', 'entity'],
    ['Summarize the plot of Hamlet', 'Summarize the plot of Macbeth', 'entity'],
    ['A job ad for a senior engineer', 'A job ad for a junior engineer', 'qualifier'],
    ['Sort by date ascending', 'Sort by date descending', 'qualifier'],
    ['Convert the annual salary to monthly', 'Convert the monthly salary to annual', 'qualifier'],
    [
      'Convert a string to an integer in Java',
      'Convert an integer to a string in Java',
      'qualifier',
    ],
  ])('tells %p from %p by %s', (a, b, reason) => {
    expect(conflict(a, b)).toBe(reason);
  });

  it('lets a qualifier only one prompt uses through, to the similarity threshold', () => {
    expect(conflict('A job ad for a senior engineer', 'A job ad for an engineer')).toBeUndefined();
  });

  it('lets a capitalised name missing from the other prompt through, not a swapped one', () => {
    expect(
      conflict('Email John about the Q3 plan', 'email john about the Q3 plan'),
    ).toBeUndefined();
    expect(conflict('Email John about the Q3 plan', 'Email Maria about the Q3 plan')).toBe(
      'entity',
    );
  });
});

describe('prompt guards on hostile text', () => {
  it('a prompt of 200,000 grouped numbers does not overflow the stack; its list stays bounded', () => {
    const text = Array.from({ length: 200_000 }, (_, i) => i % 10).join(',');
    const features = promptFeatures(text);
    expect(features.numbers).toHaveLength(32);
    expect(features.numbers[31]).toMatch(/^#/);
  });
});
