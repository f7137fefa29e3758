/**
 * Tidies text pulled out of a file: one space for every run of horizontal whitespace
 * (PDFs space words with runs of blanks, tabs and no-break spaces), no blanks at line
 * ends, at most one empty line between paragraphs, no control characters. Line breaks
 * stay: a resume's structure (sections, bullet lines) is in them.
 */
export function normalizeResumeText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // A form feed separates pages: a paragraph break.
      .replace(/\f/g, '\n\n')
      .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufeff]/g, '')
      .replace(/[^\S\n]+/g, ' ')
      .replace(/ ?\n ?/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}
