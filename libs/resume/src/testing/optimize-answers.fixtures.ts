import type { JsonResume } from '../shared/json-resume';

/**
 * The sample resume rewritten for `JOB_DESCRIPTION`, as a model would answer `optimize`
 * from `SAMPLE_RESUME_TEXT`: summary and highlights rephrased and reordered, skills led
 * by what the job asks; employers, titles, degrees and dates exactly as the text has them.
 */
const OPTIMIZED_RESUME: JsonResume = {
  basics: {
    name: 'Richard Hendriks',
    label: 'Programmer, lossless compression',
    email: 'richard.hendriks@mail.com',
    phone: '(912) 555-4321',
    url: 'http://richardhendricks.example.com',
    summary:
      'Programmer focused on applied information theory and lossless compression. Founded and ran Pied Piper, whose universal compression algorithm approaches the theoretical limit of lossless compression and holds the world record for Weisman Scores. Published on video compression; comfortable across MPEG formats and the web stack.',
    location: { city: 'San Francisco', region: 'California', countryCode: 'US' },
    profiles: [{ network: 'Twitter', username: 'neutralthoughts', url: 'https://www.twitter.com' }],
  },
  work: [
    {
      name: 'Pied Piper',
      position: 'CEO/President',
      location: 'Palo Alto, CA',
      startDate: '2013-12',
      endDate: '2014-12',
      summary:
        'Led the company behind a multi-platform, proprietary universal compression algorithm that approaches the theoretical limit of lossless compression.',
      highlights: [
        'Optimized an algorithm that holds the current world record for Weisman Scores',
        'Built an algorithm for artists to detect whether their music violated copyright law',
        'Won TechCrunch Disrupt',
      ],
    },
  ],
  volunteer: [
    {
      organization: 'CoderDojo',
      position: 'Teacher',
      startDate: '2012-01',
      endDate: '2013-01',
      summary: 'Taught at a global movement of free coding clubs for young people.',
      highlights: ["Awarded 'Teacher of the Month'"],
    },
  ],
  education: [
    {
      institution: 'University of Oklahoma',
      area: 'Information Technology',
      studyType: 'Bachelor',
      startDate: '2011-06',
      endDate: '2014-01',
      score: '4.0',
    },
  ],
  awards: [{ title: 'Digital Compression Pioneer Award', date: '2014-11', awarder: 'Techcrunch' }],
  publications: [
    {
      name: 'Video compression for 3d media',
      publisher: 'Hooli',
      releaseDate: '2014-10',
      summary: 'Innovative middle-out compression algorithm that changes the way we store data.',
    },
  ],
  skills: [
    { name: 'Compression', level: 'Master', keywords: ['MPEG', 'MP4', 'GIF'] },
    { name: 'Web Development', level: 'Master', keywords: ['JavaScript', 'HTML', 'CSS'] },
  ],
  projects: [
    {
      name: 'Miss Direction',
      description: 'A mapping engine built with GoogleMaps, a Chrome Extension and JavaScript.',
      startDate: '2016-08',
      endDate: '2016-08',
      highlights: ['Won award at AIHacks 2016', 'Led the team as team lead and designer'],
      roles: ['Team lead', 'Designer'],
    },
  ],
  languages: [{ language: 'English', fluency: 'Native speaker' }],
};

const CHANGES = [
  {
    section: 'basics.summary',
    description:
      'Rewrote the summary around lossless compression, the record result and the publication.',
    reason:
      'The job centres on compression algorithms and asks for published work on video compression.',
  },
  {
    section: 'work[0].highlights',
    description:
      'Moved the Weisman Score record first and tightened the wording of every highlight.',
    reason: 'The strongest evidence of compression depth should be read first.',
  },
  {
    section: 'skills',
    description:
      'Put Compression (MPEG, MP4) before Web Development and spelled JavaScript as the job does.',
    reason: 'MPEG formats and JavaScript are named requirements.',
  },
  {
    section: 'interests, references',
    description: 'Left out interests and the reference.',
    reason: 'They do not bear on this role and the page is better spent on the work.',
  },
];

/** A valid `optimize` answer for `SAMPLE_RESUME_TEXT` × `JOB_DESCRIPTION`. */
export const OPTIMIZE_ANSWER = JSON.stringify({ resume: OPTIMIZED_RESUME, changes: CHANGES });

/**
 * An `optimize` answer that invents an employer (Globex Corporation), with a title and
 * dates the resume never had: four invented facts.
 */
export const OPTIMIZE_ANSWER_INVENTED_EMPLOYER = JSON.stringify({
  resume: {
    ...OPTIMIZED_RESUME,
    work: [
      {
        name: 'Globex Corporation',
        position: 'Senior Compression Engineer',
        startDate: '2015-01',
        endDate: '2017-06',
        summary: 'Owned the video transcoding pipeline in C++.',
      },
      ...(OPTIMIZED_RESUME.work ?? []),
    ],
  },
  changes: [
    ...CHANGES,
    {
      section: 'work',
      description: 'Added recent C++ experience.',
      reason: 'The job requires strong C++.',
    },
  ],
});
