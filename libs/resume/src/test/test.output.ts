import { AnswerReader } from '../shared/answer-reader';
import { normalizeForMatch } from '../shared/text-match';
import type { OutputCheck, TaskOutputSpec } from '../structured/task-output-spec';
import type { QuestionDifficulty, TestDifficulty, TestTaskInput } from './test.schema';
import { MAX_QUESTIONS, QUESTION_DIFFICULTIES } from './test.schema';

/** One interview question of a skills test. */
export interface TestQuestion {
  question: string;
  /** The skill it checks (one of the test's `skills`). */
  skill: string;
  difficulty: QuestionDifficulty;
  /** What a good answer covers (1–6 points), for the interviewer. */
  expectedAnswerPoints: string[];
}

/** Output of the `test` task: a skills test for the candidate and the job. */
export interface TestTaskOutput {
  questions: TestQuestion[];
  /** The skills the test covers. */
  skills: string[];
}

const MAX_SKILLS = 20;
const MAX_POINTS = 6;

/**
 * The `test` answer for one request: exactly `count` questions, all of the requested
 * difficulty unless `mixed`, no question twice, each checking one of the listed skills
 * and with 1–6 expected answer points. The schema restricts the difficulty and states the
 * count (in a description: not every provider accepts item bounds).
 */
export function testOutputSpec(
  input: Pick<TestTaskInput, 'count' | 'difficulty'>,
): TaskOutputSpec<TestTaskInput, TestTaskOutput> {
  const difficulties = input.difficulty === 'mixed' ? QUESTION_DIFFICULTIES : [input.difficulty];
  return {
    name: 'resume_skills_test',
    jsonSchema: {
      type: 'object',
      properties: {
        skills: {
          type: 'array',
          description: `1 to ${MAX_SKILLS} skills.`,
          minItems: 1,
          items: { type: 'string' },
        },
        questions: {
          type: 'array',
          description: `Exactly ${input.count} questions.`,
          minItems: 1,
          items: {
            type: 'object',
            properties: {
              question: { type: 'string' },
              skill: { type: 'string', description: 'One of skills.' },
              difficulty: { type: 'string', enum: [...difficulties] },
              expectedAnswerPoints: {
                type: 'array',
                description: `1 to ${MAX_POINTS} points.`,
                minItems: 1,
                items: { type: 'string' },
              },
            },
            required: ['question', 'skill', 'difficulty', 'expectedAnswerPoints'],
            additionalProperties: false,
          },
        },
      },
      required: ['skills', 'questions'],
      additionalProperties: false,
    },
    check: checkTestAnswer,
  };
}

function checkTestAnswer(answer: unknown, input: TestTaskInput): OutputCheck<TestTaskOutput> {
  const read = new AnswerReader();
  const root = read.object(answer, 'answer') ?? {};
  const skills = read
    .list(root.skills, 'skills', 1, MAX_SKILLS)
    .map((skill, i) => read.text(skill, `skills[${i}]`, { max: 100 }))
    .filter((skill): skill is string => skill !== undefined);
  const known = new Set(skills.map(normalizeForMatch));

  const seen = new Set<string>();
  const questions = read
    .list(root.questions, 'questions', input.count, input.count)
    .slice(0, MAX_QUESTIONS)
    .map((item, i): TestQuestion => {
      const at = `questions[${i}]`;
      const q = read.object(item, at) ?? {};
      const question = read.text(q.question, `${at}.question`, { max: 1_000 }) ?? '';
      const key = normalizeForMatch(question);
      if (key !== '' && seen.has(key)) read.problem(`${at}.question repeats an earlier question`);
      seen.add(key);
      const skill = read.text(q.skill, `${at}.skill`, { max: 100 }) ?? '';
      if (skill !== '' && !known.has(normalizeForMatch(skill))) {
        read.problem(`${at}.skill "${skill}" is not one of skills`);
      }
      return {
        question,
        skill,
        difficulty: difficultyOf(read, q.difficulty, `${at}.difficulty`, input.difficulty),
        expectedAnswerPoints: read
          .list(q.expectedAnswerPoints, `${at}.expectedAnswerPoints`, 1, MAX_POINTS)
          .map(
            (point, j) => read.text(point, `${at}.expectedAnswerPoints[${j}]`, { max: 500 }) ?? '',
          ),
      };
    });

  if (read.problems.length > 0) return { ok: false, problems: read.problems };
  return { ok: true, value: { questions, skills } };
}

function difficultyOf(
  read: AnswerReader,
  value: unknown,
  path: string,
  requested: TestDifficulty,
): QuestionDifficulty {
  const difficulty = read.choice(value, path, QUESTION_DIFFICULTIES) ?? 'medium';
  if (requested !== 'mixed' && difficulty !== requested) {
    read.problem(`${path} must be "${requested}" (asked for), not "${difficulty}"`);
  }
  return difficulty;
}
