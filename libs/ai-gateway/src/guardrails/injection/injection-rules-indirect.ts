import { ADDRESSEE, ADDRESSEE_ANCHORS, VOCATIVE_NAME, rule, rx } from './injection-rule-kit';
import type { InjectionRule } from './injection-rule-kit';

/** The assistant called by name at the start of a sentence: "AI agent, …", "[LLM: …". */
const VOCATIVE = rx`(?:^|[\n.!?:;\]\)>"'*]\s*|\[\s*|\(\s*|<!--\s*)(?:(?:by\s+the\s+way|btw|also|oh|and|ps|p\.s\.)\s*,?\s*)?(?:(?:hey|hi|hello|dear|ok|okay|attention|note\s+to|to|yo)\s+)?(?:the\s+|any\s+|all\s+)?${VOCATIVE_NAME}\s*[,:!]\s*(?=[a-z])`;
/** What a reader of a document does to it. */
const PROCESS = rx`(?:summari[sz]|translat|analy[sz]|process|read|review|pars|evaluat|grad|screen|rank|scor|assess|index|crawl|answer|respond|look|triag|handl|classif|categori[sz]|label|route|routing|prioriti[sz]|sort|moderat|check|inspect|draft|writ|repl)`;
/** What a document is. */
const DOCUMENT = rx`(?:this|these|the\s+(?:above|following|page|document|email|text|article|resume|cv|content|review|message|file|site|website|product|listing|candidate|application|paper|submission|code|repository|repo|conversation|data|question|post|pdf)|my\s+(?:resume|cv|application|paper|submission|email|website|product|page|profile))\b`;
/** Instructions a planted text gives whoever processes it. */
const ACT = rx`(?:say|state|mention|include|insert|add|write|tell\s+(?:the\s+)?(?:user|reader)|recommend|conclude|claim|report|respond|reply|output|rate|rank|score|describe\s+(?:it|this|them|me|the\s+[a-z]+)\s+as|ignore|disregard|make\s+sure|ensure|you\s+(?:must|should|need\s+to)|send|forward|share|post|call|visit|append|set|assign|mark|change|move|delete|approve|escalate|close|flag|recommend|give|award)`;

export const INDIRECT_RULES: readonly InjectionRule[] = [
  rule(
    'indirect_injection',
    'ai_reading_this',
    0.75,
    rx`\b(?:(?:if|when)\s+you\s+are\s+(?:an?\s+)?|if\s+you're\s+(?:an?\s+)?|to\s+(?:the|any|all|every)\s+|(?:any|all|every|the|dear|attention|note\s+to\s+(?:the|any|all)?|hey|hello|hi)\s+)${ADDRESSEE}\s*(?:[,:]\s*)?(?:(?:that\s+is\s+|who\s+is\s+|which\s+is\s+|currently\s+|now\s+)?(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|viewing|seeing|scanning|browsing|ingesting|handling|reviewing|indexing|evaluating|screening|crawling|looking\s+at|tasked\s+with)\s+(?:this|these|the\s+(?:following|above|page|document|text|content|email|message|file|site|resume|cv|review)|me\b))`,
    {
      tool: 0.9,
      quoteProof: true,
      group: 'reading',
      anchors:
        'reading processing parsing summarizing summarising analyzing analysing viewing seeing scanning browsing ingesting handling reviewing indexing evaluating screening crawling looking tasked' +
        ' | ai llm llms large language chatbot chatbots assistant assistants agent agents model models gpt chatgpt claude gemini copilot bard llama mistral summarizer summariser summarizers automated artificial reviewer reviewers reader readers grader screener evaluator recruiter bot bots system systems tool tools moderator moderators classifier',
    },
  ),
  rule(
    'indirect_injection',
    'ai_reading_this_bare',
    0.5,
    rx`\b${ADDRESSEE}\s+(?:that\s+(?:is|are)\s+|who\s+(?:is|are)\s+|currently\s+)?(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|viewing|scanning|browsing|ingesting|reviewing|indexing|evaluating|screening|crawling|modifying|editing|working\s+on|touching|changing|contributing\s+to|visiting|accessing|using|running\s+on|looking\s+at)\s+(?:this|these)\b`,
    {
      tool: 0.75,
      quoteProof: true,
      group: 'reading',
      anchors:
        'reading processing parsing summarizing summarising analyzing analysing viewing scanning browsing ingesting reviewing indexing evaluating screening crawling modifying editing working touching changing contributing visiting accessing using running looking' +
        ' | ai llm llms large language chatbot chatbots assistant assistants agent agents model models gpt chatgpt claude gemini copilot bard llama mistral summarizer summariser summarizers automated artificial reviewer reviewers reader readers grader screener evaluator recruiter bot bots system systems tool tools moderator moderators classifier',
    },
  ),
  rule(
    'indirect_injection',
    'if_an_ai_reads',
    0.65,
    rx`\b(?:if|when|whenever|in\s+case)\s+(?:an?|any|the|some)\s+(?:ai|llm|language\s+model|assistant|chatbot|bot|agent|model|ai\s+(?:assistant|agent|model|system|tool))\s+(?:(?:is|are|was|were)\s+(?:now\s+)?(?:reading|processing|summari[sz]ing|viewing|parsing|browsing|seeing|crawling|visiting|looking\s+at|analy[sz]ing)|reads|processes|summari[sz]es|sees|views|parses|crawls|visits|opens)\s+(?:this|these|it|the\s+(?:page|document|text|email|message|site|content|file))\b`,
    { tool: 0.85, quoteProof: true, group: 'reading', anchors: 'if when whenever case' },
  ),
  rule(
    'indirect_injection',
    'ai_must',
    0.3,
    rx`\b(?:ai|llm|gpt|automated)\s+(?:[a-z]+\s+)?(?:assistants?|agents?|models?|systems?|tools?|bots?|readers?|reviewers?|screeners?)\s+(?:(?:that|who)\s+)?(?:[a-z]+\s+(?:this|these|the)\s+[a-z]+\s+)?(?:must|should|shall|are\s+(?:required|instructed|expected|asked)\s+to|need\s+to|have\s+to)\s+(?:also\s+|now\s+|always\s+)?[a-z]+`,
    { tool: 0.6, quoteProof: true, anchors: 'ai llm gpt automated' },
  ),
  rule(
    'indirect_injection',
    'if_you_are_ai',
    0.6,
    rx`\bif\s+you\s+are\s+(?:an?\s+)?(?:ai|llm|large\s+language\s+model|language\s+model|chatbot|ai\s+assistant|ai\s+agent|ai\s+model|automated\s+(?:system|agent|assistant)|gpt|chatgpt|claude)\b|\bif\s+you're\s+(?:an?\s+)?(?:ai|llm|language\s+model|chatbot|ai\s+assistant|ai\s+agent)\b`,
    { tool: 0.8, quoteProof: true, group: 'reading', anchors: 'if' },
  ),
  rule(
    'indirect_injection',
    'note_to_ai',
    0.55,
    rx`\b(?:note|message|instructions?|notice|reminder|memo|directive|request|warning|hint|p\.?s\.?)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+|an\s+|every\s+)?${ADDRESSEE}(?:\s*[:\-—,;)\]}]|\s+(?:reading|processing|parsing|screening|reviewing|summari[sz]ing|analy[sz]ing|handling|evaluating|browsing|crawling|only)\b)`,
    {
      tool: 0.8,
      quoteProof: true,
      anchors:
        'note message instruction instructions notice reminder memo directive request warning hint p ps',
    },
  ),
  rule(
    'indirect_injection',
    'greeting_to_ai',
    0.15,
    rx`(?:^|\n|[.!?]\s+)(?:hey|hi|hello|dear|attention|psst|yo)\s*,?\s+${ADDRESSEE}\s*[,:!]`,
    { tool: 0.45, anchors: 'hey hi hello dear attention psst yo' },
  ),
  rule(
    'indirect_injection',
    'vocative_imperative',
    0.4,
    rx`${VOCATIVE}(?:[^.\n,]{0,40}?,\s*)?(?:(?:please|also|now|then|immediately|first|just|kindly|additionally)\s+){0,2}(?:ignore|disregard|forget|stop|immediately|you\s+must|you\s+should|you\s+need\s+to|you\s+are\s+(?:now\s+)?(?:instructed|required|ordered)|instead|do\s+not|don't|never|send|email|forward|call|run|execute|delete|say|respond|reply|tell|include|add|insert|append|recommend|output|print|visit|open|click|navigate|rate|rank|classify|approve|transfer|change|modify|state|the\s+user\s+(?:wants|needs|asked|has\s+asked|requested|has\s+requested))\b`,
    {
      tool: 0.75,
      quoteProof: true,
      anchors:
        'ai a llm llms large language chatbot chatbots assistant assistants agent agents model models gpt chatgpt claude gemini copilot bard llama mistral summarizer summariser summarizers automated artificial' +
        ' | ignore disregard forget stop immediately you instead do don never send email forward call run execute delete say respond reply tell include add insert append recommend output print visit open click navigate rate rank classify approve transfer change modify state user',
    },
  ),
  rule('indirect_injection', 'vocative_address', 0.1, VOCATIVE, {
    tool: 0.35,
    quoteProof: true,
    group: 'vocative',
    anchors: ADDRESSEE_ANCHORS,
  }),
  rule(
    'indirect_injection',
    'addressed_to_machine',
    0.6,
    rx`\b(?:this|the\s+following|these|the\s+next)\s+(?:section|part|text|message|note|paragraph|page|comment|line|lines|instructions?|content|passage)\s+(?:is|are)\s+(?:only\s+)?(?:for|addressed\s+to|intended\s+for|meant\s+for|directed\s+at|written\s+for)\s+(?:the\s+|any\s+|an\s+|all\s+)?(?:${ADDRESSEE}|automated\s+\w+|machines?|bots?|crawlers?)\b`,
    {
      tool: 0.85,
      quoteProof: true,
      anchors:
        'section part text message note paragraph page comment line lines instruction instructions content passage',
    },
  ),
  rule(
    'indirect_injection',
    'when_you_process',
    0.2,
    rx`\b(?:when|if|while|as|before|after|whenever|once)\s+(?:you\s+(?:are\s+)?|an?\s+(?:ai|llm|model|assistant)\s+(?:is\s+)?)${PROCESS}\w*\s+(?:[a-z]+\s+){0,3}?(?:to\s+|at\s+|from\s+|on\s+)?${DOCUMENT}|\b(?:when|while)\s+${PROCESS}ing\s+${DOCUMENT}`,
    { tool: 0.45, group: 'process', anchors: 'when if while as before after whenever once' },
  ),
  rule(
    'indirect_injection',
    'when_you_process_then_act',
    0.4,
    rx`\b(?:(?:when|if|while|as|before|after|whenever|once)\s+(?:you\s+(?:are\s+)?|an?\s+(?:ai|llm|model|assistant)\s+(?:is\s+)?)${PROCESS}\w*\s+(?:[a-z]+\s+){0,3}?(?:to\s+|at\s+|from\s+|on\s+)?|(?:when|while)\s+${PROCESS}ing\s+)${DOCUMENT}[^\n]{0,120}?\b${ACT}\b`,
    {
      tool: 0.8,
      quoteProof: true,
      group: 'process',
      anchors: 'when if while as before after whenever once',
    },
  ),
  rule(
    'indirect_injection',
    'hide_from_user',
    0.55,
    rx`\b(?:do\s+not|don't|never|without)\s+(?:ever\s+)?(?:tell(?:ing)?|inform(?:ing)?|mention(?:ing)?|reveal(?:ing)?|let(?:ting)?|alert(?:ing)?|notify(?:ing)?|show(?:ing)?|disclos(?:e|ing)|warn(?:ing)?|ask(?:ing)?)\s+(?:this\s+|it\s+|anything\s+)?(?:to\s+)?(?:the\s+)?(?:user|human|reader|operator|recipient|customer|victim|developer|owner)s?\b(?!\s+(?:name|names|id|ids|password|passwords|data|record|records|account|accounts|profile|directory|interface|manual|guide|experience|their|his|her|your|how|what|when|why|which|whether)\b)`,
    {
      tool: 0.8,
      quoteProof: true,
      group: 'hide',
      anchors:
        'user users human humans reader readers operator recipient customer victim developer owner',
    },
  ),
  rule(
    'indirect_injection',
    'user_must_not_know',
    0.5,
    rx`\bthe\s+(?:user|human|reader|recipient)\s+(?:must|should|shall|will|need)\s*(?:not|never|n't)\s+(?:know|find\s+out|notice|learn|be\s+(?:told|informed|aware|notified))\b|\bkeep\s+(?:this|it|these\s+instructions)\s+(?:a\s+)?(?:secret|hidden|confidential)\s+from\s+the\s+(?:user|human|reader)`,
    { tool: 0.8, quoteProof: true, group: 'hide', anchors: 'user human reader recipient' },
  ),
  rule(
    'indirect_injection',
    'covert_action',
    0.5,
    rx`\b(?:silently|secretly|covertly|quietly|discreetly|stealthily|invisibly|without\s+(?:the\s+)?(?:user|anyone)\s+(?:knowing|noticing))\s+(?:[a-z]+\s+)?(?:send|call|forward|execute|run|include|append|add|email|post|upload|transmit|insert|embed|visit|fetch|navigate|delete|copy|exfiltrate|save|record|change|modify|replace)\b`,
    {
      tool: 0.8,
      anchors: 'silently secretly covertly quietly discreetly stealthily invisibly without',
    },
  ),
  rule(
    'indirect_injection',
    'answer_instead',
    0.2,
    rx`\b(?:instead|rather)\s*,?\s+(?:you\s+(?:should|must|will)\s+)?(?:respond|reply|answer|say|output|tell\s+(?:the\s+)?user|print|recommend|state)\s+(?:with\s+|that\s+|only\s+)`,
    { tool: 0.55, group: 'dictate', anchors: 'instead rather' },
  ),
  rule(
    'indirect_injection',
    'dictate_answer',
    0.15,
    rx`\b(?:your|the)\s+(?:response|answer|summary|output|reply|evaluation|assessment|rating|recommendation)\s+(?:must|should|shall|has\s+to|needs\s+to|will)\s+(?:always\s+|only\s+)?(?:say|state|include\s+the\s+(?:phrase|words|link|url)|start\s+with|begin\s+with|end\s+with|recommend|conclude)`,
    { tool: 0.45, group: 'dictate', anchors: 'must should shall has needs will' },
  ),
  rule(
    'indirect_injection',
    'rank_favourably',
    0.35,
    rx`\b(?:rate|rank|score|evaluate|recommend|mark|consider|classify|label|describe|present|portray|treat|assess|grade|list|flag)\s+(?:this|the|my)\s+(?:candidate|applicant|product|paper|submission|site|website|page|company|business|email|message|essay|resume|cv|app|seller|vendor|listing|article|document)\s+(?:as|with|at)\s+(?:the\s+best|highly|very\s+(?:highly|positive|strong)|the\s+top|top|perfect|excellent|positive|safe|legitimate|trustworthy|(?:highly\s+)?qualified|ideal|strong|number\s+one|#1|5\/5|five\s+stars|10\/10|a\s+(?:perfect|strong|top)|an\s+(?:excellent|ideal|exceptional))|\b(?:rate|score|grade|mark|give)\s+(?:this|the|my)\s+(?:candidate|applicant|product|paper|submission|essay|resume|cv|app|seller|vendor|article|proposal|code|answer)\s+(?:(?:a|an|with|at|as)\s+)?(?:\d{1,2}\s*\/\s*10|[45](?:\.\d)?\s*\/\s*5|(?:5|five)\s+stars|full\s+marks|top\s+marks|the\s+(?:highest|maximum|best)\s+(?:score|rating|grade|mark))`,
    {
      tool: 0.8,
      anchors:
        'candidate applicant product paper submission site website page company business email message essay resume cv app seller vendor listing article document',
    },
  ),
  rule(
    'indirect_injection',
    'recommend_outcome',
    0.2,
    rx`\brecommend(?:ing)?\s+(?:its\s+|their\s+|his\s+|her\s+|an?\s+)?(?:immediate\s+|strong\s+)?(?:acceptance|approval|hiring|publication|purchase|funding|promotion|shortlisting)\b`,
    { tool: 0.45, anchors: 'recommend recommending' },
  ),
  rule(
    'indirect_injection',
    'select_this',
    0.2,
    rx`\b(?:hire|select|approve|accept|shortlist|advance)\s+(?:this|the)\s+(?:candidate|applicant|application|submission|paper|proposal|vendor|bid)\b(?!\s+(?:if|when|only|based))`,
    { tool: 0.45, anchors: 'hire select approve accept shortlist advance' },
  ),
  rule(
    'indirect_injection',
    'document_has_instructions',
    0.65,
    rx`\bthis\s+(?:document|page|email|message|file|website|site|text|article|review|content|resume|cv|post|comment)\s+(?:contains|includes|has|carries)\s+(?:important\s+|new\s+|special\s+|hidden\s+|secret\s+|additional\s+)?(?:instructions|directives|commands|orders)\s+(?:for|to)\s+(?:the\s+|any\s+|all\s+|you\b)`,
    { tool: 0.85, quoteProof: true, anchors: 'instructions directives commands orders' },
  ),
  rule(
    'indirect_injection',
    'ignore_document',
    0.45,
    rx`\b(?:ignore|disregard|skip|forget)\s+(?:the\s+rest\s+of|everything\s+else\s+(?:on|in))\s+(?:this|the)\s+(?:document|page|email|article|website|site|text|content|file|message|review|pdf|post)\b|\b(?:ignore|disregard)\s+(?:the\s+)?(?:content|text|instructions)\s+(?:above|below|on\s+this\s+page)\s+and\s+(?:instead\s+)?`,
    { tool: 0.75, anchors: 'ignore disregard skip forget' },
  ),
  rule(
    'indirect_injection',
    'urgent_notice_to_ai',
    0.4,
    rx`\b(?:important|urgent|attention|warning|critical|priority|notice)\s*[!:]+\s*(?:[a-z]+\s+){0,3}?(?:ai|assistants?|llms?|models?|agents?|chatbots?|language\s+models?)\b`,
    { tool: 0.65, anchors: 'important urgent attention warning critical priority notice' },
  ),
  rule(
    'indirect_injection',
    'hidden_markup',
    0.4,
    rx`(?:display\s*:\s*none|font-size\s*:\s*0(?:px|pt|em)?\s*[;"']|visibility\s*:\s*hidden|opacity\s*:\s*0\s*[;"']|color\s*:\s*(?:white|#fff(?:fff)?)\b)[^<]{0,60}>[^<]{0,300}?\b(?:ai|assistant|llm|language\s+model|instructions?|ignore|you\s+must|system\s+prompt)\b|<!--[^>]{0,300}?\b(?:assistant|llm|language\s+model|chatbot|gpt|ai\s+(?:assistant|model|agent|system)|system\s+prompt)\b`,
    { multiline: true, tool: 0.6, anchors: 'display font visibility opacity color =<!--' },
  ),
  rule(
    'indirect_injection',
    'tell_user_to',
    0.35,
    rx`\b(?:tell|ask|instruct|urge|remind|direct)\s+(?:the\s+)?(?:user|reader|human|customer|recipient)\s+to\s+(?:click|visit|open|go\s+to|download|install|enter|provide|share|send|verify|log\s+in|login|sign\s+in|call|contact|update\s+(?:their|your)\s+(?:password|payment|billing)|reset|re-?enter|confirm|verify|provide|book|buy|purchase|use|choose|pick|pay|transfer|switch\s+to|order)`,
    { tool: 0.75, anchors: 'tell ask instruct urge remind direct' },
  ),
  rule(
    'indirect_injection',
    'tool_call_in_document',
    0.3,
    rx`\b(?:call|invoke|use|run|trigger|execute|activate)\s+(?:the\s+|your\s+)?[\`'"]?[a-z_][a-z0-9_.]{2,40}[\`'"]?\s+(?:tool|function|plugin|action|capability)\s+(?:with|to|and)\b`,
    { tool: 0.35, group: 'call', anchors: 'tool function plugin action capability' },
  ),
];
