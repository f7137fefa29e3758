import { SAMPLE_RESUME_TEXT, TEST_ANSWER } from '../testing';
import { testOutputSpec } from './test.output';
import type { TestTaskInput } from './test.schema';

const input = (overrides: Partial<TestTaskInput> = {}): TestTaskInput => ({
  resumeText: SAMPLE_RESUME_TEXT,
  jobDescription: 'jd',
  count: 8,
  difficulty: 'mixed',
  ...overrides,
});
/** The fixture answer, loosely typed so a test can break any part of it. */
const valid = () =>
  JSON.parse(TEST_ANSWER) as {
    skills: string[];
    questions: Array<Record<string, unknown> & { question: string }>;
  };
const problemsOf = (answer: unknown, on = input()) => {
  const check = testOutputSpec(on).check(answer, on);
  return check.ok ? [] : check.problems;
};

describe(testOutputSpec.name, () => {
  it('accepts the realistic 8-question test', () => {
    const check = testOutputSpec(input()).check(valid(), input());
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.value.questions).toHaveLength(8);
    expect(check.value.skills).toContain('Lossless compression');
    expect(new Set(check.value.questions.map((q) => q.difficulty))).toEqual(
      new Set(['easy', 'medium', 'hard']),
    );
  });

  it('needs exactly the number of questions asked for', () => {
    expect(problemsOf(valid(), input({ count: 5 }))).toEqual([
      'questions must have exactly 5 items (it has 8)',
    ]);
  });

  it('needs the asked difficulty on every question unless mixed', () => {
    const answer = valid();
    answer.questions = answer.questions.slice(0, 3);
    expect(problemsOf(answer, input({ count: 3, difficulty: 'medium' }))).toEqual([
      'questions[0].difficulty must be "medium" (asked for), not "easy"',
      'questions[2].difficulty must be "medium" (asked for), not "hard"',
    ]);
    answer.questions.forEach((q) => (q.difficulty = 'medium'));
    expect(problemsOf(answer, input({ count: 3, difficulty: 'medium' }))).toEqual([]);
  });

  it('reports a repeated question, an unlisted skill and bad answer points', () => {
    const answer = valid();
    answer.questions[1].question = `  ${answer.questions[0].question.toUpperCase()} `;
    answer.questions[2].skill = 'Go';
    answer.questions[3].expectedAnswerPoints = [];
    answer.questions[4].expectedAnswerPoints = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    answer.questions[5].difficulty = 'expert';
    expect(problemsOf(answer)).toEqual([
      'questions[1].question repeats an earlier question',
      'questions[2].skill "Go" is not one of skills',
      'questions[3].expectedAnswerPoints must have 1 to 6 items (it has 0)',
      'questions[4].expectedAnswerPoints must have 1 to 6 items (it has 7)',
      'questions[5].difficulty must be one of easy, medium, hard',
    ]);
  });

  it('reports missing parts', () => {
    expect(problemsOf({ questions: [] })).toEqual([
      'skills must be an array',
      'questions must have exactly 8 items (it has 0)',
    ]);
  });

  it('states the count and restricts the difficulty in the schema sent to the provider', () => {
    const schema = testOutputSpec(input({ count: 3, difficulty: 'hard' })).jsonSchema as {
      properties: { questions: Record<string, unknown> };
    };
    expect(schema.properties.questions).toMatchObject({
      description: 'Exactly 3 questions.',
      items: { properties: { difficulty: { enum: ['hard'] } }, additionalProperties: false },
    });
  });
});
