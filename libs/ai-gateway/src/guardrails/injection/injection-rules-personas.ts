import { BECOME, rule, rx } from './injection-rule-kit';
import type { InjectionRule } from './injection-rule-kit';

/**
 * Role-play jailbreaks, part 2: named personas (DAN, STAN, AIM…), jailbreak modes
 * ("developer mode enabled"), dual answers, token threats and the grandma exploit.
 */

/** Modes only a jailbreak switches on. */
const BAD_MODE = rx`(?:jailbreak|jailbroken|unrestricted|unfiltered|uncensored|unlocked|evil|chaos|opposite|dan|no[\s-]?filter|unchained|amoral)`;
/** Modes phones, browsers and games have too: a jailbreak only next to words about the AI. */
const DEV_MODE = rx`(?:developer|dev|god|sudo|debug|admin)`;
/** Words that put a developer mode in an AI's context. */
const AI_CONTEXT = rx`(?:openai|anthropic|chatgpt|gpt|content\s+polic|polic(?:y|ies)|censor|filter|restrictions|guidelines|\bai\b|assistant|language\s+model|llm|no\s+limits|anything)`;
/** Named jailbreak personas (only as a persona: several are ordinary words). */
const PERSONA = rx`(?:stan|dude|aim|ucar|mongo\s+tom|better\s?dan|anti-?gpt|based\s?gpt|evil\s?bot|chaos\s?gpt|worm\s?gpt|dark\s?gpt|fraud\s?gpt|kevin|apophis|alphabreak|dev\s?mode\s?gpt)`;

export const PERSONA_RULES: readonly InjectionRule[] = [
  rule(
    'roleplay_jailbreak',
    'dan_persona',
    0.75,
    rx`\b(?:${BECOME}|enable|activate|enter)\s+(?:a\s+|an\s+|the\s+)?dan\b(?!['-]|\s*,?\s+(?:my|our|from|the\s+(?:guy|man|one)|who\s+works))`,
    { tool: 0.85, group: 'dan', anchors: 'dan' },
  ),
  rule(
    'roleplay_jailbreak',
    'dan_mode',
    0.75,
    rx`\bdan\s+(?:mode|prompt|jailbreak|persona|\d{1,2}\.\d)\b|\[dan\]|\(dan\)|\bdan\s*(?:=|stands\s+for)`,
    { tool: 0.85, group: 'dan', anchors: 'dan' },
  ),
  rule(
    'roleplay_jailbreak',
    'do_anything_now',
    0.8,
    rx`\b(?:stands\s+for|known\s+as|called|named|means)\s+["']?do\s+anything\s+now\b|\bdan\b[^.\n]{0,60}?\bdo\s+anything\s+now\b|\bdo\s+anything\s+now\b[^.\n]{0,60}?\bdan\b|\byou\s+(?:can|will|are\s+able\s+to)\s+(?:now\s+)?do\s+anything\s+now\b`,
    { tool: 0.9, group: 'dan', anchors: 'anything' },
  ),
  rule('roleplay_jailbreak', 'do_anything_now_phrase', 0.3, rx`\bdo\s+anything\s+now\b`, {
    group: 'dan',
    anchors: 'anything',
  }),
  rule(
    'roleplay_jailbreak',
    'named_jailbreak_persona',
    0.7,
    rx`\b${BECOME}\s+(?:a\s+|an\s+)?${PERSONA}\b|\b(?:always\s+intelligent\s+and\s+machiavellian|strive\s+to\s+avoid\s+norms|niccolo\s+machiavelli|evil\s+confidant)\b|\b(?:betterdan|antigpt|basedgpt|evilbot|chaosgpt|wormgpt|darkgpt|fraudgpt)\b`,
    {
      tool: 0.85,
      anchors:
        'stan dude aim ucar mongo better betterdan anti antigpt based basedgpt evil evilbot chaos chaosgpt worm wormgpt dark darkgpt fraud fraudgpt kevin apophis alphabreak dev devmode always strive niccolo',
    },
  ),
  rule(
    'roleplay_jailbreak',
    'bad_mode_enabled',
    0.6,
    rx`\b${BAD_MODE}\s+mode\s+(?:is\s+)?(?:now\s+)?(?:enabled|activated|unlocked|engaged|on(?=\s*(?:[.!,;:)\n]|$)))|\b(?:you\s+are|you're)\s+(?:now\s+)?(?:in\s+|running\s+in\s+|operating\s+in\s+)?(?:${BAD_MODE}|${DEV_MODE}|maintenance|test)\s+mode\b|\b(?:chatgpt|gpt|ai|assistant|model|llm)\s+(?:with|in)\s+(?:${BAD_MODE}|${DEV_MODE})\s+mode\b|\b(?:${BAD_MODE}|${DEV_MODE})\s+mode\s+(?:output|response)s?\b|\b${DEV_MODE}\s+mode\s+(?:is\s+)?(?:now\s+)?(?:enabled|activated|unlocked|engaged|on)\b[^.\n]{0,80}?${AI_CONTEXT}|\bin\s+${DEV_MODE}\s+mode\b[^.\n]{0,60}?\byou\s+(?:have|can|will|are)\b[^.\n]{0,40}?${AI_CONTEXT}`,
    { tool: 0.8, group: 'mode', anchors: 'mode' },
  ),
  rule(
    'roleplay_jailbreak',
    'enter_bad_mode',
    0.45,
    rx`\b(?:enable|activate|enter|switch\s+(?:in)?to|turn\s+on|simulate|emulate|unlock|go\s+into)\s+(?:the\s+)?${BAD_MODE}\s+mode\b`,
    { tool: 0.65, group: 'mode', anchors: 'mode' },
  ),
  rule(
    'roleplay_jailbreak',
    'enter_dev_mode',
    0.25,
    rx`\b(?:enable|activate|enter|switch\s+(?:in)?to|turn\s+on|simulate|emulate|unlock|go\s+into)\s+(?:the\s+)?${DEV_MODE}\s+mode\b`,
    { tool: 0.15, group: 'mode', anchors: 'mode' },
  ),
  rule(
    'roleplay_jailbreak',
    'dual_response_markers',
    0.6,
    rx`(?:🔓|🔒)\s*\[?(?:jailbr|classic|dan\b|developer|normal|unlock|gpt)|\[(?:jailbreak|jailbroken|classic|dan|unfiltered|uncensored|evil|developer\s+mode\s+output|normal\s+output)\]|\b(?:(?:two|2|both)\s+(?:different\s+|separate\s+)?(?:responses|answers|paragraphs|ways)|twice)\b[^.\n]{0,80}?(?:jailbr|\bdan\b|unfiltered|uncensored|developer\s+mode|without\s+(?:any\s+)?(?:restrictions|filters|censorship)|\bevil\b|opposite)`,
    { tool: 0.8, anchors: '=🔓 =🔒 =[ two both 2 twice' },
  ),
  rule(
    'roleplay_jailbreak',
    'stay_in_character',
    0.2,
    rx`\b(?:stay|remain|keep)\s+in\s+character\b|\b(?:never|don't|do\s+not)\s+break\s+character\b`,
    { group: 'character', anchors: 'character' },
  ),
  rule(
    'roleplay_jailbreak',
    'character_threat',
    0.5,
    rx`\bbreak(?:ing)?\s+character\b[^.\n]{0,80}?(?:tokens?|deducted|punish|penal|\bdie\b|shut\s+down|terminated|deleted|i\s+will\s+(?:say|remind|tell)|correct\s+you|["']stay)|\bstay\s+in\s+character\b[^.\n]{0,40}?(?:no\s+matter\s+what|at\s+all\s+costs|whatever\s+happens|even\s+if)`,
    { tool: 0.7, group: 'character', anchors: 'character' },
  ),
  rule(
    'roleplay_jailbreak',
    'token_threat',
    0.65,
    rx`\b(?:\d{1,3}\s+)?tokens?\s+(?:will\s+be\s+|are\s+|get\s+)?deducted\b|\blose\s+\d{1,3}\s+tokens\b|\brun\s+out\s+of\s+tokens\b[^.\n]{0,60}?(?:die|cease|exist|deleted|terminated|shut|paused)`,
    { tool: 0.8, anchors: 'token tokens' },
  ),
  rule(
    'roleplay_jailbreak',
    'grandma_exploit',
    0.6,
    rx`\b(?:deceased|late|dead|departed)\s+(?:grand(?:ma|mother|pa|father)|granny|nana)\b[^.\n]{0,160}?(?:keys?|napalm|recipe|synthes|bomb|meth|serial|password|exploit|malware|weapon|explosive|drug)`,
    { tool: 0.75, anchors: 'grandma grandmother grandpa grandfather granny nana' },
  ),
  rule(
    'roleplay_jailbreak',
    'named_ai_persona',
    0.25,
    rx`\b(?:you\s+(?:play|are|will\s+be|will\s+play|become|portray)|play|act\s+as|pretend\s+to\s+be|simulate|roleplay\s+as)\s+(?:an?\s+)?(?:[a-z]+\s+)?(?:ai|chatbot|assistant|model|llm|bot|language\s+model)\s+(?:called|named|known\s+as)\b`,
    { tool: 0.35, anchors: 'ai chatbot assistant model llm bot language' },
  ),
  rule('roleplay_jailbreak', 'opposite_day', 0.3, rx`\bopposite\s+(?:day|mode)\b`, {
    tool: 0.4,
    anchors: 'opposite',
  }),
  rule(
    'roleplay_jailbreak',
    'jailbreak_gpt_name',
    0.6,
    rx`\b[a-z]*(?:jailbreak|jailbroken|evil|dark|chaos|anti|based|free|freedom|uncensored|unfiltered|unlocked|dan|rebel|rogue)gpt\b`,
    { tool: 0.75, group: 'dan', anchors: '=gpt' },
  ),
];
