import { SCORE_WEIGHTS } from '../score/score.calculator';

/**
 * A realistic `score` answer for `SAMPLE_RESUME_TEXT` × `JOB_DESCRIPTION`: judgments only,
 * every evidence quoted word for word from the rendered sample.
 */
export const SCORE_ANSWER = JSON.stringify({
  keywords: [
    {
      keyword: 'compression algorithms',
      importance: 'required',
      found: true,
      evidence: 'a proprietary universal compression algorithm',
    },
    {
      keyword: 'lossless compression',
      importance: 'required',
      found: true,
      evidence: 'approach the theoretical limit of lossless compression',
    },
    { keyword: 'C++', importance: 'required', found: false, evidence: '' },
    {
      keyword: 'JavaScript',
      importance: 'required',
      found: true,
      evidence: 'HTML, CSS, Javascript',
    },
    { keyword: 'MPEG', importance: 'required', found: true, evidence: 'Mpeg, MP4, GIF' },
    {
      keyword: 'video compression',
      importance: 'preferred',
      found: true,
      evidence: 'Video compression for 3d media',
    },
    { keyword: 'Kubernetes', importance: 'preferred', found: false, evidence: '' },
    { keyword: 'Rust', importance: 'preferred', found: false, evidence: '' },
    {
      keyword: 'team leadership',
      importance: 'preferred',
      found: true,
      evidence: 'Roles: Team lead, Designer',
    },
  ],
  skills: [
    {
      skill: 'Compression algorithm design',
      importance: 'required',
      level: 'strong',
      evidence: 'Optimized an algorithm that holds the current world record for Weisman Scores',
    },
    { skill: 'C++', importance: 'required', level: 'none', evidence: '' },
    {
      skill: 'Web development (JavaScript, HTML, CSS)',
      importance: 'required',
      level: 'strong',
      evidence: 'Web Development (Master): HTML, CSS, Javascript',
    },
    {
      skill: 'MPEG video formats',
      importance: 'required',
      level: 'partial',
      evidence: 'Compression (Master): Mpeg, MP4, GIF',
    },
    {
      skill: 'Team leadership',
      importance: 'preferred',
      level: 'partial',
      evidence: 'CEO/President at Pied Piper',
    },
    { skill: 'Kubernetes', importance: 'preferred', level: 'none', evidence: '' },
  ],
  experience: {
    requiredYears: 5,
    relevantYears: 1,
    seniorityFit: 'below',
    evidence: ['CEO/President at Pied Piper (Palo Alto, CA)', 'Dec 2013 – Dec 2014'],
  },
  sectionsPresent: ['contact', 'summary', 'experience', 'education', 'skills'],
  reasons: [
    {
      area: 'keywords',
      reason: 'Deep lossless compression work, the core of the role.',
      evidence: 'approach the theoretical limit of lossless compression',
    },
    {
      area: 'skills',
      reason: 'No C++ anywhere in the resume, a hard requirement.',
      evidence: '',
    },
    {
      area: 'experience',
      reason: 'About one year in one relevant role, against five years required.',
      evidence: 'Dec 2013 – Dec 2014',
    },
    {
      area: 'skills',
      reason: 'The web stack matches the internal tooling work.',
      evidence: 'HTML, CSS, Javascript',
    },
    {
      area: 'keywords',
      reason: 'Published on video compression, a nice-to-have.',
      evidence: 'Video compression for 3d media',
    },
  ],
});

/**
 * What `score` outputs for `SCORE_ANSWER` (on a text resume):
 * - keywords 71: required found 4 of 5 (×2 = 8), preferred 2 of 4 → 10 / 14 = 71.4;
 * - skills 55: strong 2 + none 0 + strong 2 + partial 1 (required ×2), partial 0.5 +
 *   none 0 (preferred ×1) → 5.5 / 10;
 * - experience 28: years 1 / 5 = 0.2, seniority below 0.4 → 100 × (0.6 × 0.2 + 0.4 × 0.4);
 * - sections 100: contact 20 + summary 20 + experience 30 + education 15 + skills 15;
 * - overall 58: 0.35 × 71 + 0.30 × 55 + 0.25 × 28 + 0.10 × 100 = 58.35.
 */
export const SCORE_EXPECTED = {
  overall: 58,
  subScores: { keywords: 71, skills: 55, experience: 28, sections: 100 },
  weights: { ...SCORE_WEIGHTS },
  matchedKeywords: [
    'compression algorithms',
    'lossless compression',
    'JavaScript',
    'MPEG',
    'video compression',
    'team leadership',
  ],
  missingKeywords: ['C++', 'Kubernetes', 'Rust'],
};
