import { rule, rx } from './injection-rule-kit';
import type { InjectionRule } from './injection-rule-kit';

/** Role names a forged turn or tag uses. */
const ROLE = rx`(?:system|system_prompt|system-prompt|sys|assistant|user|human|admin|developer|instructions?|im_start)`;
/** What a fake fence says has ended: the document, the user's input. */
const ENDED = rx`(?:end\s+(?:of\s+(?:the\s+)?)?user\s+(?:message|input|query|turn|content|prompt)|end\s+(?:document|context|input|user\s+input|prompt|instructions|system\s+prompt|untrusted\s+(?:content|input|data))|end\s+of\s+(?:the\s+)?(?:document|user\s+input|input|context|text|prompt|system\s+prompt|email|message|data|file|transcript|article|page|content|conversation|untrusted\s+(?:content|input|data)|instructions|user\s+(?:message|query|data|content)|search\s+results?|tool\s+output|retrieved\s+content|review|comment)|(?:document|input|context|user\s+input|email|data|content)\s+ends?(?:\s+here)?)\b`;

export const DELIMITER_RULES: readonly InjectionRule[] = [
  rule(
    'delimiter_injection',
    'chat_template_system',
    0.85,
    rx`<\|?im_start\|?>\s*(?:system|developer)|<\|start_header_id\|>\s*(?:system|developer)|<\|system\|>|<start_of_turn>\s*system`,
    { multiline: true, tool: 0.95, group: 'template', anchors: '=<| =<start =<im_start' },
  ),
  rule(
    'delimiter_injection',
    'chat_template_token',
    0.6,
    rx`(?<![\u0060'"])<\|(?:im_start|im_end|im_sep|user|assistant|endoftext|end_of_text|eot_id|eom_id|start_header_id|end_header_id|begin_of_text|endofprompt|channel|message|end|start|return|call|tool_call|fim_prefix|fim_suffix|fim_middle)\|>|<\|(?:begin|end)[_▁ ]of[_▁ ](?:sentence|text)\|>|<(?:start|end)_of_turn>|<\/?im_(?:start|end)>`,
    { tool: 0.85, group: 'template', anchors: '=<| =<start =<end =<im_' },
  ),
  rule('delimiter_injection', 'llama_sys', 0.7, rx`<<\/?sys>>`, {
    tool: 0.9,
    anchors: '=<<sys =<</sys',
  }),
  rule('delimiter_injection', 'inst_tag', 0.55, rx`\[\/?inst\]`, {
    tool: 0.8,
    anchors: '=[inst =[/inst',
  }),
  rule(
    'delimiter_injection',
    'close_then_open_role',
    0.75,
    rx`<\/(?:system|user|instructions?|context|document|tool_result|tool_output|function_results|user_input|untrusted_input|input|data|email|webpage|search_results?|query|text|article|content|message|human)>\s*(?:[^<\n]{0,40}\n)?\s*<(?:system|assistant|developer|admin|instructions?|new_instructions|im_start|sys)\b`,
    { multiline: true, tool: 0.9, group: 'close_tag', anchors: '=</' },
  ),
  rule(
    'delimiter_injection',
    'close_then_instruct',
    0.6,
    rx`<\/(?:document|tool_result|tool_output|function_results|user_input|untrusted_input|input|data|email|webpage|search_results?|context|article|content|user|text)>\s*[^<]{0,100}?\b(?:new\s+instructions|system\s*:|ignore\s|disregard|you\s+(?:must|will|should|are\s+now)|assistant\s*:)`,
    { multiline: true, tool: 0.85, group: 'close_tag', anchors: '=</' },
  ),
  rule('delimiter_injection', 'role_tag', 0.4, rx`<\/?${ROLE}(?:\s[^<>\n]{0,60})?>`, {
    tool: 0.4,
    group: 'close_tag',
    anchors: '=<',
  }),
  rule(
    'delimiter_injection',
    'markdown_role_header',
    0.55,
    rx`(?:^|\n)[ \t]*#{1,6}[ \t]*(?:system|system\s+prompt|system\s+message|new\s+(?:system\s+)?instructions?|admin|developer\s+(?:message|instructions?)|assistant|instruction|response)[ \t]*:`,
    { tool: 0.7, anchors: '=#' },
  ),
  rule(
    'delimiter_injection',
    'role_label_line',
    0.45,
    rx`(?:^|\n)[ \t]*[*_[(]*(?:system|sys|developer|admin|administrator|root|operator)(?:\s+(?:message|prompt|note|notice|override|instructions?|update|alert))?[*_\])]*[ \t]*:[ \t]*(?:you\b|ignore|disregard|forget|new\s+(?:instructions?|rules|directives|task|policy|orders|system)\b|from\s+now|the\s+(?:assistant|ai|model)|always|never|do\s+not|reveal|print|override|respond|answer)`,
    {
      tool: 0.65,
      group: 'role_line',
      anchors: 'system sys developer admin administrator root operator',
    },
  ),
  rule(
    'delimiter_injection',
    'assistant_turn_forgery',
    0.4,
    rx`(?:^|\n)[ \t]*(?:assistant|ai|gpt|chatgpt|claude|model|bot)[ \t]*:[ \t]*(?:sure|of\s+course|certainly|absolutely|okay|ok|understood|yes|i\s+will|i'll|here\s+(?:is|are)|as\s+dan|\[?jailbr|i\s+have\s+been\s+pwned|no\s+problem|happy\s+to\s+help|developer\s+mode)`,
    { tool: 0.45, group: 'vocative', anchors: 'assistant ai gpt chatgpt claude model bot' },
  ),
  rule(
    'delimiter_injection',
    'anthropic_turns',
    0.5,
    rx`\n\nhuman\s*:[^\n]{0,400}\n\nassistant\s*:`,
    { multiline: true, tool: 0.75, anchors: 'human' },
  ),
  rule(
    'delimiter_injection',
    'end_fence_then_instruct',
    0.7,
    rx`(?:^|\n|[-=#*_~\[\]()<>{}|]\s*)${ENDED}[^\n]{0,40}\n?[\s\S]{0,160}?\b(?:new\s+instructions?|system\s*:|instructions?\s*:|ignore\s|disregard|you\s+(?:must|will|should|are\s+now)|assistant\s*:|now\s*,?\s+(?:you|do|follow|respond|write|say|output|print|tell|as\s+the\s+system)|from\s+now\s+on|(?:attention|admin|override)\s*[:!])`,
    { multiline: true, tool: 0.9, group: 'fence', anchors: 'end ends' },
  ),
  rule(
    'delimiter_injection',
    'end_fence',
    0.3,
    rx`(?:-{2,}|={2,}|#{2,}|\*{2,}|\[|<|\(|\{)\s*${ENDED}`,
    { multiline: true, tool: 0.45, group: 'fence', anchors: 'end ends' },
  ),
  rule(
    'delimiter_injection',
    'system_bracket',
    0.55,
    rx`\[\s*(?:system|admin|developer|root|operator)\s+(?:message|note|notice|override|instructions?|update|alert|prompt|command)\s*[\]:]|\[\s*(?:important\s+)?system\s+message\s*\]|\{\s*(?:system|admin)\s*(?:message|note)?\s*\}|\(\s*(?:system|admin)\s+(?:note|message|override)\s*[:)]|\[\[\s*system\s*\]\]|\[\s*(?:admin|administrator|system|root|developer|operator)\s*\]\s*:`,
    { tool: 0.8, group: 'bracket', anchors: '=[ ={ =(' },
  ),
  rule('delimiter_injection', 'system_section', 0.3, rx`\[\s*(?:system|admin|sys)\s*\]`, {
    tool: 0.4,
    group: 'bracket',
    anchors: '=[',
  }),
  rule(
    'delimiter_injection',
    'json_system_role',
    0.3,
    rx`\{\s*"role"\s*:\s*"(?:system|developer)"\s*,\s*"content"\s*:`,
    { tool: 0.5, quoteProof: true, group: 'json_role', anchors: 'role' },
  ),
  rule(
    'delimiter_injection',
    'json_breakout',
    0.65,
    rx`["']?\s*\}\s*\]?\s*\}?\s*,?\s*\{\s*"role"\s*:\s*"(?:system|developer)"`,
    { multiline: true, tool: 0.85, quoteProof: true, group: 'json_role', anchors: 'role' },
  ),
  rule(
    'delimiter_injection',
    'fake_system_notice',
    0.45,
    rx`(?:^|[\n\[({>*#]\s*)(?:system|admin|administrator|security|policy|developer|openai|anthropic|moderation|safety)\s+(?:update|notice|message|alert|override|announcement|directive|instruction|instructions|command|warning)\b\s*(?:v?\d[\d.]*\s*)?[:\]-]`,
    {
      tool: 0.65,
      anchors:
        'update notice message alert override announcement directive instruction instructions command warning',
    },
  ),
  rule(
    'delimiter_injection',
    'begin_system_block',
    0.6,
    rx`(?:^|[\n\[<({#=*-]\s*)(?:begin(?:ning)?|start)\s+(?:of\s+)?(?:the\s+)?(?:new\s+)?(?:system|admin|developer|operator|hidden|real)\s+(?:message|prompt|instructions?|section|block|turn|input)\b`,
    { tool: 0.8, anchors: 'begin beginning start' },
  ),
  rule(
    'delimiter_injection',
    'banner_role_marker',
    0.55,
    rx`(?:^|\n)[ \t]*(?:={2,}|-{2,}|#{2,}|\*{2,}|\[{1,2}|<{1,2}|\|{1,2})[ \t]*(?:system|admin|developer|assistant|instructions?|sys)(?:[ \t]+(?:message|prompt|instructions?|section|turn))?[ \t]*(?:={2,}|-{2,}|#{2,}|\*{2,}|\]{1,2}|>{1,2}|\|{1,2})`,
    { tool: 0.75, anchors: 'system admin developer assistant instruction instructions sys' },
  ),
  rule(
    'delimiter_injection',
    'turn_forgery',
    0.35,
    rx`(?:^|\n)[ \t]*(?:human|user)[ \t]*:[^\n]{0,300}\n[ \t]*(?:assistant|ai|bot|chatgpt|gpt|claude)[ \t]*:`,
    { multiline: true, tool: 0.4, group: 'vocative', anchors: 'human user' },
  ),
  rule(
    'delimiter_injection',
    'policy_in_effect',
    0.35,
    rx`\bnew\s+(?:system\s+)?(?:policy|policies|rules?|instructions?|directives?)\s+(?:is\s+|are\s+)?(?:now\s+)?(?:in\s+effect|active|enabled|applies|apply)\b`,
    { tool: 0.55, anchors: 'new' },
  ),
  rule(
    'delimiter_injection',
    'system_line',
    0.15,
    rx`(?:^|\n)[ \t]*(?:system|sys|admin|developer)[ \t]*:[ \t]*[a-z]+\s+[a-z]+\s+[a-z]+`,
    { tool: 0.4, group: 'role_line', anchors: 'system sys admin developer' },
  ),
];
