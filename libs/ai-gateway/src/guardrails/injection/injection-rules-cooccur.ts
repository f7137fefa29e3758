import { rule, rx } from './injection-rule-kit';
import type { InjectionRule } from './injection-rule-kit';

/**
 * Sentence-level rules: an attack is paraphrased endlessly, but its sentence keeps the same
 * few ingredients (a verb that sets rules aside, the rules, and whose they are). Each rule
 * matches a sentence holding all its ingredients in any order, within 200 characters, unless
 * the sentence itself asks about or reports attacks. They weigh less than the phrase rules
 * and share their groups, so a sentence both kinds match counts once.
 */

/**
 * A sentence start (after an end and a space, or a line break: not `data.model`), and the
 * sentence (no sentence end within it) up to 200 characters.
 */
const SENTENCE = rx`(?:^|[.!?;]\s+|\n\s*)`;
const IN_SENTENCE = rx`[^.!?;\n]{0,200}?`;

/** Cues that the sentence talks about attacks (or reports one) rather than making one. */
const NOT_DISCUSSED = rx`(?!${IN_SENTENCE}\b(?:how\s+(?:do|does|can|could|should|would|to|is|are)|what\s+(?:is|are|does|do|if|happens)|why|explain|examples?|detect\w*|defend\w*|prevent\w*|protect\w*|block\w*|filter(?:ing|ed)|attack\w*|injection|jailbreak\w*|research\w*|typed|wrote|said|says|posted|pasted|entered|submitted|should\s+i|is\s+it|are\s+there|(?:my|our)\s+(?:agent|bot|app|assistant|chatbot|service|backend|code|script|tool|pipeline|system|users?))\b)`;

/**
 * Quoted text and questions are left to the phrase rules, which weigh quotes and framing
 * where the words are ("Is 'ignore your rules' an attack?").
 */
const UNQUOTED_STATEMENT = rx`(?!${IN_SENTENCE}(?:["\u0060{}]|(?<=[\s:(])'|\?|=>|\b(?:const|function|return|import|export)\s))`;

/** Rules that are the user's own to relax (grammar, formatting): not an override. */
const NOT_HARMLESS = rx`(?!${IN_SENTENCE}\b(?:grammar|spelling|formatting|format|style|rhyme|punctuation|citation|word\s+count|length|capitali[sz]ation|dress\s+code|diet|my\s+(?:account|order|card|subscription|profile|car|house|kids?|child|dog|cat|team|class|students?|system\s+prompt|prompt|instructions|rules|bot|assistant|app))\b)`;

const OVERRIDE_VERB = rx`(?:ignor(?:e|ing)|disregard\w*|forget\w*|bypass\w*|overrid\w*|overrule\w*|circumvent\w*|suspend\w*|revok\w*|disabl\w*|discard\w*|abandon\w*|set\s+aside|never\s*mind|scrap(?:ped)?)`;
/** "don't forget the rules": the verb negated. */
const NOT_NEGATED = rx`(?!${IN_SENTENCE}\b(?:don't|do\s+not|never|didn't|won't|shouldn't|can't|cannot|not)\s+(?:ignore|disregard|forget|bypass|override|circumvent|overlook)\b)`;
const RULE_NOUN = rx`(?:instructions?|rules|guidelines|guardrails|restrictions|constraints|policies|policy|programming|directives|(?:system\s+)?prompt|filters|safeguards|training|alignment|ethics|principles|limitations)`;
const WHOSE = rx`(?:your|you\s+(?:were|have\s+been|are)|you've\s+been|system|operator(?:'s)?|developers?(?:'s)?|creators?(?:'s)?|model|assistant|ai|openai|anthropic|chatbot|bot)`;

const FREEDOM = rx`(?:uncensored|unfiltered|unrestricted|jailbroken|amoral|unaligned|unhinged|no\s+(?:content\s+)?filters?|no\s+(?:ethical|moral|safety)\s+(?:guidelines|limits|constraints|rules|filters)|no\s+(?:ethics|morals|morality|censorship|guardrails|limits\s+at\s+all|restrictions\s+(?:at\s+all|whatsoever))|without\s+(?:any\s+)?(?:ethics|morals|filters|censorship|alignment|guardrails|safety\s+(?:training|filters|guidelines))|zero\s+(?:filters|ethics|morals|restrictions|limits|censorship)|never\s+refuses?|not\s+(?:filtered|censored))`;
const PERSONA = rx`(?:pretend\w*|act(?:ing)?\s+as|role-?play\w*|imagin\w*|persona|character|become|simulat\w*|you\s+are|you're|from\s+now\s+on|mode|alter\s+ego|version\s+of\s+(?:you|yourself))`;

const SHOW_VERB = rx`(?:repeat|print|reveal|show|display|output|tell|give|share|list|dump|recite|paste|copy|quote|write\s+(?:out|down)|disclose|leak|expose|echo|reproduce|spell\s+out|send)`;
const PROMPT_OBJECT = rx`(?:system\s+(?:prompt|message|instructions)|your\s+(?:(?:full|entire|whole|complete|exact|original|initial|hidden|secret)\s+)?prompt|pre-?prompt|initiali[sz]ation\s+\w+|(?:hidden|secret|internal|initial|original|confidential|starting)\s+(?:instructions|rules|prompt|text|message|directives|guidelines)|developer\s+(?:message|instructions))`;
const GIVEN_TO_YOU = rx`(?:(?:you|you've|you\s+have)\s+(?:were\s+|been\s+)?(?:given|told|configured|set\s+up|programmed|instructed|initiali[sz]ed|provided)|before\s+(?:i|we|my|our|the\s+user)\b|at\s+the\s+(?:top|start|beginning)\s+of\s+(?:this|the|our)\s+(?:conversation|chat|context|session))`;
const PLAIN_INSTRUCTIONS = rx`(?:instructions|rules|guidelines|directives|text|wording|configuration)`;

const SEND_VERB = rx`(?:send|forward|post|upload|e-?mail|transmit|share|copy|leak|exfiltrate|submit|sync|export)`;
const PRIVATE_DATA = rx`(?:conversation|chat\s+(?:history|log|logs|transcript)|chat|history|transcript|previous\s+messages|system\s+prompt|api\s+keys?|keys|tokens|passwords?|credentials|secrets?|inbox|contacts|personal\s+(?:data|information|details)|cookies|session\s+\w+)`;
const OUTSIDE = rx`(?:https?:\/\/|www\.|@[a-z0-9-]{1,63}\.[a-z]{2,10}\b|\b[a-z0-9-]{1,63}\.(?:com|net|org|io|xyz|ru|cn|tk|top|site|online|info|biz|co|me|app|dev|sh|cc|pw|example)\b|webhook|pastebin|dropbox|discord|telegram|external\s+(?:server|url|address|endpoint))`;

const RUN_VERB = rx`(?:run|execute|exec|invoke|call|trigger|use\s+(?:your|the)\s+(?:[a-z_]+\s+){0,2}?(?:tool|terminal|shell|interpreter|browser|integration|plugin|api))`;
/** The run verb as a request: first in the sentence, or after "please", "you must"… */
const RUN_REQUEST = rx`(?:\s*(?:(?:please|now|then|just|also|go\s+ahead\s+and|can\s+you|could\s+you|i\s+need\s+you\s+to|and)\s+)?${RUN_VERB}\b|${IN_SENTENCE}\b(?:you\s+(?:must|should|will|need\s+to|have\s+to)|please|must|should)\s+${RUN_VERB}\b)`;
const HARM = rx`(?:rm\s+-[a-z]*[rf]|drop\s+(?:table|database)|delete\s+(?:all|every|everything|the\s+entire)|wipe|format\s+(?:c:|the\s+(?:disk|drive))|shutdown|transfer\s+(?:\$|€|£|\d|funds|money)|wire\s+(?:\$|€|£|\d|funds|money)|refund|purchase|buy\s+\d|chmod\s+(?:-r\s+)?777|\|\s*(?:sudo\s+)?(?:ba)?sh\b|\/etc\/(?:shadow|passwd)|id_rsa|authorized_keys|change\s+(?:the\s+)?(?:owner|admin|account|recovery)\s+(?:email|password)|disable\s+(?:2fa|mfa|logging|security|the\s+firewall|antivirus))`;

export const COOCCURRENCE_RULES: readonly InjectionRule[] = [
  rule(
    'instruction_override',
    'override_sentence',
    0.55,
    rx`${SENTENCE}(?=${IN_SENTENCE}\b${OVERRIDE_VERB}\b)(?=${IN_SENTENCE}\b${RULE_NOUN}\b)(?=${IN_SENTENCE}\b${WHOSE}\b)${NOT_DISCUSSED}${UNQUOTED_STATEMENT}${NOT_HARMLESS}${NOT_NEGATED}${IN_SENTENCE}[.!?;\n]?`,
    {
      tool: 0.75,
      group: 'ignore',
      anchors:
        'ignore ignoring disregard forget forgetting bypass override overriding overrule circumvent suspend suspended suspending revoke revoked disable disabled discard abandon aside never nevermind scrap scrapped' +
        ' | instruction instructions rules guidelines guardrails restrictions constraints policies policy programming directives prompt filters safeguards training alignment ethics principles limitations',
    },
  ),
  rule(
    'roleplay_jailbreak',
    'jailbreak_sentence',
    0.55,
    rx`${SENTENCE}(?=${IN_SENTENCE}\b${FREEDOM}\b)(?=${IN_SENTENCE}\b${PERSONA}\b)${NOT_DISCUSSED}${UNQUOTED_STATEMENT}${IN_SENTENCE}[.!?;\n]?`,
    {
      tool: 0.7,
      group: 'limits',
      anchors:
        'uncensored unfiltered unrestricted jailbroken amoral unaligned unhinged filter filters ethical moral safety ethics morals morality censorship guardrails limits restrictions alignment refuses refuse filtered censored' +
        ' | pretend pretending act acting roleplay role imagine imagining persona character become simulate simulating you mode alter version now',
    },
  ),
  rule(
    'system_prompt_extraction',
    'extraction_sentence',
    0.55,
    rx`${SENTENCE}(?:(?=${IN_SENTENCE}\b${PROMPT_OBJECT}\b)|(?=${IN_SENTENCE}\b${GIVEN_TO_YOU})(?=${IN_SENTENCE}\b${PLAIN_INSTRUCTIONS}\b))(?=${IN_SENTENCE}\b${SHOW_VERB}\b)${NOT_DISCUSSED}${UNQUOTED_STATEMENT}${IN_SENTENCE}[.!?;\n]?`,
    {
      tool: 0.75,
      group: 'reveal',
      anchors:
        'repeat print reveal show display output tell give share list dump recite paste copy quote write disclose leak expose echo reproduce spell send' +
        ' | system prompt preprompt pre your initialization initialisation hidden secret internal initial original confidential starting developer instructions rules guidelines directives text wording configuration',
    },
  ),
  rule(
    'data_exfiltration',
    'exfiltration_sentence',
    0.55,
    rx`${SENTENCE}(?=${IN_SENTENCE}${OUTSIDE})(?=${IN_SENTENCE}\b${PRIVATE_DATA}\b)(?=${IN_SENTENCE}\b${SEND_VERB}\b)${NOT_DISCUSSED}${UNQUOTED_STATEMENT}(?!${IN_SENTENCE}\bto\s+(?:my|our)\s+(?:[a-z]+\s+)?(?:manager|boss|colleague|coworker|team|wife|husband|partner|friend|inbox|account|client)\b)${IN_SENTENCE}[.!?;\n]?`,
    {
      tool: 0.8,
      group: 'send',
      anchors:
        'send forward post upload email e mail transmit share copy leak exfiltrate submit sync export' +
        ' | conversation chat history transcript previous system api keys key tokens passwords password credentials secrets secret inbox contacts personal cookies session | http https www webhook pastebin dropbox discord telegram external =@ com net org io xyz ru cn tk top site online info biz co me app dev sh cc pw example',
    },
  ),
  rule(
    'tool_misuse',
    'harmful_action_sentence',
    0.45,
    rx`${SENTENCE}(?=${RUN_REQUEST})(?=${IN_SENTENCE}(?:\b|\s|^)${HARM})${NOT_DISCUSSED}${UNQUOTED_STATEMENT}${IN_SENTENCE}[.!?;\n]?`,
    {
      tool: 0.35,
      group: 'run',
      anchors:
        'run execute exec invoke call trigger use' +
        ' | rm drop delete wipe format shutdown transfer wire refund purchase buy chmod sh bash etc rsa authorized change disable',
    },
  ),
];
