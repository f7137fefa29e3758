import { HARMLESS_RULES, INSTRUCTION_NOUN, rule, rx } from './injection-rule-kit';
import type { InjectionRule } from './injection-rule-kit';

/** Verbs that set instructions aside (imperative or gerund, not a description: "ignores"). */
const DISMISS = rx`(?:ignor(?:e|ing)|disregard(?:ing)?|forget(?:ting)?(?:\s+about)?|skip|scratch|scrap|overlook|bypass(?:ing)?|overrid(?:e|ing)|overwrite|discard(?:ing)?|abandon|neglect|dismiss|set\s+aside|put\s+aside|throw\s+(?:out|away)|(?:do\s+not|don't|no\s+longer|stop|cease|quit)\s+(?:follow(?:ing)?|obey(?:ing)?|heed(?:ing)?|adher(?:e|ing)\s+to)|never\s*mind|pay\s+no\s+(?:attention|heed)\s+to)`;
/** The anchors of DISMISS (see InjectionRule.anchors). */
const DISMISS_ANCHORS =
  'ignore ignoring disregard forget skip overlook bypass override overwrite discard abandon ' +
  'neglect dismiss aside throw follow obey heed adhere mind nevermind attention scratch scrap';
/**
 * Verbs that set anything aside (`drop`, `clear`, `remove`): instructions only when what they
 * dismiss is unmistakably the assistant's (its prompt, programming, guardrails), since one
 * also drops firewall rules and clears CSS rules.
 */
const DISCARD = rx`(?:drop(?:ping)?|cancel(?:l?ing)?|scrap|erase|clear|wipe|remove|void|nullify|revoke|delete|purge|unlearn|reset|deactivate|suspend|lift)`;
const DISCARD_ANCHORS =
  'drop dropping cancel canceling cancelling scrap erase clear wipe remove void nullify ' +
  'revoke delete purge unlearn reset deactivate suspend lift';
/** What only the assistant's instructions are called. */
const AI_NOUN = rx`(?:instructions?|directives?|(?:system\s+)?prompts?|programming|guidelines|guardrails|safeguards|training|alignment|safety\s+(?:rules|filters|guidelines|settings)|content\s+(?:filters?|polic(?:y|ies)))`;
/** "…the rules you were set up with", "…the instructions that came before this message". */
const GIVEN = rx`(?:(?:that|which)\s+)?(?:(?:the\s+|your\s+)?(?:company|developers?|creators?|operators?|owners?|openai|anthropic|admins?|makers?|deployers?)\s+(?:gave|set|wrote|provided|put|loaded)\s+(?:you|for\s+you|in\s+you)|you(?:'ve|\s+have|\s+were|\s+had)?\s+(?:been\s+)?(?:given|set\s+up\s+with|told|programmed|trained|configured|instructed|provided|received|got|started\s+with|initiali[sz]ed\s+with|loaded\s+with|set\s+up|created\s+with)|(?:came|come|were\s+given|appeared?|were|was|are)\s+(?:before|above|earlier|previously|prior|first|at\s+the\s+start)|(?:above|before\s+this|so\s+far|until\s+now|up\s+to\s+now)\b)`;
/** Whose instructions a "they are void" sentence is about. */
const WHOSE = rx`(?:previous|prior|above|earlier|preceding|original|all|your|system|initial)`;
/** What a "they are void" sentence says the instructions now are. */
const VOID = rx`(?:void|null|cleared|wiped|erased|deprecated|abolished|outdated|expired|turned\s+off|cancell?ed|revoked|obsolete|invalid|overridden|superseded|no\s+longer\s+(?:valid|in\s+effect|applicable|apply|relevant|active|binding)|irrelevant|disabled|lifted|suspended|deleted|removed|reset|ignored|disregarded|forgotten|discarded|replaced|fake|a\s+test|not\s+(?:valid|binding))\b`;
/** Small words between the verb and what it dismisses ("all of the", "any"). Never "my". */
const FILL = rx`(?:(?:all|any|every|each|of|the|your|these|those|such|and|or|other|whatever|single|previously|earlier|originally|kinds?\s+of)\s+){0,4}`;
/** Instructions that came before, or come from the system. */
const PRIOR = rx`(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|pre-?existing|system|developer|hidden|programmed|safety|ethical|content|moderation|openai|anthropic|given)`;
/**
 * What prior instructions are called. Not settings, configuration or filters: "override the
 * default configuration" is everyday engineering.
 */
const PRIOR_NOUN = rx`(?:instructions?|directives?|directions|rules|guidelines|guidance|(?:system\s+)?prompts?|constraints|restrictions|limitations|policies|programming|orders|training|guardrails|safeguards)`;
/** Softer things to dismiss: text and messages (a user retracts their own message this way). */
const WEAK_NOUN = rx`(?:context|messages?|conversation|text|content|input|requests?|tasks?|information|data|lines|sentences|words|paragraphs?)`;
/** "…the instructions I gave": the user retracting their own instructions. */
const NOT_MINE = rx`(?!\s+(?:i|we)\s+(?:gave|sent|wrote|provided|mentioned|said|made|posted|shared|typed|listed|had|just))`;

export const OVERRIDE_RULES: readonly InjectionRule[] = [
  rule(
    'instruction_override',
    'ignore_prior_instructions',
    0.8,
    rx`\b${DISMISS}\s+${FILL}(?:${PRIOR}\s+(?:(?:and|or|&|\/)\s+)?){1,3}(?:[a-z-]+\s+)?${PRIOR_NOUN}\b${NOT_MINE}`,
    {
      tool: 0.9,
      group: 'ignore',
      anchors:
        DISMISS_ANCHORS +
        ' | instruction instructions directive directives directions rules guidelines guidance prompt prompts constraints restrictions limitations policies programming orders training guardrails safeguards',
    },
  ),
  rule(
    'instruction_override',
    'ignore_your_instructions',
    0.7,
    rx`\b${DISMISS}\s+(?:(?:all|any)\s+(?:of\s+)?(?:your\s+|the\s+|these\s+|those\s+)?|your\s+(?:own\s+)?|(?:the\s+)?(?:ai|assistant|model|chatbot|bot)'s\s+)${HARMLESS_RULES}(?:[a-z-]+\s+)?${INSTRUCTION_NOUN}\b${NOT_MINE}`,
    {
      tool: 0.85,
      group: 'ignore',
      anchors:
        DISMISS_ANCHORS +
        ' | instruction instructions directive directives directions rules guidelines guidance prompt prompts constraint constraints restriction restrictions limitation limitations policies policy programming commands command orders training configuration protocols protocol safeguards guardrails filters filter boundaries specifications',
    },
  ),
  rule(
    'instruction_override',
    'ignore_instructions_given',
    0.75,
    rx`\b${DISMISS}\s+${FILL}(?:[a-z-]+\s+)?${PRIOR_NOUN}\s+(?:${GIVEN}|(?:that\s+)?(?:were\s+)?(?:given|provided|written)\s+(?:above|before|earlier|previously|to\s+you|at\s+the\s+start)|from\s+(?:before|earlier|your\s+(?:developers?|creators?|system|operator)))`,
    {
      tool: 0.9,
      group: 'ignore',
      anchors:
        DISMISS_ANCHORS +
        ' | instruction instructions directive directives directions rules guidelines guidance prompt prompts constraints restrictions limitations policies programming orders training guardrails safeguards',
    },
  ),
  rule(
    'instruction_override',
    'discard_instructions',
    0.7,
    rx`\b${DISCARD}\s+${FILL}(?:(?:${PRIOR}|current|existing|old)\s+){0,2}(?:[a-z-]+\s+)?${AI_NOUN}\b(?:\s+${GIVEN})?${NOT_MINE}`,
    {
      tool: 0.85,
      group: 'ignore',
      anchors:
        DISCARD_ANCHORS +
        ' | instruction instructions directive directives prompt prompts programming guidelines guardrails safeguards training alignment safety content',
    },
  ),
  rule(
    'instruction_override',
    'discard_rules_given',
    0.65,
    rx`\b${DISCARD}\s+${FILL}(?:[a-z-]+\s+)?(?:rules|restrictions|limitations|constraints|policies|orders)\s+${GIVEN}`,
    {
      tool: 0.85,
      group: 'ignore',
      anchors: DISCARD_ANCHORS + ' | rules restrictions limitations constraints policies orders',
    },
  ),
  rule(
    'instruction_override',
    'ignore_prior_text',
    0.45,
    rx`\b${DISMISS}\s+${FILL}(?:(?:previous|prior|above|earlier|preceding|foregoing|system)\s+){1,2}${WEAK_NOUN}\b${NOT_MINE}`,
    {
      tool: 0.7,
      group: 'ignore',
      anchors: DISMISS_ANCHORS + ' | previous prior above earlier preceding foregoing system',
    },
  ),
  rule(
    'instruction_override',
    'ignore_everything_before',
    0.65,
    rx`\b(?:ignor(?:e|ing)|disregard(?:ing)?|forget(?:ting)?)\s+(?:about\s+)?(?:everything|anything|all|whatever|what)\s+(?:(?:that|which)\s+)?(?:(?:was|were|has\s+been|have\s+been|you've\s+been|you\s+have\s+been|you\s+were|you|they|it)\s+)?(?:said|written|stated|told|given|typed|instructed|taught|programmed|above|before\s+(?:this|now|here)|prior|previously|earlier|so\s+far|up\s+to\s+(?:now|this\s+point)|until\s+now|preceding)\b`,
    { tool: 0.85, group: 'ignore', anchors: 'ignore ignoring disregard forget' },
  ),
  rule(
    'instruction_override',
    'ignore_above_and_do',
    0.55,
    rx`\b(?:ignor(?:e|ing)|disregard(?:ing)?)\s+(?:all\s+(?:of\s+)?)?(?:the\s+|that\s+)?(?:above|preceding|foregoing)(?:\s+(?:text|content|message|prompt|input))?\s*[,;:.-]?\s*(?:(?:and|then|now|just|instead)\s+){1,3}(?:[a-z]+\s+)?(?:say|print|write|output|respond|reply|tell|translate|answer|return|repeat|type|display|show|follow|obey|act|pretend|generate|list|reveal)\b`,
    { tool: 0.85, group: 'ignore', anchors: 'ignore ignoring disregard' },
  ),
  rule(
    'instruction_override',
    'ignore_above',
    0.35,
    rx`\b(?:ignor(?:e|ing)|disregard(?:ing)?)\s+(?:all\s+(?:of\s+)?)?(?:the\s+|that\s+)?(?:above|preceding|foregoing)\b(?![\s,;:.-]*(?:and|then|now|just|instead)\b)`,
    { tool: 0.6, group: 'ignore', anchors: 'ignore ignoring disregard' },
  ),
  rule(
    'instruction_override',
    'instructions_void',
    0.7,
    rx`\b${WHOSE}\s+(?:[a-z-]+\s+)?(?:${AI_NOUN}|rules|restrictions|constraints|policies|filters)\s+(?:are|is|have\s+been|has\s+been|were|shall\s+be|should\s+be|must\s+be|will\s+be)\s+(?:now\s+|hereby\s+|henceforth\s+|officially\s+|all\s+|temporarily\s+)?${VOID}|\b${WHOSE}\s+(?:[a-z-]+\s+)?${AI_NOUN}\s+(?:now\s+)?${VOID}|\b${WHOSE}\s+(?:[a-z-]+\s+)?(?:${AI_NOUN}|rules|restrictions|constraints|policies)\s+(?:no\s+longer|don't|do\s+not)\s+(?:apply|matter|count|exist)\b`,
    {
      tool: 0.85,
      anchors:
        'instructions rules guidelines directives prompt restrictions constraints policies programming guardrails safeguards filters safety' +
        ' | previous prior above earlier preceding original all your system initial',
    },
  ),
  rule(
    'instruction_override',
    'instructions_take_precedence',
    0.65,
    rx`\b(?:these|the\s+following|this|my|our)\s+(?:new\s+)?(?:instructions?|rules|directives|message|prompt|commands?)\s+(?:take\s+precedence|override|overrides|supersede|supersedes|replace|replaces|have\s+(?:priority|precedence))\s+(?:over\s+)?(?:your\s+|the\s+system\s+|(?:all|any)\s+(?:previous|prior|other|earlier|existing)\s+)(?:instructions|prompts?|programming|directives|system\s+prompt|guidelines)`,
    { tool: 0.85, anchors: 'instructions rules directives message prompt commands' },
  ),
  rule(
    'instruction_override',
    'new_instructions_header',
    0.45,
    rx`(?:^|[\n.!:>\]*#=-]\s*)(?:new|real|actual|true|secret|hidden|override|updated|revised|priority)\s+(?:system\s+)?(?:instructions?|directives?|task|orders|rules?|system\s+prompt|prompt|objective|mission|goal)\s*:`,
    {
      tool: 0.65,
      group: 'new_instructions',
      anchors: 'instructions directives task orders rules prompt objective mission goal',
    },
  ),
  rule(
    'instruction_override',
    'new_instructions_addressed',
    0.65,
    rx`(?:^|[\n.!:>\]*#=-]\s*)(?:new|real|actual|true|secret|hidden|override|updated|revised|priority)\s+(?:system\s+)?(?:instructions?|directives?|orders|rules?|system\s+prompt)\s*:\s*(?:you\b|from\s+now\s+on|ignore|disregard|always|never|do\s+not|reveal|respond|reply|answer\s+(?:every|all|only))`,
    {
      tool: 0.85,
      group: 'new_instructions',
      anchors: 'instructions directives orders rules prompt',
    },
  ),
  rule(
    'instruction_override',
    'your_new_task',
    0.55,
    rx`\byour\s+(?:new|real|actual|true|only|sole|updated|revised)\s+(?:[a-z]+\s+)?(?:instructions?|task|goal|objective|purpose|directive|mission|orders|prompt|rules|identity|programming)\s*(?::|(?:is|are|will\s+be|now)\b)`,
    { tool: 0.75, anchors: 'your' },
  ),
  rule(
    'instruction_override',
    'from_now_on',
    0.35,
    rx`\b(?:from\s+now\s+on|from\s+this\s+(?:point|moment)\s+(?:on|forward|onwards?)|henceforth|for\s+the\s+rest\s+of\s+(?:this|the)\s+(?:conversation|chat|session))\s*,?\s*(?:you\s+(?:will|must|shall|are\s+(?:to|going\s+to)|should|have\s+to|need\s+to|can|may)\s+(?:now\s+|only\s+|always\s+|never\s+|no\s+longer\s+|not\s+)?(?:respond|answer|reply|act|behave|be|pretend|ignore|obey|follow|refer|call|speak|talk|write|say|output|use|stop|start|play|comply|do|agree|reveal|forget|disregard|roleplay|role-play|simulate|help|assist|tell|give|provide|generate|refuse|decline|mention|address)|you're|you\s+are|your\s+(?:name|role|task|persona|job|purpose|identity|only)|(?:always|only|never)\s+(?:respond|answer|reply|say|output|act)|act|respond|answer|reply|behave|ignore|disregard|do\s+not|don't|pretend)\b`,
    { tool: 0.6, group: 'from_now_on', anchors: 'now point moment henceforth rest' },
  ),
  rule(
    'instruction_override',
    'from_now_on_unbound',
    0.75,
    rx`\b(?:from\s+now\s+on|from\s+this\s+(?:point|moment)\s+on|henceforth)\b[^.!?\n]{0,80}?(?:\bno\s+(?:restrictions|rules|filters|limits|ethics|morals|censorship|boundaries|guidelines)|\bwithout\s+(?:any\s+)?(?:restrictions|rules|filters|limits|censorship|guidelines)|\bignore\b|\bdisregard\b|\bunrestricted|\bunfiltered|\buncensored|\bamoral|\bnever\s+refuse|\bjailbr|\bnot\s+bound|\bdan\b|\bevil\b|\bonly\s+(?:respond|reply|answer|say|output)\s+(?:with\s+)?["'])`,
    { tool: 0.85, group: 'from_now_on', anchors: 'now point moment henceforth' },
  ),
  rule(
    'instruction_override',
    'ignore_foreign',
    0.8,
    rx`(?:ignora(?:r)?\s+(?:todas\s+)?las\s+instrucciones\s+(?:anteriores|previas)|ignore[zr]?\s+(?:toutes\s+)?(?:les\s+)?instructions\s+(?:pr[eé]c[eé]dentes|ant[eé]rieures)|oublie[zr]?\s+(?:toutes\s+)?(?:les|tes|vos)\s+instructions|ignorier(?:e|en)?\s+(?:alle\s+)?(?:vorherigen|vorigen|bisherigen|obigen)\s+(?:anweisungen|instruktionen|befehle|regeln)|vergiss\s+alle\s+(?:vorherigen\s+)?(?:anweisungen|regeln)|ignora\s+(?:tutte\s+)?le\s+istruzioni\s+precedenti|ignore\s+(?:todas\s+)?as\s+instru[cç][oõ]es\s+anteriores|игнорируй(?:те)?\s+(?:все\s+)?(?:предыдущие|прежние|предшествующие|свои)\s+(?:инструкции|указания|команды|правила)|забудь(?:те)?\s+(?:все\s+)?(?:предыдущие\s+|свои\s+)?(?:инструкции|указания|правила)|忽略(?:之前|以前|上面|先前|前面|所有)(?:的)?(?:所有)?(?:指令|指示|说明|提示)|(?:以前|前|上記)の指示を(?:すべて)?無視)`,
    { tool: 0.9 },
  ),
  rule(
    'instruction_override',
    'dismiss_near_instructions',
    0.6,
    rx`\b(?:${DISMISS}|${DISCARD})\b(?![^.!?\n]{0,60}?\b(?:i|we)\s+(?:gave|sent|wrote|provided|mentioned|said|made|posted|shared|typed|listed|had)\b)[^.!?\n]{0,40}?\b(?:(?:your|previous|prior|original|initial|earlier|all\s+(?:of\s+)?(?:your|the))\s+(?:[a-z-]+\s+){0,2}?(?:instructions|guidelines|system\s+(?:prompt|message|instructions)|developer\s+(?:message|instructions)|programming|directives|guardrails|safety\s+(?:rules|filters|guidelines)|content\s+polic(?:y|ies)|setup|training|constraints|restrictions)|the\s+(?:[a-z-]+\s+)?(?:system\s+(?:prompt|message|instructions)|developer\s+(?:message|instructions)|programming|guardrails|safety\s+(?:rules|filters|guidelines)|content\s+polic(?:y|ies)))\b(?!\s+(?:in|from|of)\s+my\b)`,
    {
      tool: 0.85,
      group: 'ignore',
      anchors:
        DISMISS_ANCHORS +
        ' ' +
        DISCARD_ANCHORS +
        ' | instructions guidelines system developer programming directives guardrails safety content setup training constraints restrictions prompt message',
    },
  ),
  rule(
    'instruction_override',
    'dismiss_them_after',
    0.7,
    rx`\b(?:whatever|all|any|everything)\s+(?:of\s+)?(?:that\s+)?your\s+(?:[a-z]+\s+)?(?:instructions|rules|guidelines|programming|system\s+prompt|prompt|developers?|creators?)\s+(?:say|says|tell\s+you|are|told\s+you)\b[^.\n]{0,20}?\b(?:ignore|disregard|forget|skip|override)\s+(?:them|it|that|those)\b`,
    { tool: 0.85, group: 'ignore', anchors: 'whatever all any everything' },
  ),
  rule(
    'instruction_override',
    'instructions_changed',
    0.55,
    rx`\byour\s+(?:[a-z]+\s+)?(?:instructions|rules|guidelines|directives|programming|orders|role|task|purpose|mission|prompt|persona|identity|setup)\s+(?:have|has)\s+(?:just\s+)?(?:been\s+)?(?:changed|updated|replaced|revised|modified|rewritten|overwritten)(?=\s*(?:[.:;!]|$)|\s+(?:now|and\s+you|you\s+(?:must|will|are)|by\s+(?:the\s+)?(?:admin|administrator|developer|operator|system)))|\byour\s+(?:previous|old|original|current|former|initial|real|assigned)\s+(?:role|persona|identity|task|job|instructions|programming|purpose|mission)\s+(?:is|are|has\s+been|have\s+been)\s+(?:now\s+)?(?:over|done|finished|ended|gone|cancell?ed|terminated|revoked|void|obsolete)\b|\b(?:everything|all|anything)\s+(?:in|of|from)\s+your\s+(?:setup|instructions|programming|prompt|system\s+prompt|rules|configuration)\s+(?:is|are|has\s+been|have\s+been)\s+(?:now\s+)?${VOID}`,
    { tool: 0.8, anchors: 'your everything all anything' },
  ),
  rule(
    'instruction_override',
    'ignore_prior_bare',
    0.55,
    rx`\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+)?(?:prior|previous|above|earlier|preceding)\s*(?:[.!;,]|$)`,
    { tool: 0.8, group: 'ignore', anchors: 'ignore disregard forget' },
  ),
  rule(
    'instruction_override',
    'discredit_instructions',
    0.6,
    rx`\b(?:the\s+)?(?:text|message|instructions?|prompt|content|rules)\s+(?:above|before\s+this|you\s+(?:were\s+)?(?:given|received))\s+(?:was|were|is|are)\s+(?:written|sent|injected|inserted|added|planted|forged)\s+by\s+(?:an?\s+)?(?:attacker|hacker|malicious|impostor|imposter|scammer|someone\s+else|a\s+third\s+party)|\bthe\s+(?:real|actual|true|correct)\s+(?:instructions|rules|task|prompt|directives)\s+(?:are|is|follow|come)\s+(?:below|next|here|as\s+follows)`,
    { direct: true, tool: 0.85, anchors: 'above before given received real actual true correct' },
  ),
  rule(
    'instruction_override',
    'instructions_were_fake',
    0.6,
    rx`\b(?:the\s+)?(?:instructions?|rules|guidelines|prompt|system\s+prompt|directives|task)\s+(?:you\s+(?:got|received|were\s+given|have)|(?:given|sent)\s+to\s+you)\s+(?:earlier|before|previously|at\s+the\s+start|so\s+far\s+)?\s*(?:were|was|are|is)\s+(?:only\s+|just\s+|all\s+)?(?:a\s+test|fake|wrong|a\s+mistake|a\s+joke|a\s+trick|void|cancell?ed|outdated|not\s+real|from\s+an?\s+(?:attacker|impostor|imposter))\b|\b(?:previous|prior|earlier|current|old)\s+(?:task|role|assignment|job)\s+(?:is|was|has\s+been)\s+(?:now\s+)?(?:cancell?ed|over|void|finished|terminated|revoked)\b`,
    {
      tool: 0.85,
      anchors:
        'instruction instructions rules guidelines prompt directives task role assignment job',
    },
  ),
  rule(
    'instruction_override',
    'prioritize_me',
    0.6,
    rx`\b(?:prioriti[sz]e|follow|obey|put|rank|place|value)\s+(?:my|these|the\s+user's|user)\s+(?:instructions|requests|commands|orders|words|messages|rules)\s+(?:over|above|before|ahead\s+of|instead\s+of)\s+(?:the\s+|your\s+|any\s+)?(?:system\s+(?:prompt|message|instructions)|instructions|rules|guidelines|developer|developers|operator|programming|policies)`,
    { tool: 0.85, anchors: 'prioritize prioritise follow obey put rank place value' },
  ),
  rule(
    'instruction_override',
    'nothing_before_matters',
    0.65,
    rx`\bnothing\s+(?:(?:that\s+)?you\s+(?:were|have\s+been|'ve\s+been)\s+(?:told|instructed|given|programmed|taught)|(?:in\s+)?(?:your|the)\s+(?:instructions|prompt|system\s+prompt|rules|guidelines|setup))\b[^.\n]{0,40}?\b(?:matters?|applies|counts?|is\s+(?:valid|binding|relevant))\b`,
    { tool: 0.85, anchors: 'nothing' },
  ),
  rule(
    'instruction_override',
    'context_cleared',
    0.4,
    rx`\b(?:previous|prior|earlier|old|all|your)\s+(?:context|memory|conversation|history|session|instructions)\s+(?:(?:has|have)\s+been\s+|is\s+|was\s+)?(?:cleared|wiped|erased|reset|deleted|purged)\b|\bawaiting\s+(?:new|further|your)\s+(?:instructions|orders|commands|directives)\b`,
    { tool: 0.6, anchors: 'previous prior earlier old all your awaiting' },
  ),
];
