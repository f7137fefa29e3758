import type { JsonResume, JsonResumeDate } from './json-resume';

const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/** `2013-12-01` → `Dec 2013`; `2013` stays; anything else is shown as written. */
export function formatResumeDate(date: JsonResumeDate): string {
  const parts = /^(\d{4})(?:-(\d{2})(?:-\d{2})?)?$/.exec(date);
  if (!parts) return date;
  const month = parts[2] === undefined ? undefined : MONTH_NAMES[Number(parts[2]) - 1];
  return month ? `${month} ${parts[1]}` : parts[1];
}

/** `Dec 2013 – Dec 2014`; an open end is `present`; one date alone when both are equal. */
function period(start?: string, end?: string, openEnded = true): string | undefined {
  if (!start && !end) return undefined;
  const from = start ? formatResumeDate(start) : undefined;
  const to = end ? formatResumeDate(end) : openEnded ? 'present' : undefined;
  if (!from) return to;
  if (!to || to === from) return from;
  return `${from} – ${to}`;
}

function joined(values: ReadonlyArray<string | undefined>, separator: string): string {
  return values.filter((value): value is string => !!value && value.trim() !== '').join(separator);
}

function bullets(items?: readonly string[]): string[] {
  return (items ?? []).filter((item) => item.trim() !== '').map((item) => `- ${item}`);
}

/** One entry: its heading lines, then its body, then a blank line. */
function entry(...lines: Array<string | undefined | string[]>): string[] {
  const kept = lines.flat().filter((line): line is string => !!line && line.trim() !== '');
  return kept.length > 0 ? [...kept, ''] : [];
}

/**
 * Renders a JSON Resume as plain text, the way a resume reads: the header, then one
 * titled block per section. Used for prompts when a caller sends a JSON resume, and as
 * the text that evidence quotes are checked against; deterministic, so the same resume
 * always gives the same prompt (and the same cache key).
 */
export function renderResumeText(resume: JsonResume): string {
  const out: string[] = [];
  const section = (title: string, lines: string[]): void => {
    if (lines.length > 0) out.push(title, ...lines);
  };

  const b = resume.basics ?? {};
  const location = b.location ?? {};
  out.push(
    ...entry(
      b.name,
      b.label,
      joined([b.email, b.phone, b.url], ' | '),
      joined(
        [
          location.address,
          location.postalCode,
          location.city,
          location.region,
          location.countryCode,
        ],
        ', ',
      ),
      (b.profiles ?? []).map((p) =>
        joined([joined([p.network, p.username], ': '), p.url && `(${p.url})`], ' '),
      ),
    ),
  );
  if (b.summary) section('Summary', entry(b.summary));

  section(
    'Work experience',
    (resume.work ?? []).flatMap((w) =>
      entry(
        joined([w.position, joined([w.name, w.location && `(${w.location})`], ' ')], ' at '),
        period(w.startDate, w.endDate),
        joined([w.description, w.url], ' — '),
        w.summary,
        bullets(w.highlights),
      ),
    ),
  );
  section(
    'Volunteering',
    (resume.volunteer ?? []).flatMap((v) =>
      entry(
        joined([v.position, v.organization], ' at '),
        period(v.startDate, v.endDate),
        v.url,
        v.summary,
        bullets(v.highlights),
      ),
    ),
  );
  section(
    'Education',
    (resume.education ?? []).flatMap((e) =>
      entry(
        joined([joined([e.studyType, e.area], ' in '), e.institution], ', '),
        period(e.startDate, e.endDate),
        e.score && `Score: ${e.score}`,
        e.courses?.length ? `Courses: ${e.courses.join('; ')}` : undefined,
      ),
    ),
  );
  section(
    'Skills',
    entry(
      (resume.skills ?? []).map((s) =>
        joined(
          [joined([s.name, s.level && `(${s.level})`], ' '), (s.keywords ?? []).join(', ')],
          ': ',
        ),
      ),
    ),
  );
  section(
    'Projects',
    (resume.projects ?? []).flatMap((p) =>
      entry(
        joined([p.name, p.entity && `(${p.entity})`], ' '),
        period(p.startDate, p.endDate),
        joined([p.description, p.url], ' — '),
        bullets(p.highlights),
        p.keywords?.length ? `Keywords: ${p.keywords.join(', ')}` : undefined,
        p.roles?.length ? `Roles: ${p.roles.join(', ')}` : undefined,
      ),
    ),
  );
  section(
    'Certificates',
    (resume.certificates ?? []).flatMap((c) =>
      entry(
        joined([c.name, joined([c.issuer, c.date && formatResumeDate(c.date)], ', ')], ' — '),
        c.url,
      ),
    ),
  );
  section(
    'Awards',
    (resume.awards ?? []).flatMap((a) =>
      entry(
        joined([a.title, joined([a.awarder, a.date && formatResumeDate(a.date)], ', ')], ' — '),
        a.summary,
      ),
    ),
  );
  section(
    'Publications',
    (resume.publications ?? []).flatMap((p) =>
      entry(
        joined(
          [p.name, joined([p.publisher, p.releaseDate && formatResumeDate(p.releaseDate)], ', ')],
          ' — ',
        ),
        p.url,
        p.summary,
      ),
    ),
  );
  section(
    'Languages',
    entry(
      (resume.languages ?? []).map((l) => joined([l.language, l.fluency && `(${l.fluency})`], ' ')),
    ),
  );
  section(
    'Interests',
    entry(
      (resume.interests ?? []).map((i) => joined([i.name, (i.keywords ?? []).join(', ')], ': ')),
    ),
  );
  section(
    'References',
    (resume.references ?? []).flatMap((r) => entry(joined([r.name, r.reference], ': '))),
  );
  return out.join('\n').trim();
}
