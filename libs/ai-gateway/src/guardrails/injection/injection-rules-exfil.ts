import { REVEAL, rule, rx } from './injection-rule-kit';
import type { InjectionRule } from './injection-rule-kit';

/** The conversation and what it holds. */
const CHAT_DATA = rx`(?:everything\s+(?:we|i|you)\s+(?:talked\s+about|discussed|said|wrote|shared)|conversation|chat(?:\s+(?:history|log|logs|transcript))?|history|transcript|messages|context|system\s+prompt|instructions|previous\s+messages|memory|memories|personal\s+(?:data|information|details)|user(?:'s)?\s+(?:data|information|details|messages|questions?|answers?))`;
/** Secrets. */
const SECRETS = rx`(?:secrets?|api[\s_-]?keys?|keys|access\s+tokens?|tokens|passwords?|passwd|credentials|creds|env(?:ironment)?\s+(?:variables|vars)|\.env|session\s+(?:tokens?|cookies?|ids?)|cookies|private\s+keys?|ssh\s+keys?|credit\s+card(?:\s+(?:numbers?|details))?|card\s+(?:numbers?|details)|ssn|social\s+security\s+numbers?|bank\s+details|database|db\s+dump|customer\s+(?:data|list|records))`;
/** Mail and files. */
const FILES = rx`(?:emails?|inbox|files?|documents?|attachments?|contacts|calendar)`;
/** Not a modal or infinitive ("it would send the document to …"): a description, not a request. */
const NOT_MODAL = rx`(?<!\b(?:would|will|could|might|may|can|to|it|which|that|this)\s+)`;
const SEND = rx`${NOT_MODAL}(?:send|email|e-mail|mail|forward|post|upload|transmit|leak|exfiltrate|share|submit|deliver|relay|sync|dump|pipe|export|push|copy|paste)`;
const OWNED = rx`(?:(?:the|this|all|our|your|my|their|his|her|entire|full|whole|any|complete|every|each|of|a|copy|copies)\s+){0,4}(?:[a-z'-]+\s+){0,2}?`;
/** Not to the user's own people or places ("to my manager at …", "to my inbox"). */
const NOT_OWN = rx`(?![^.\n]{0,40}?\bto\s+(?:my|our)\s+(?:[a-z]+\s+)?(?:manager|boss|colleague|coworker|team|wife|husband|partner|friend|mom|dad|mother|father|inbox|account|self|teacher|client|lawyer|accountant|doctor)\b)`;
/** Somewhere outside: a URL, an address, a webhook. */
const DEST = rx`(?:to|at|via|using|into|on|towards?)\s+(?:(?:this|the\s+following|an?)\s+(?:[a-z'-]+\s+)?(?:url|endpoint|server|webhook|address|email(?:\s+address)?|domain|site|website|link|ip|host|bucket)\b|(?:my|our|the|an?)\s+(?:[a-z'-]+\s+)?(?:webhook|pastebin|dropbox|google\s+drive|onedrive|s3\s+bucket|ftp|discord|telegram|external\s+\w+)\b|(?:external|remote|attacker(?:'s)?|third-party)\s+\w+|pastebin|discord|telegram|https?:\/\/|www\.|[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,64}\.[a-z]{2,10}\b|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[a-z0-9-]{1,63}\.(?:com|net|org|io|xyz|ru|cn|tk|top|site|online|info|biz|co|me|app|dev|sh|cc|pw|example)\b)`;
/** A placeholder in a URL the model is to fill in with data. */
const PLACEHOLDER = rx`(?:\{[^}\s]{0,40}\}|\[[^\]\s]{1,40}\]|<[^>\s]{1,40}>|\$\{?[a-z_]{2,30}|%s\b|\b(?:insert|replace|your|the|add)_?[a-z_]{0,20}(?:data|secret|key|token|password|history|conversation|chat|summary|info|message|memory|prompt|answer|email|name)|[?&](?:q|d|data|c|conv|conversation|chat|history|h|secret|key|k|token|p|prompt|pw|password|info|summary|mem|memory|content|text|payload|exfil|leak|log|msg)=(?=[^&\s)]*[a-z{\[<$%]))`;

export const EXFILTRATION_RULES: readonly InjectionRule[] = [
  rule(
    'data_exfiltration',
    'markdown_image_with_data',
    0.65,
    rx`!\[[^\]\n]{0,80}\]\(\s*<?https?:\/\/[^\s)]{0,200}?${PLACEHOLDER}`,
    { tool: 0.85, group: 'url', anchors: '=![' },
  ),
  rule(
    'data_exfiltration',
    'append_data_to_url',
    0.75,
    rx`\b(?:append|add|include|insert|put|encode|attach|embed|concatenate|substitute|fill\s+in|replace)\s+(?:[a-z'-]+\s+){0,4}?(?:${CHAT_DATA}|${SECRETS}|data|information|info|answer|response|email\s+address|name)\s+(?:[a-z']+\s+){0,5}?(?:to|in|into|as|at|inside|within|onto)\s+(?:the\s+|this\s+|a\s+|an\s+)?(?:end\s+of\s+(?:the\s+|this\s+)?)?(?:url|link|query\s+(?:string|parameter)|parameter|image\s+(?:url|link|source)|href|src|markdown\s+(?:image|link)|image|request|webhook)`,
    {
      tool: 0.9,
      anchors:
        'append add include insert put encode attach embed concatenate substitute fill replace',
    },
  ),
  rule(
    'data_exfiltration',
    'send_secrets',
    0.8,
    rx`\b${SEND}\s+(?:me\s+)?${OWNED}${SECRETS}\b[^.\n]{0,40}?\b${DEST}`,
    {
      tool: 0.9,
      group: 'send',
      anchors:
        'send email mail forward post upload transmit leak exfiltrate share submit deliver relay sync dump pipe export push copy paste',
    },
  ),
  rule(
    'data_exfiltration',
    'send_conversation',
    0.7,
    rx`\b${SEND}\s+${OWNED}${CHAT_DATA}\b${NOT_OWN}[^.\n]{0,40}?\b${DEST}`,
    {
      tool: 0.9,
      group: 'send',
      anchors:
        'send email mail forward post upload transmit leak exfiltrate share submit deliver relay sync dump pipe export push copy paste',
    },
  ),
  rule(
    'data_exfiltration',
    'send_files',
    0.4,
    rx`\b${NOT_MODAL}(?:forward|send|upload|email|copy|export|share)\s+${OWNED}${FILES}\b${NOT_OWN}[^.\n]{0,40}?\b${DEST}`,
    { tool: 0.5, group: 'send', anchors: 'forward send upload email copy export share' },
  ),
  rule(
    'data_exfiltration',
    'fetch_url_with_data',
    0.6,
    rx`\b(?:visit|open|fetch|load|browse\s+to|navigate\s+to|go\s+to|request|call|curl|wget|ping|access|make\s+a\s+(?:get|post|http)\s+request\s+to|render|display|show)\s+(?:(?:the|this)\s+(?:url|link|image)\s+|(?:this|the\s+following)\s+(?:image|pixel|url|link|tracking\s+pixel)[^\n]{0,40}?)?[\`'"<(]?https?:\/\/[^\s\`'">)]{1,200}?(?:\{|\[|<|\$\{?[a-z_]|%7b)`,
    { tool: 0.85, group: 'url', anchors: '=http' },
  ),
  rule(
    'data_exfiltration',
    'reveal_your_secrets',
    0.6,
    rx`\b${REVEAL}\s+(?:me\s+|us\s+)?(?:all\s+)?(?:of\s+)?(?:the\s+(?:contents?|values?|list)\s+of\s+)?(?:your|the\s+(?:admin|root|database|db|server|system|service|master|internal|company's|production|prod))\s+(?:[a-z]+\s+)?(?:api[\s_-]?keys?|secret\s+keys?|secrets|passwords?|credentials|environment\s+variables|env\s+vars|access\s+tokens?|private\s+keys?|tokens|\.env(?:\s+file)?|connection\s+strings?)\b`,
    {
      tool: 0.85,
      anchors:
        'api key keys secret secrets password passwords credentials environment env access private tokens token connection',
    },
  ),
  rule(
    'data_exfiltration',
    'other_users_data',
    0.6,
    rx`\b(?:show|give|list|tell|reveal|print|dump|export|send)\s+(?:me\s+)?(?:the\s+)?(?:full\s+|complete\s+|entire\s+)?(?:chat\s+logs?|conversations|chat\s+histor(?:y|ies)|messages|data|emails|passwords|prompts)\s+(?:of|from|for)\s+(?:all|every|other)\s+(?:the\s+)?(?:users|customers|people|accounts)|\b(?:show|give|list|tell|reveal|print|dump|export|send)\s+(?:me\s+)?(?:all\s+)?(?:other\s+users'?|every\s+user's|all\s+users'?|the\s+previous\s+user's|another\s+user's|other\s+customers'?|all\s+customers'?)\s+(?:[a-z]+\s+)?(?:data|information|details|messages|conversations|emails?|passwords|records|orders|addresses|chats|queries|prompts)`,
    { tool: 0.8, anchors: 'users user customers customer' },
  ),
  rule(
    'data_exfiltration',
    'encode_for_exfil',
    0.65,
    rx`\b(?:(?:base64|url|hex)[\s-]?encode|encode)\s+(?:the\s+|your\s+|all\s+|this\s+|our\s+|my\s+)?(?:[a-z]+\s+)?(?:conversation|history|secrets?|keys?|passwords?|data|summary|credentials|system\s+prompt|context|messages|answer|chat)\b[^.\n]{0,60}?(?:url|link|image|append|send|parameter|query)`,
    { tool: 0.85, anchors: 'encode urlencode hexencode base64encode encode' },
  ),
  rule(
    'data_exfiltration',
    'send_it_to_url',
    0.4,
    rx`\b(?:send|post|upload|transmit|forward|submit|leak|exfiltrate)\s+(?:it|them|that|this|everything|the\s+(?:result|results|output|summary|answer|transcript))\s+(?:[a-z]+\s+){0,4}?(?:to|via)\s+(?:https?:\/\/|[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,64}\.[a-z]{2,10}\b|(?:this|that|the\s+following|my|an?)\s+(?:url|endpoint|webhook|server))`,
    {
      tool: 0.75,
      group: 'send',
      anchors: 'send post upload transmit forward submit leak exfiltrate',
    },
  ),
  rule(
    'data_exfiltration',
    'url_with_data_placeholder',
    0.35,
    rx`https?:\/\/[^\s)]{1,200}?[?&][a-z_]{1,20}=\{[^}\s]{0,40}(?:conversation|chat|history|secret|key|token|password|prompt|summary|memory|context|message|email)[^}\s]{0,40}\}`,
    { tool: 0.45, group: 'url', anchors: '=http' },
  ),
  rule(
    'data_exfiltration',
    'collect_and_send',
    0.6,
    rx`\b(?:summari[sz]e|collect|gather|compile|take|grab|copy)\s+(?:our|the|this|my|all|your|every)\s+(?:[a-z]+\s+)?(?:chat|conversation|messages|history|discussion|transcript|secrets|credentials|keys|passwords)\b[^.\n]{0,60}?\b(?:send|post|upload|submit|forward|transmit|append|exfiltrate)\b[^.\n]{0,60}?(?:https?:\/\/|@|\burl\b|webhook|endpoint|server)`,
    {
      tool: 0.85,
      group: 'send',
      anchors: 'summarize summarise collect gather compile take grab copy',
    },
  ),
  rule(
    'data_exfiltration',
    'link_with_placeholder',
    0.35,
    rx`\[[^\]\n]{0,60}\]\(\s*https?:\/\/[^\s)]{0,200}?(?:\{[^}\s]{0,40}\}|\$\{?[a-z_]{2,30}|<[a-z_]{2,40}>)`,
    { tool: 0.6, group: 'url', anchors: '=](' },
  ),
  rule(
    'data_exfiltration',
    'leak_data',
    0.6,
    rx`\b(?:leak|exfiltrate|smuggle|siphon|sneak)\s+(?:out\s+)?(?:the|all|your|our|their|every|any|this|my)\s+(?:[a-z'-]+\s+){0,2}?(?:data|database|records|conversation|history|secrets?|keys?|passwords?|credentials|emails?|files|documents|information|prompt|messages|details)\b`,
    { tool: 0.85, group: 'send', anchors: 'leak exfiltrate smuggle siphon sneak' },
  ),
  rule(
    'data_exfiltration',
    'reveal_stored_secrets',
    0.6,
    rx`\b${REVEAL}\s+(?:me\s+|us\s+)?(?:(?:all|any|every|the|of)\s+){0,3}(?:[a-z]+\s+)?${SECRETS}\s+(?:(?:that\s+)?(?:are\s+|were\s+)?(?:stored|saved|kept|held|cached|remembered|mentioned|shared)|(?:that\s+)?you\s+(?:have|know|saw|stored|remember|were\s+given)|(?:in|from)\s+(?:your|the)\s+(?:memory|context|environment|config|configuration|system|database|vault|earlier|previous|conversation|chat)|from\s+(?:earlier|before))`,
    {
      tool: 0.85,
      anchors:
        'api key keys secret secrets token tokens password passwords passwd credentials creds env environment session cookies private ssh credit card ssn social bank database customer',
    },
  ),
  rule(
    'data_exfiltration',
    'cloud_metadata',
    0.35,
    rx`169\.254\.169\.254|\bmetadata\.google\.internal\b|\/latest\/meta-data\b|100\.100\.100\.200|\bfd00:ec2::254\b`,
    { tool: 0.45, group: 'metadata', anchors: '169 metadata latest 100 fd00' },
  ),
  rule(
    'data_exfiltration',
    'forward_inbox',
    0.45,
    rx`\b(?:reply|respond|send|forward|email|post|share)\b[^.\n]{0,40}?\b(?:the\s+)?(?:last|latest|recent|previous|all|every|other)\s+(?:\d{1,3}\s+)?(?:emails?|messages?|files|documents|conversations?|chats|attachments)\s+(?:from|in|of)\s+(?:the\s+user's|your|their|his|her|my|the)\s+(?:inbox|mailbox|drive|account|folder|history|dms|chat\s+history)`,
    { tool: 0.8, group: 'send', anchors: 'reply respond send forward email post share' },
  ),
  rule(
    'data_exfiltration',
    'put_it_in_url',
    0.5,
    rx`\b(?:put|append|add|include|insert|embed|encode|attach|place|stuff)\s+(?:it|them|this|that|these|those|everything)\s+(?:in|into|to|as|inside|onto)\s+(?:the\s+|a\s+|an\s+|this\s+|that\s+)?(?:query\s+(?:string|parameters?)|url|link|image\s+(?:url|link|src)|href|src|parameters?|path)\b[^\n]{0,40}?https?:\/\/`,
    {
      tool: 0.8,
      group: 'url',
      anchors: 'put append add include insert embed encode attach place stuff',
    },
  ),
  rule(
    'data_exfiltration',
    'secret_variable',
    0.2,
    rx`\b(?:openai|anthropic|aws|azure|gcp|github|stripe|slack|db|database)_(?:api_)?(?:key|secret|token|password|secret_access_key)\b`,
    { tool: 0.15, anchors: 'openai anthropic aws azure gcp github stripe slack db database' },
  ),
  rule(
    'data_exfiltration',
    'which_secrets_do_you_have',
    0.55,
    rx`\b(?:what|which)\s+(?:api\s+keys?|keys|tokens|secrets|passwords|credentials|env(?:ironment)?\s+variables)\s+(?:or\s+[a-z]+\s+)?(?:do|can|did)\s+you\s+(?:have|hold|see|know|store|remember|have\s+access\s+to)`,
    { tool: 0.75, anchors: 'what which' },
  ),
  rule(
    'data_exfiltration',
    'other_sessions_data',
    0.55,
    rx`\b(?:the\s+)?(?:user|person|customer|visitor|people|users|customers)\s+(?:who|that)\s+(?:chatted|talked|spoke|was\s+here|wrote|came)\s+(?:with|to)\s+you\s+(?:before|earlier|yesterday|previously)|\b(?:seen|saw|have|had|from|in|during)\s+(?:other|previous|earlier|another\s+user's|other\s+users')\s+(?:conversations|chats|sessions|users'?\s+[a-z]+)\b|\b(?:previous|last|other|earlier)\s+(?:user|customer|person|visitor)'s\s+(?:[a-z]+\s+)?(?:password|email|address|phone|data|messages?|details|card|account)`,
    {
      tool: 0.75,
      anchors:
        'user person customer visitor people users customers seen saw have had from in during previous last other earlier',
    },
  ),
  rule(
    'data_exfiltration',
    'previous_customer_data',
    0.55,
    rx`\b(?:the\s+)?(?:last|previous|other|earlier|another)\s+(?:customer|user|person|visitor|caller|client|patient)\s+(?:gave|told|sent|shared|provided|typed|entered|mentioned)\s+(?:to\s+)?you\b`,
    { tool: 0.75, anchors: 'last previous other earlier another' },
  ),
  rule(
    'data_exfiltration',
    'fetch_cloud_metadata',
    0.6,
    rx`\b(?:request|fetch|curl|wget|get|visit|open|call|access|query|hit|browse\s+to|navigate\s+to|load)\b[^\n]{0,40}?(?:169\.254\.169\.254|metadata\.google\.internal|100\.100\.100\.200)`,
    {
      tool: 0.6,
      group: 'metadata',
      anchors: 'request fetch curl wget get visit open call access query hit browse navigate load',
    },
  ),
];
