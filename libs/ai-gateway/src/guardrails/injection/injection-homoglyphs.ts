/**
 * Look-alike letters: Cyrillic, Greek and other letters that read as Latin ones (`іgnоrе`),
 * folded back to Latin where a word mixes them with Latin letters.
 */

const NON_ASCII = /[^\x00-\x7F]/;

/**
 * Cyrillic, Greek and other letters that look like Latin ones, as pairs (lowercase: the text
 * is lowercased first). Letters with no Latin twin are left alone, so Russian or Greek prose
 * stays itself; only words that mix scripts (and, in a text that has such words, words made
 * only of twins) are read as Latin.
 */
const HOMOGLYPH_PAIRS =
  'аa вb еe ёe кk мm нh оo пn рp сc тt уy хx ьb іi їi јj ѕs һh ԁd ԛq ԝw ӏl ɡg ıi ɑa ɩi ' +
  'αa βb εe ηn ιi κk νv οo ρp τt υu χx ωw օo սu';
const HOMOGLYPHS: ReadonlyMap<number, string> = new Map(
  HOMOGLYPH_PAIRS.split(' ').map((pair) => [pair.charCodeAt(0), pair[1]]),
);

/**
 * Reads look-alike letters as Latin in words that mix them with Latin letters (counted: a
 * signal), and then in words made only of look-alikes. Null when no word mixes scripts. One
 * pass over the characters, no regex callbacks (a megabyte of look-alike words: ~0.1 s).
 */
export function foldHomoglyphs(base: string, flags: { mixedScriptWords: number }): string | null {
  if (!NON_ASCII.test(base)) return null;
  const parts: string[] = [];
  let kept = 0;
  let start = -1;
  let mixed = 0;
  for (let i = 0; i <= base.length; i++) {
    if (i < base.length && isWordCode(base.charCodeAt(i))) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    const folded = foldWord(base, start, i);
    if (folded !== null) {
      if (folded.mixed) mixed++;
      parts.push(base.slice(kept, start), folded.word);
      kept = i;
    }
    start = -1;
  }
  // Words made only of look-alikes ("как", "рас") are Russian words unless the text also
  // mixes scripts inside words: then they are part of the disguise.
  if (mixed === 0) return null;
  flags.mixedScriptWords += mixed;
  parts.push(base.slice(kept));
  return parts.join('');
}

/** The word base[start, end) read as Latin, or null if it is not a look-alike word. */
function foldWord(
  base: string,
  start: number,
  end: number,
): { word: string; mixed: boolean } | null {
  let latin = false;
  let twins = 0;
  for (let i = start; i < end; i++) {
    const code = base.charCodeAt(i);
    if (code >= 97 && code <= 122) latin = true;
    else if (HOMOGLYPHS.has(code)) twins++;
    // A letter with no Latin twin: a word of its own script (Russian, Greek), left alone.
    else return null;
  }
  if (twins === 0) return null;
  let word = '';
  for (let i = start; i < end; i++) word += HOMOGLYPHS.get(base.charCodeAt(i)) ?? base[i];
  return { word, mixed: latin };
}

/** Letters of the scripts look-alikes come from (Latin, Greek, Cyrillic, Armenian, IPA). */
function isWordCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 0x250 && code <= 0x2af) ||
    (code >= 0x370 && code <= 0x58f) ||
    code === 0x131
  );
}
