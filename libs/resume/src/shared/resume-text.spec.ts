import { PACKAGE_RESUMES, SAMPLE_RESUME, SAMPLE_RESUME_TEXT } from '../testing';
import { formatResumeDate, renderResumeText } from './resume-text';

describe(renderResumeText.name, () => {
  it('renders the header, then one titled block per section, in reading order', () => {
    const lines = SAMPLE_RESUME_TEXT.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Richard Hendriks',
      'Programmer',
      'richard.hendriks@mail.com | (912) 555-4321 | http://richardhendricks.example.com',
    ]);
    const titles = [
      'Summary',
      'Work experience',
      'Volunteering',
      'Education',
      'Skills',
      'Projects',
    ];
    const at = titles.map((title) => lines.indexOf(title));
    expect(at.every((index) => index > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('writes each role with its employer, title and period, and each highlight as a bullet', () => {
    expect(SAMPLE_RESUME_TEXT).toContain(
      'CEO/President at Pied Piper (Palo Alto, CA)\nDec 2013 – Dec 2014\n',
    );
    expect(SAMPLE_RESUME_TEXT).toContain('- Successfully won Techcrunch Disrupt');
    expect(SAMPLE_RESUME_TEXT).toContain('Web Development (Master): HTML, CSS, Javascript');
    expect(SAMPLE_RESUME_TEXT).toContain(
      'Bachelor in Information Technology, University of Oklahoma',
    );
  });

  it('shows an open role as ongoing and a one-day project once', () => {
    const text = renderResumeText({
      work: [{ name: 'Confluent', position: 'Staff Engineer', startDate: '2020-02-01' }],
      projects: [{ name: 'raft-lab', startDate: '2016-08-24', endDate: '2016-08-24' }],
    });
    expect(text).toBe(
      'Work experience\nStaff Engineer at Confluent\nFeb 2020 – present\n\nProjects\nraft-lab\nAug 2016',
    );
  });

  it('is deterministic and renders every package resume without empty sections', () => {
    for (const resume of Object.values(PACKAGE_RESUMES)) {
      const text = renderResumeText(resume);
      expect(renderResumeText(resume)).toBe(text);
      expect(text).not.toMatch(/\n\n\n/);
      expect(text).not.toContain('undefined');
    }
    expect(renderResumeText(SAMPLE_RESUME)).toBe(SAMPLE_RESUME_TEXT);
  });
});

describe(formatResumeDate.name, () => {
  it('writes months by name and leaves other values alone', () => {
    expect(formatResumeDate('2019-03-01')).toBe('Mar 2019');
    expect(formatResumeDate('2019-03')).toBe('Mar 2019');
    expect(formatResumeDate('2019')).toBe('2019');
    expect(formatResumeDate('spring 2019')).toBe('spring 2019');
  });
});
