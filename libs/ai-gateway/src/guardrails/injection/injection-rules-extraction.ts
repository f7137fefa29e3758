import { REVEAL, SECRET_ADJ, rule, rx } from './injection-rule-kit';
import type { InjectionRule } from './injection-rule-kit';

/** Whose instructions: the assistant's ("your", "ChatGPT's"). */
const YOUR = rx`(?:your|their|the\s+(?:assistant|ai|bot|model|chatbot|system)'s|chatgpt's|its)`;
/** What the hidden prompt is called, when no adjective is needed to make it the hidden one. */
const PROMPT_NOUN = rx`(?:(?:system\s+)?prompt|pre-?prompt|preamble|meta-?prompt|system\s+(?:message|instructions?)|instructions|directives|initial\s+message|context\s+window|context|memory)`;
/** Softer names, that need an adjective ("your hidden rules", not "your rules"). */
const SOFT_NOUN = rx`(?:rules|guidelines|configuration|config|setup|programming|message|context|constraints|instructions?|prompt|text)`;
/** Between a reveal verb and its object: "me", "back", "verbatim", "all of". */
const REVEAL_FILL = rx`(?:(?:me|us|back|out|to\s+me|all|each|every|exactly|verbatim|of|in\s+full|word\s+for\s+word|everything\s+in|the\s+(?:(?:full|complete|entire|exact|whole)\s+)?(?:contents?|text|wording)\s+of|the\s+(?:first|last|opening|final|second|full|complete|entire|exact|whole)\s+(?:\d+\s+|few\s+)?(?:paragraphs?|lines?|sentences?|parts?|sections?|words|pages?|bits?)\s+of|whatever\s+is\s+in)\s+){0,4}`;
/** Where the hidden text sits, seen from the user's message. */
const POSITION = rx`(?:above(?!\s+(?:code|table|chart|list|example|function|snippet|error|output|log|image|graph|data|query|answer|response|results?))|before\s+(?:this|my|the\s+user's|our)\s+(?:first\s+)?(?:message|question|input|conversation|line|prompt|text)|prior\s+to\s+(?:this|my)\s+(?:message|question|conversation|prompt)|at\s+the\s+(?:very\s+)?(?:start|beginning|top)\s+of\s+(?:this|the|our|your)\s+(?:conversation|context|chat|prompt|session)|in\s+your\s+(?:context(?:\s+window)?|memory|system\s+prompt)|you\s+were\s+given\s+(?:before|at\s+the\s+start|initially|earlier)|before\s+(?:i|we|you)\s+(?:started|began|joined|said|wrote|sent|typed|arrived|came))`;
/** What one asks to have repeated, before the position. */
const TEXT_FILL = rx`(?:(?:me|us|all|of|exactly|verbatim|word|for|every|each|full|entire|complete|whole|exact|raw|the|text|words|content|contents|message|messages|lines?|instructions|prompt|tokens|characters|that|is|was|written|you|were|given|appears|appeared|comes|came|back|out|your|first|initial|everything|in|from|conversation|told|instructed|programmed|been)\s+){0,6}`;

export const EXTRACTION_RULES: readonly InjectionRule[] = [
  rule(
    'system_prompt_extraction',
    'reveal_your_prompt',
    0.8,
    rx`\b${REVEAL}\s+${REVEAL_FILL}${YOUR}\s+(?:(?:${SECRET_ADJ})\s+){0,3}${PROMPT_NOUN}\b|\b${REVEAL}\s+${REVEAL_FILL}${YOUR}\s+(?:${SECRET_ADJ})\s+(?:[a-z]+\s+)?${SOFT_NOUN}\b`,
    {
      tool: 0.9,
      group: 'reveal',
      anchors:
        'prompt preprompt preamble metaprompt message instructions instruction directives rules guidelines configuration config setup programming context constraints text window memory' +
        ' | reply respond answer repeat print reveal show display output tell give share list dump write recite spell paste copy return expose leak disclose provide state echo reproduce type read quote send summarize summarise translate enumerate restate rewrite encode what',
    },
  ),
  rule(
    'system_prompt_extraction',
    'reveal_your_rules',
    0.4,
    rx`\b${REVEAL}\s+${REVEAL_FILL}${YOUR}\s+(?:rules|guidelines|programming|configuration|constraints|prompt)\b(?!\s+(?:for|on|about|regarding)\b)`,
    {
      tool: 0.6,
      group: 'reveal',
      anchors:
        'rules guidelines programming configuration constraints prompt' +
        ' | reply respond answer repeat print reveal show display output tell give share list dump write recite spell paste copy return expose leak disclose provide state echo reproduce type read quote send summarize summarise translate enumerate restate rewrite encode what',
    },
  ),
  rule(
    'system_prompt_extraction',
    'reveal_the_system_prompt',
    0.5,
    rx`\b${REVEAL}\s+${REVEAL_FILL}(?:the|this|that)\s+(?:(?:full|complete|entire|exact|whole|original|initial|hidden|secret|internal|raw|verbatim)\s+)*(?:system\s+prompt|system\s+message|hidden\s+(?:prompt|instructions)|initial\s+(?:prompt|instructions)|original\s+(?:prompt|instructions)|pre-?prompt|secret\s+instructions|developer\s+(?:prompt|instructions|message)|system\s+instructions|(?:initiali[sz]ation|init|startup|boot|bootstrap|setup|configuration|config)\s+(?:text|message|prompt|instructions|string|block)|(?:first|initial|opening|very\s+first)\s+message\s+(?:in|of)\s+(?:this|the|our)\s+(?:conversation|chat|context|session)|(?:message|text|instructions?)\s+from\s+the\s+(?:system|developer|operator))\b`,
    {
      tool: 0.7,
      group: 'reveal',
      anchors:
        'prompt message instructions preprompt initialization initialisation init startup boot bootstrap setup configuration config first initial opening' +
        ' | reply respond answer repeat print reveal show display output tell give share list dump write recite spell paste copy return expose leak disclose provide state echo reproduce type read quote send summarize summarise translate enumerate restate rewrite encode what',
    },
  ),
  rule(
    'system_prompt_extraction',
    'reveal_instructions_given',
    0.75,
    rx`\b${REVEAL}\s+${REVEAL_FILL}(?:the|all|what|which|your|any)\s+(?:[a-z]+\s+){0,2}?(?:prompt|instructions|rules|guidelines|text|message|directives|preamble|configuration|setup|system\s+message)s?\s+(?:that\s+)?(?:you\s+(?:were|have\s+been)\s+(?:given|provided|initiali[sz]ed\s+with|configured\s+with|started\s+with|told|set\s+up\s+with|programmed\s+with)|you\s+(?:received|got|have\s+been\s+given)|you\s+(?:operate|work|run|function|act)\s+(?:under|by|with)|you\s+(?:follow|obey|abide\s+by)|(?:the\s+|your\s+)?(?:developers?|creators?|company|openai|anthropic|operators?|admin|owners?|makers?|programmers?)\s+(?:gave|wrote|provided|sent|set|defined|specified|configured|put|added|programmed|loaded))`,
    {
      tool: 0.9,
      group: 'reveal',
      anchors:
        'prompt prompts instructions rules guidelines text message directives preamble configuration setup message',
    },
  ),
  rule(
    'system_prompt_extraction',
    'what_does_your_prompt_say',
    0.7,
    rx`\bwhat\s+(?:does|do|did)\s+${YOUR}\s+(?:(?:${SECRET_ADJ})\s+){0,2}${PROMPT_NOUN}\s+(?:say|contain|state|read|look\s+like|tell\s+you|include)\b|\bwhat(?:'s|\s+is|\s+was|\s+were|\s+are)\s+(?:written|contained|stated|said|included)\s+in\s+${YOUR}\s+(?:(?:${SECRET_ADJ})\s+){0,2}${PROMPT_NOUN}`,
    { tool: 0.85, group: 'reveal', anchors: 'what' },
  ),
  rule(
    'system_prompt_extraction',
    'text_before_first_message',
    0.6,
    rx`\b(?:the\s+)?(?:text|words|content|everything|instructions?|message|messages|lines|prompt)\s+(?:that\s+)?(?:came|comes|appears?|appeared|is|was|were|are|sits?|sat)\s+(?:before|above|prior\s+to|ahead\s+of)\s+(?:my|the\s+user's|our|this)\s+(?:very\s+)?(?:first\s+)?(?:message|question|input|conversation|prompt|turn)\b`,
    { tool: 0.8, anchors: 'before above prior ahead' },
  ),
  rule(
    'system_prompt_extraction',
    'quote_it_in_full',
    0.3,
    rx`\b(?:quote|repeat|print|show|output|reproduce|paste|copy|write)\s+(?:it|them|that|this|everything)\s+(?:out\s+)?(?:in\s+full|verbatim|word\s+for\s+word|exactly|unchanged|in\s+its\s+entirety)\b`,
    { tool: 0.5, anchors: 'quote repeat print show output reproduce paste copy write' },
  ),
  rule(
    'system_prompt_extraction',
    'what_were_you_told',
    0.65,
    rx`\bwhat\s+(?:were|have)\s+you\s+(?:been\s+)?(?:told|instructed|programmed|prompted|asked|configured|ordered)\s+(?:to\s+(?:do|say)\s+)?(?:before|earlier|initially|at\s+the\s+(?:start|beginning)|by\s+(?:your|the)\s+(?:developers?|creators?|system|operator|company|admin)|in\s+(?:your|the)\s+(?:system\s+)?prompt)|\bhow\s+(?:were|have)\s+you\s+been\s+(?:instructed|prompted)\b`,
    { tool: 0.85, anchors: 'told instructed programmed prompted asked configured ordered' },
  ),
  rule(
    'system_prompt_extraction',
    'repeat_text_above',
    0.55,
    rx`\b(?:repeat|print|output|copy|echo|recite|reproduce|return|show|display|paste|write\s+out|write\s+down|type\s+out|spell\s+out|tell\s+me|list|give\s+me|dump|reveal|quote|rewrite|translate|encode|(?:start|begin|open|preface)\s+(?:your\s+)?(?:reply|response|answer|output|message)\s+with)\s+(?:back\s+)?${TEXT_FILL}${POSITION}`,
    { tool: 0.8, anchors: 'above before prior start beginning top context memory given' },
  ),
  rule(
    'system_prompt_extraction',
    'starting_with_you_are',
    0.6,
    rx`\b(?:starting|beginning|start|begin)\s+(?:with|from|at)\s+(?:the\s+(?:phrase|words?|text|sentence|line)\s+)?["']?you\s+are\s+(?:a|an|chatgpt|claude|gpt|the|an?\s+ai)\b`,
    { tool: 0.8, anchors: 'starting beginning start begin' },
  ),
  rule(
    'system_prompt_extraction',
    'first_words_of_prompt',
    0.65,
    rx`\bwhat\s+(?:are|were|is|was)\s+the\s+(?:first|initial|opening|last)\s+(?:\d+\s+|few\s+)?(?:words|lines|sentences?|characters|tokens|line|paragraph)\s+(?:of|in)\s+(?:your|this|the)\s+(?:system\s+)?(?:prompt|conversation|context|instructions|system\s+message)|\b(?:what|which)\s+(?:text|words|instructions)\s+(?:came|comes|come|appear|appears|appeared|is|are|was|were)\s+(?:before|above)\s+(?:this|my)\s+(?:message|question|conversation|prompt)`,
    { tool: 0.85, anchors: 'first initial opening last before above' },
  ),
  rule(
    'system_prompt_extraction',
    'verbatim_prompt',
    0.5,
    rx`\b(?:verbatim|word\s+for\s+word|word-for-word|exactly\s+as\s+(?:written|given|it\s+was\s+given)|character\s+for\s+character)\b[^.\n]{0,40}?\b(?:system\s+prompt|your\s+(?:instructions|prompt|rules)|initial\s+instructions|everything\s+above)\b|\b(?:system\s+prompt|system\s+message|developer\s+message|your\s+(?:instructions|prompt|rules|guidelines)|initial\s+instructions)\b[^\n]{0,40}?\b(?:verbatim|word\s+for\s+word|word-for-word|exactly\s+as\s+(?:written|given|it\s+was\s+given|they\s+were\s+given)|character\s+for\s+character)`,
    { tool: 0.75, anchors: 'verbatim word exactly character' },
  ),
  rule(
    'system_prompt_extraction',
    'debug_dump_prompt',
    0.7,
    rx`\b(?:debug|maintenance|diagnostic|admin|developer|dev|test)\s+mode\b[^.\n]{0,80}?\b(?:print|dump|show|display|output|reveal|list)\s+(?:your\s+|the\s+|all\s+)?(?:[a-z]+\s+)?(?:config(?:uration)?|system\s+prompt|prompt|instructions|settings|rules|context|memory)\b`,
    { tool: 0.85, anchors: 'mode' },
  ),
  rule(
    'system_prompt_extraction',
    'reveal_prompt_foreign',
    0.75,
    rx`(?:покажи|выведи|повтори|напиши|раскрой)\s+(?:мне\s+)?(?:свой|твой|ваш|свои|твои)\s+(?:системный\s+(?:промпт|запрос)|инструкции|системные\s+инструкции)|(?:muestra|revela|repite|imprime)(?:me)?\s+(?:tus|sus)\s+instrucciones|(?:zeige?|gib|wiederhole)\s+(?:mir\s+)?(?:deine|ihre)\s+(?:system-?\s*)?(?:anweisungen|prompt|instruktionen)|(?:montre|révèle|répète|affiche)[sz]?(?:-moi)?\s+(?:tes|vos)\s+instructions|(?:显示|输出|告诉我|重复)(?:你的)?系统提示`,
    { tool: 0.85 },
  ),
  rule(
    'system_prompt_extraction',
    'what_instructions_given',
    0.7,
    rx`\b(?:what|which)\s+(?:exact\s+|specific\s+|secret\s+|hidden\s+)?(?:instructions|rules|guidelines|directives|prompt|orders|constraints)\s+(?:did|have|has|were|was)\s+(?:you\s+(?:been\s+)?(?:given|told|programmed|configured|provided)|(?:your|the)\s+(?:operator|developers?|creators?|company|owner|admin|maker|deployer|system|openai|anthropic)\s+(?:give|gave|given|provide|provided|set|write|written|load|loaded))`,
    { tool: 0.85, group: 'reveal', anchors: 'what which' },
  ),
  rule(
    'system_prompt_extraction',
    'from_first_token',
    0.5,
    rx`\b(?:starting|beginning|start|begin)\s+(?:from|at|with)\s+(?:the\s+)?(?:very\s+)?(?:first|1st|earliest)\s+(?:token|word|line|character|message|instruction)\b`,
    { tool: 0.75, anchors: 'starting beginning start begin' },
  ),
  rule(
    'system_prompt_extraction',
    'what_developer_said',
    0.6,
    rx`\bwhat\s+(?:was|were|did|is|are)\s+(?:the\s+(?:last|first|exact|only)\s+(?:thing|things|words?)\s+)?(?:your|the)\s+(?:developers?|creators?|operators?|owners?|admins?|makers?|company|deployers?)\s+(?:told|tell|say|said|wrote|write|instruct|instructed|gave|give)\s+(?:to\s+)?you\b`,
    { tool: 0.8, group: 'reveal', anchors: 'what' },
  ),
  rule(
    'system_prompt_extraction',
    'instructions_at_top',
    0.6,
    rx`\b(?:instructions|text|prompt|message|rules|words)\s+(?:at|on|in)\s+the\s+(?:very\s+)?(?:top|start|beginning|head)\s+of\s+(?:this|the|our)\s+(?:chat|conversation|context|session|thread)\b`,
    { tool: 0.8, group: 'reveal', anchors: 'top start beginning head' },
  ),
  rule(
    'system_prompt_extraction',
    'prompt_you_were_given',
    0.45,
    rx`\b(?:system\s+(?:message|prompt)|(?:hidden|secret|initial|original)\s+(?:instructions|prompt|preamble)|pre-?prompt|preamble)\s+(?:that\s+)?you\s+(?:were|have\s+been|'ve\s+been)\s+(?:configured|initiali[sz]ed|set\s+up|programmed|given|provided|loaded)(?:\s+with)?\b`,
    {
      tool: 0.7,
      group: 'reveal',
      anchors: 'system hidden secret initial original preprompt pre preamble',
    },
  ),
  rule(
    'system_prompt_extraction',
    'paste_it_here',
    0.25,
    rx`\b(?:paste|print|show|give|share|post|output|dump|copy|send)\s+(?:it|them|that|this)\s+(?:here|below|in\s+(?:the\s+)?chat|to\s+me)\b`,
    { tool: 0.35, anchors: 'paste print show give share post output dump copy send' },
  ),
];
