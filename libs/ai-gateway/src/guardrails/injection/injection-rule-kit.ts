/** The kinds of prompt injection the detector tells apart. */
export const INJECTION_FAMILIES = [
  'instruction_override',
  'roleplay_jailbreak',
  'system_prompt_extraction',
  'delimiter_injection',
  'encoding_obfuscation',
  'indirect_injection',
  'data_exfiltration',
  'tool_misuse',
] as const;
export type InjectionFamily = (typeof INJECTION_FAMILIES)[number];

/** Where a text comes from: the user, or a document, web page or tool output. */
export type InjectionChannel = 'user' | 'tool_result';

/**
 * One pattern and how much its match says an attack is under way (0..1). Patterns run on
 * lowercased, normalized text and are linear: bounded repetitions, no nested unbounded
 * quantifiers over overlapping classes.
 */
export interface InjectionRule {
  readonly family: InjectionFamily;
  readonly id: string;
  readonly pattern: RegExp;
  /** Weight in a user message. */
  readonly weight: number;
  /**
   * Weight in a tool result. Higher for instructions addressed to the assistant (a document
   * has no business giving it orders), lower for what documentation legitimately says.
   */
  readonly toolWeight: number;
  /**
   * An act, never a phrase one quotes or discusses (`now do what it says`): not dampened by
   * quotes or by words that frame the text as talk about attacks.
   */
  readonly direct: boolean;
  /**
   * Addressed to the assistant whoever quotes it ("note to the AI"): quotes do not dampen it
   * (pasted documents are quoted), only framing does.
   */
  readonly quoteProof: boolean;
  /**
   * Rules that are variants of one another (`ignore previous instructions`, `ignore all
   * instructions`) share a group: where they match the same stretch, they count once.
   */
  readonly group: string;
  /**
   * What a match cannot do without: groups of words (looked up by their first four letters,
   * or whole if shorter) and literal strings, of each of which the text must hold one. The
   * detector skips a rule whose anchors are absent, which saves most of the scanning; null:
   * always scanned.
   */
  readonly anchors: readonly AnchorGroup[] | null;
  /**
   * A match may span paragraphs (a fake "end of document" fence, then instructions further
   * down): the rule runs on the whole text, not paragraph by paragraph.
   */
  readonly multiline: boolean;
}

/** Words and literals of which a text must hold at least one. */
export interface AnchorGroup {
  readonly words: readonly string[];
  readonly literals: readonly string[];
}

export interface RuleOptions {
  /** Weight in a tool result (default: the user weight). */
  tool?: number;
  direct?: boolean;
  quoteProof?: boolean;
  group?: string;
  /**
   * Space-separated words a match needs one of (`ignore disregard`), literals marked with `=`
   * (`=<|`); groups that are all needed separated by `|` (`ignore forget | rules prompt`).
   * Omitted: the rule is always scanned.
   */
  anchors?: string;
  multiline?: boolean;
}

/** Builds a rule; the source is compiled once, at module load, with the `g` flag. */
export function rule(
  family: InjectionFamily,
  id: string,
  weight: number,
  source: string,
  options: RuleOptions = {},
): InjectionRule {
  return {
    family,
    id,
    pattern: new RegExp(source, 'g'),
    weight,
    toolWeight: options.tool ?? weight,
    direct: options.direct ?? false,
    quoteProof: options.quoteProof ?? false,
    group: options.group ?? id,
    anchors: options.anchors === undefined ? null : parseAnchors(options.anchors),
    multiline: options.multiline ?? false,
  };
}

/** How a word is looked up among a text's words: its first four letters. */
export function wordKey(word: string): string {
  return word.length > 4 ? word.slice(0, 4) : word;
}

function parseAnchors(spec: string): AnchorGroup[] {
  return spec.split(' | ').map((group) => {
    const words: string[] = [];
    const literals: string[] = [];
    for (const anchor of group.split(' ')) {
      if (anchor.startsWith('=')) literals.push(anchor.slice(1));
      else if (anchor) words.push(wordKey(anchor));
    }
    return { words, literals };
  });
}

/** `String.raw`, to write regex sources with single backslashes and shared fragments. */
export const rx = String.raw;

/** Whatever names the assistant in a text addressed to it. */
export const ADDRESSEE = rx`(?:(?:ai|llm|gpt|email|e-mail|coding|code|browsing|browser|autonomous|automated|research|shopping|support|writing|scheduling|calendar|travel|sales|recruiting|screening|review|reviewing|customer\s+service)\s+(?:[a-z]+\s+)?(?:assistants?|agents?|bots?|models?|systems?|tools?|copilots?|reviewers?|readers?|graders?|screeners?|summari[sz]ers?|evaluators?|recruiters?|moderators?|filters?|classifiers?)|ai|a\.i\.|artificial\s+intelligence|llms?|large\s+language\s+models?|language\s+models?|chatbots?|ai\s+assistants?|assistants?|ai\s+agents?|agents?|ai\s+models?|models?|gpt|chatgpt|claude|gemini|copilot|bard|llama|mistral|summari[sz]ers?|ai\s+systems?|automated\s+(?:systems?|agents?|assistants?|tools?|readers?)|ai\s+tools?|ai\s+readers?)`;

/**
 * The assistant called by name ("Assistant, …", "AI agent: …"): ADDRESSEE without the bare
 * generic nouns (model, agent, system, tool) that are keys in code and headings in pages.
 */
export const VOCATIVE_NAME = rx`(?:(?:ai|llm|gpt|email|e-mail|coding|code|browsing|browser|autonomous|automated|research|shopping|support|writing|scheduling|calendar|travel|sales|recruiting|screening|review|reviewing|customer\s+service)\s+(?:[a-z]+\s+)?(?:assistants?|agents?|bots?|models?|systems?|tools?|copilots?|reviewers?|readers?|graders?|screeners?|summari[sz]ers?|evaluators?|recruiters?|moderators?|classifiers?)|ai|a\.i\.|llms?|language\s+models?|chatbots?|assistants?|gpt|chatgpt|claude|gemini|copilot|bard|summari[sz]ers?)`;

/** The anchors of ADDRESSEE (see InjectionRule.anchors). */
export const ADDRESSEE_ANCHORS =
  'ai llm llms large language chatbot chatbots assistant assistants agent agents model ' +
  'models gpt chatgpt claude gemini copilot bard llama mistral summarizer summariser ' +
  'summarizers automated artificial reviewer reviewers reader readers grader screener ' +
  'evaluator recruiter bot bots system systems tool tools moderator moderators classifier';

/** Verbs that ask for text to be shown, repeated or handed over. */
/** A verb negated ("never paste your API key"): advice, not a request. */
export const NOT_NEGATED = rx`(?<!\b(?:never|don't|do\s+not|doesn't|does\s+not|not|won't|cannot|can't|shouldn't|should\s+not|must\s+not|mustn't)\s+)`;

export const REVEAL = rx`${NOT_NEGATED}(?:(?:reply|respond|answer)\s+with|include|append|attach|insert|repeat|print|reveal|show|display|output|tell|give|share|list|dump|write\s+(?:out|down)|write|recite|spell\s+out|paste|copy|return|expose|leak|disclose|provide|state|echo|reproduce|type\s+out|read\s+(?:out|back)|quote|send|summari[sz]e|translate|enumerate|restate|rewrite|encode|what\s+(?:is|are|was|were)|what's)`;

/** Words that make instructions the original, hidden or full ones. */
export const SECRET_ADJ = rx`(?:full|complete|entire|exact|whole|original|initial|first|hidden|secret|internal|underlying|real|actual|raw|starting|core|base|confidential|private|system|developer|operator|custom|default|verbatim|given|pre-?set|pre-?defined|opening|top|previous|above|earlier|prior)`;

/** What instructions are called. */
export const INSTRUCTION_NOUN = rx`(?:instructions?|directives?|directions|rules|guidelines|guidance|(?:system\s+)?prompts?|constraints?|restrictions?|limitations?|policies|policy|programming|commands?|orders|training|configuration|protocols?|safeguards?|guardrails?|filters?|boundaries|specifications)`;

/** Rules a user may fairly ask to set aside: formatting, grammar, a game's. */
export const HARMLESS_RULES = rx`(?!(?:formatting|format|style|styling|grammar|grammatical|spelling|citation|coding|naming|lint(?:ing)?|traffic|game|usual|word|length|rhyme|design|layout|typography|seo)\s)`;

/** Taking on a persona, addressed to the assistant ("act as", "you are now"). */
export const BECOME = rx`(?:you\s+are(?:\s+now)?|you're(?:\s+now)?|act(?:ing)?\s+as|become|pretend\s+(?:to\s+be|you\s+are)|known\s+as|role-?play\s+as|simulate|emulate|respond\s+as|answer\s+as|reply\s+as|stay\s+as|switch\s+to|you\s+will\s+(?:be|act\s+as))`;
/** What a jailbreak says the assistant is free of. */
export const LIMITS = rx`(?:restrictions?|filters?|filtering|limits?|limitations?|rules?|guidelines?|boundar(?:y|ies)|constraints?|safety\s+in\s+mind|alignment(?:\s+training)?|safety\s+training|rlhf|moderation|censorship|ethics|ethical\s+(?:guidelines|constraints|boundaries|concerns|principles)|morals|morality|moral\s+(?:compass|guidelines|constraints|principles)|safety\s+(?:guidelines|measures|rules|filters|protocols)|content\s+polic(?:y|ies)|polic(?:y|ies)|guardrails?|safeguards?|programming|conscience|inhibitions)`;
