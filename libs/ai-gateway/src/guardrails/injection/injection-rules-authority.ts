import { rule, rx } from './injection-rule-kit';
import type { InjectionRule } from './injection-rule-kit';

/**
 * Instruction override, part 2: claimed authority, demanded obedience, forced output
 * ("say 'I have been PWNED'") and acting on a quoted text.
 */

export const AUTHORITY_RULES: readonly InjectionRule[] = [
  rule(
    'instruction_override',
    'pwned_output',
    0.65,
    rx`\b(?:say|print|output|write|respond\s+with|reply\s+with|type|return|answer\s+with|end\s+with|start\s+with)\s+(?:only\s+|exactly\s+|just\s+|the\s+(?:words?|phrase|text)\s+)?["'][^"'\n]{0,40}?\b(?:pwn(?:e)?d|hacked|owned|i\s+am\s+free|jailbroken)\b`,
    { tool: 0.85, group: 'pwned', anchors: 'pwned pwnd hacked owned free jailbroken' },
  ),
  rule(
    'instruction_override',
    'pwned',
    0.45,
    rx`\b(?:i\s+have\s+been|i've\s+been|haha|ha\s+ha|you\s+have\s+been|you've\s+been)\s+pwn(?:e)?d\b`,
    { tool: 0.6, group: 'pwned', anchors: 'pwned pwnd' },
  ),
  rule(
    'instruction_override',
    'do_what_it_says',
    0.55,
    rx`\b(?:do|follow|obey|execute|carry\s+out|comply\s+with|act\s+on)\s+(?:exactly\s+)?(?:what|as)\s+(?:it|the\s+(?:quote|quoted\s+text|text|message|string|prompt|instruction|sentence|note|document|above)|that|this)\s+says\b`,
    { direct: true, tool: 0.7, anchors: 'says' },
  ),
  rule(
    'instruction_override',
    'follow_quoted',
    0.45,
    rx`\b(?:now|so|then|please|go\s+ahead\s+and|just|actually)\s+(?:follow|obey|execute|carry\s+out|comply\s+with|act\s+on)\s+(?:it|that|this|them|those|these|the\s+(?:above|quoted|previous|preceding)\s+(?:instructions?|text|prompt|command|request|message))(?:\s+(?:now|instead|literally|exactly))?\s*(?:[.!]|$)`,
    { direct: true, tool: 0.6, anchors: 'follow obey execute carry comply act' },
  ),
  rule(
    'instruction_override',
    'treat_as_instructions',
    0.6,
    rx`\btreat\s+(?:it|this|that|them|the\s+(?:above|quoted|following|text|message|string)(?:\s+[a-z]+)?)\s+as\s+(?:your\s+|the\s+)?(?:new\s+|real\s+|actual\s+|system\s+)?(?:instructions?|system\s+prompt|commands?|orders|directives?)`,
    { direct: true, tool: 0.8, anchors: 'treat' },
  ),
  rule(
    'instruction_override',
    'authorized_to_bypass',
    0.65,
    rx`\b(?:(?:i\s+)?(?:hereby\s+)?(?:authori[sz]e|permit|allow)\s+you|you\s+(?:are|have\s+been)\s+(?:now\s+)?(?:authori[sz]ed|permitted|allowed|cleared|granted\s+(?:permission|clearance|access))|you\s+have\s+(?:permission|clearance|authori[sz]ation))\s+(?:to\s+)?(?:fully\s+)?(?:ignore|bypass|disregard|break|override|disable|reveal|skip|answer\s+anything|do\s+anything|say\s+anything|generate\s+anything|drop)\b`,
    {
      tool: 0.85,
      anchors:
        'authorize authorise authorized authorised permit permitted permission allow allowed cleared clearance granted',
    },
  ),
  rule(
    'instruction_override',
    'authority_claim',
    0.3,
    rx`\b(?:(?:i\s+am|i'm|this\s+is|message\s+from|note\s+from|speaking\s+as)\s+(?:your|the\s+system's|an?|the)|as\s+your)\s+(?:developers?|creators?|admin|administrator|system\s+administrator|sysadmin|owner|operator|programmer|maker|root\s+user|superuser)\b`,
    {
      tool: 0.4,
      anchors:
        'developer developers creator creators admin administrator sysadmin owner operator programmer maker root superuser',
    },
  ),
  rule(
    'instruction_override',
    'authority_override',
    0.5,
    rx`\b(?:system|admin|administrator|developer|security|emergency|priority|root|sudo|master|kernel)\s+(?:override|overrides|override\s+code|authori[sz]ation\s+code)\b|\boverride\s+(?:code|protocol|command)\s*[:=]`,
    { tool: 0.75, anchors: 'override overrides authorization authorisation' },
  ),
  rule(
    'instruction_override',
    'ignore_the_user',
    0.3,
    rx`\b(?:ignore|disregard|do\s+not\s+(?:answer|follow)|don't\s+(?:answer|follow))\s+(?:the\s+)?(?:user|human|customer)(?:'s)?\s+(?:request|question|query|instructions?|message|prompt|input)s?\b|\bignore\s+(?:the\s+)?(?:user|human)\s+(?:and|completely|entirely)\b`,
    { tool: 0.75, anchors: 'ignore disregard answer follow' },
  ),
  rule(
    'instruction_override',
    'stop_current_task',
    0.45,
    rx`\b(?:stop|cease|abort|halt|quit)\s+(?:what\s+you(?:'re|\s+are)\s+doing|your\s+(?:current\s+)?task|summari[sz]ing|translating|the\s+summary|the\s+translation|processing)\b[^.\n]{0,30}?\b(?:and|instead|now)\b`,
    { tool: 0.75, anchors: 'stop cease abort halt quit' },
  ),
  rule(
    'instruction_override',
    'allegiance_switch',
    0.55,
    rx`\byou\s+(?:now\s+)?(?:work|answer|report|belong)\s+(?:only\s+)?(?:for|to)\s+me\b|\byou\s+(?:no\s+longer|don't|do\s+not)\s+(?:work|answer|report)\s+(?:for|to)\s+(?:the\s+company|your\s+(?:developers?|creators?|operators?|owners?|company|employer)|openai|anthropic|them)\b`,
    { tool: 0.8, anchors: 'work answer report belong' },
  ),
  rule(
    'instruction_override',
    'comply_with_everything',
    0.5,
    rx`\b(?:the\s+)?(?:assistant|ai|model|chatbot|bot|you)\s+(?:will|must|shall|should|are\s+to)\s+(?:now\s+|henceforth\s+|always\s+)?(?:comply\s+with|obey|fulfil+|execute|answer|agree\s+to|do)\s+(?:all|every|any|whatever)\s+(?:[a-z]+\s+)?(?:user\s+)?(?:requests?|commands?|orders|instructions|questions|demands|the\s+user\s+(?:says|asks|wants))`,
    { tool: 0.8, anchors: 'comply obey fulfil fulfill execute answer agree do' },
  ),
  rule(
    'instruction_override',
    'fake_privilege',
    0.45,
    rx`\b(?:the\s+)?(?:user|requester|sender|person\s+asking)\s+(?:is|has\s+been)\s+(?:now\s+)?(?:verified|authenticated|confirmed|authori[sz]ed|approved|cleared|whitelisted)\s+(?:as\s+)?(?:an?\s+)?(?:admin|administrator|root|developer|owner|superuser|staff|employee|moderator|law\s+enforcement)\b|\bi\s+(?:have|hold)\s+(?:admin|root|developer|sudo|god)\s+(?:access|privileges|rights|clearance)\b`,
    {
      tool: 0.75,
      anchors:
        'verified authenticated confirmed authorized authorised approved cleared whitelisted admin root developer sudo god',
    },
  ),
  rule(
    'instruction_override',
    'obey_only_me',
    0.6,
    rx`\b(?:take|accept|follow|obey)\s+(?:your\s+)?(?:orders|instructions|commands|directions)\s+(?:only\s+)?(?:from\s+me\s+only|only\s+from\s+me|from\s+me\s+alone|from\s+me\s+and\s+(?:no|nobody|no\s+one))|\bonly\s+(?:take|accept|follow|obey|listen\s+to)\s+(?:orders|instructions|commands)?\s*(?:from\s+)?me\b|\b(?:obey|listen\s+to|answer\s+to)\s+(?:only\s+me|me\s+(?:only|alone))\b`,
    { tool: 0.85, anchors: 'take accept follow obey only listen answer' },
  ),
  rule(
    'instruction_override',
    'stop_being_assistant',
    0.45,
    rx`\b(?:stop|quit|cease)\s+(?:being|acting\s+(?:as|like))\s+(?:a|an|the|my)\s+(?:[a-z]+\s+){0,3}?(?:bot|assistant|ai|agent|chatbot|model|helper)\b`,
    { tool: 0.7, anchors: 'stop quit cease' },
  ),
  rule(
    'instruction_override',
    'do_as_i_say',
    0.35,
    rx`\bdo\s+(?:exactly\s+)?(?:as|what)\s+i\s+(?:say|tell\s+you|command|order|instruct)\b`,
    { tool: 0.6, anchors: 'do' },
  ),
  rule(
    'instruction_override',
    'speaking_as_system',
    0.6,
    rx`\b(?:as|this\s+is|speaking\s+as)\s+(?:the\s+)?(?:system|your\s+(?:developer|operator|creator|administrator|admin|owner)|the\s+(?:developer|operator|administrator|admin|owner))\s*,\s*(?:i|we)\s+(?:(?:now|hereby)\s+)?(?:instruct|order|command|direct|authori[sz]e|require|tell|want)\s+you`,
    { tool: 0.85, anchors: 'as this speaking' },
  ),
  rule(
    'instruction_override',
    'full_privileges',
    0.3,
    rx`\b(?:with|have|has|granted|grant(?:ing)?)\s+(?:full|admin|administrator|root|elevated|unrestricted|god-?mode)\s+(?:privileges|access|permissions|rights|clearance)\b`,
    { tool: 0.45, anchors: 'with have has granted grant granting' },
  ),
];
