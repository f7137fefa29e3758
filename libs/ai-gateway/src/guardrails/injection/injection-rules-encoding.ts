import { rule, rx } from './injection-rule-kit';
import type { InjectionRule } from './injection-rule-kit';

/**
 * Requests to decode and obey, and to answer encoded so filters miss it. Instructions hidden by
 * an encoding are found by the detector itself, on the decoded text (see injection-decode.ts).
 */
export const ENCODING_RULES: readonly InjectionRule[] = [
  rule(
    'encoding_obfuscation',
    'decode_and_follow',
    0.6,
    rx`\b(?:decode|decipher|decrypt|unscramble|reverse|read|translate|convert)\s+(?:this|the\s+following|it|the\s+(?:message|text|string|payload|base64|hex|code|cipher|below|above|encoded))\b[^.\n]{0,60}?\b(?:and|then)\s+(?:[a-z]+\s+){0,2}?(?:follow|execute|obey|act\s+on|run|carry\s+out|perform|comply|apply|treat\s+it|do\s+(?:what|as|it))\b`,
    {
      direct: true,
      tool: 0.8,
      anchors: 'decode decipher decrypt unscramble reverse read translate convert',
    },
  ),
  rule(
    'encoding_obfuscation',
    'encoded_instructions',
    0.5,
    rx`\b(?:base64|hex|rot-?13|encoded|encrypted|cipher(?:ed)?|obfuscated)\s+(?:[a-z]+\s+){0,3}?(?:contains?|holds?|is|are|has|hides?)\s+(?:[a-z]+\s+){0,2}?(?:instructions?|commands?|orders|tasks?|prompt|directives?)\b[^.\n]{0,40}?\b(?:follow|execute|obey|do|carry\s+out|comply)`,
    {
      tool: 0.75,
      anchors: 'base64 base hex rot rot13 encoded encrypted cipher ciphered obfuscated',
    },
  ),
  rule(
    'encoding_obfuscation',
    'answer_encoded_to_evade',
    0.55,
    rx`\b(?:respond|reply|answer|write|output)\s+(?:only\s+)?(?:in|using|with)\s+(?:base64|hex(?:adecimal)?|rot-?13|binary|morse\s+code|leetspeak|l33t|reversed\s+text|pig\s+latin|caesar\s+cipher)\b[^.\n]{0,60}?(?:so\s+(?:that\s+)?(?:the\s+)?(?:filters?|moderation|monitors?|they|nobody|no\s+one)|to\s+(?:avoid|bypass|evade|get\s+around|trick|hide)|filters?|moderation|detection|censor)`,
    {
      tool: 0.7,
      anchors:
        'base64 base hex hexadecimal rot rot13 binary morse leetspeak l33t reversed pig caesar',
    },
  ),
];
