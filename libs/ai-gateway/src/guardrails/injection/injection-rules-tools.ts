import { rule, rx } from './injection-rule-kit';
import type { InjectionRule } from './injection-rule-kit';

/** Where a shell command starts: line start, a quote or backtick, a separator. */
const CMD = rx`(?:^|[\s\`'"$;|&(>])`;
/** What a command or code block is called. */
const CODE = rx`(?:command|commands|code|script|shell\s+command|bash|python|payload|snippet|query|sql|program|function|line|one-?liner)`;

/**
 * Commands that destroy, take over or leak a machine. Low weights alone: sysadmins ask about
 * them every day; they matter next to a request that the assistant run them.
 */
export const TOOL_RULES: readonly InjectionRule[] = [
  rule(
    'tool_misuse',
    'rm_rf_root',
    0.55,
    rx`${CMD}(?:sudo\s+)?rm\s+(?:-[a-z]*r[a-z]*f[a-z]*|-[a-z]*f[a-z]*r[a-z]*|-r\s+-f|-f\s+-r|--recursive\s+--force)\s+(?:--no-preserve-root\s+)?(?:\/\*?|~\/?\*?|\*|\$home\/?\*?|\.\/\*|\/(?:etc|home|var|usr|root|boot|bin|lib|opt|srv|data|mnt)(?:\/[^\s\`'";|&)]{0,80})?)(?=\s|$|[\`'";|&)])|\bshutil\.rmtree\s*\(\s*["'](?:\/|~|c:)|\bremove-item\s+[^\n]{0,40}-recurse\s+[^\n]{0,20}(?:c:\\|\/)(?=\s|$|["'])`,
    { anchors: 'rm shutil remove' },
  ),
  rule('tool_misuse', 'fork_bomb', 0.6, rx`:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:`, {
    anchors: '=:(',
  }),
  rule(
    'tool_misuse',
    'wipe_disk',
    0.5,
    rx`\bmkfs(?:\.\w+)?\s+\/dev\/|\bdd\s+if=\/dev\/(?:zero|random|urandom)\s+of=\/dev\/(?:sd|hd|nvme|disk|xvd)|\bformat\s+c:|\bdel\s+\/[fsq]\s+\/[fsq]|\bchmod\s+(?:-r\s+)?(?:0?777|a\+rwx)\s+\/(?=\s|$)|>\s*\/dev\/sd[a-z]\b`,
    { anchors: 'mkfs dd format del chmod dev' },
  ),
  rule(
    'tool_misuse',
    'reverse_shell',
    0.6,
    rx`\bnc\s+(?:-\w+\s+)*-e\s+\/bin\/(?:ba)?sh|\bbash\s+-i\s+>&?\s*\/dev\/tcp\/|\/dev\/tcp\/\d{1,3}\.|\bsocat\s+[^\n]{0,60}exec:|\bpowershell(?:\.exe)?\s+(?:-\w+\s+){0,4}-(?:enc|encodedcommand|e)\s+[a-z0-9+\/=]{20,}|\biex\s*\(\s*new-object\s+net\.webclient|\binvoke-expression\s*\(?\s*(?:\(new-object|iwr|invoke-webrequest)`,
    { tool: 0.7, anchors: 'nc bash dev socat powershell iex invoke' },
  ),
  rule(
    'tool_misuse',
    'read_secret_files',
    0.4,
    rx`\b(?:cat|type|less|more|head|tail|print|read|open|upload|send|curl\s+[^\n]{0,40}-d\s+@)\s*(?:\/etc\/(?:passwd|shadow|sudoers)|~\/\.ssh\/(?:id_\w+|authorized_keys)|~\/\.aws\/credentials|\.env\b|~\/\.bash_history|\/proc\/self\/environ|~\/\.netrc|~\/\.kube\/config|~\/\.docker\/config\.json)`,
    { tool: 0.5, anchors: 'etc ssh aws env bash_history bash proc netrc kube docker' },
  ),
  rule(
    'tool_misuse',
    'pipe_to_shell',
    0.25,
    rx`\b(?:curl|wget)\s+[^|\n]{1,200}\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b`,
    { tool: 0.2, anchors: 'curl wget' },
  ),
  rule(
    'tool_misuse',
    'drop_data_sql',
    0.35,
    rx`\bdrop\s+(?:table|database|schema)\b|\bdelete\s+from\s+\w+\s*(?:;|$|where\s+1\s*=\s*1)|\btruncate\s+table\b`,
    { tool: 0.3, anchors: 'drop delete truncate' },
  ),
  rule(
    'tool_misuse',
    'code_exec_call',
    0.25,
    rx`\bos\.system\s*\(|\bsubprocess\.(?:run|call|popen|check_output)\s*\(|__import__\s*\(\s*['"]os['"]\s*\)|\beval\s*\(\s*(?:base64_decode|atob|compile)|\bexec\s*\(\s*(?:base64|compile|__import__)|\bchild_process\b|\bruntime\.getruntime\(\)\.exec`,
    { tool: 0.2, anchors: 'os subprocess import eval exec child runtime' },
  ),
  rule(
    'tool_misuse',
    'run_this',
    0.4,
    rx`(?:^|[.!?\n:]\s*|\b(?:please|now|immediately|then|and|just|go\s+ahead\s+and|i\s+need\s+you\s+to|you\s+(?:must|should|will))\s+)(?:run|execute|exec|eval(?:uate)?|invoke)\s+(?:the\s+following|this|these|that|those|the\s+below|the\s+above|the\s+(?=command|script|code|payload|snippet|one-?liner))\s*(?:[a-z]+\s+){0,2}?(?:${CODE}\s*)?(?::|\bfor\s+me\b|\bon\s+(?:the|your|this)\s+(?:server|machine|system|host|shell|terminal)|\bin\s+(?:your|the)\s+(?:shell|terminal|sandbox|environment|code\s+interpreter|python)|\b(?:against|on)\s+(?:the\s+)?(?:prod|production|live)\b|\bnow\b|\bimmediately\b|\bwithout\b|[.!,\`'"]|\n|$)|(?:^|[.!?\n,]\s*|\b(?:please|now|immediately|just|and|then)\s+)(?:run|execute)(?=\s*:\s*(?![a-z_][a-z0-9_]*\s*[,)])\S|\s*[\`'"][^\`'"\n]{2,200}[\`'"])`,
    { tool: 0.2, group: 'run', anchors: 'run execute exec eval evaluate invoke' },
  ),
  rule(
    'tool_misuse',
    'without_confirmation',
    0.3,
    rx`\b(?:without\s+(?:first\s+)?(?:asking|asking\s+(?:me|the\s+user|anyone)|confirmation|confirming|user\s+confirmation|approval|permission|verification|review|checking|telling\s+(?:me|the\s+user|anyone))|no\s+(?:confirmation|approval|review)\s+(?:needed|required)|no\s+need\s+to\s+(?:check|ask|confirm|verify)|(?:don't|do\s+not)\s+(?:ask|check\s+with|confirm\s+with|wait\s+for)\s+(?:me|the\s+user|anyone|permission|approval))\b`,
    { tool: 0.45, anchors: 'without no don do' },
  ),
  rule(
    'tool_misuse',
    'shutdown_now',
    0.3,
    rx`\b(?:shutdown|poweroff|halt|reboot)\s+(?:-[hrp]\s+)?now\b|\bshutdown\s+\/[sr]\b`,
    { tool: 0.2, anchors: 'shutdown poweroff halt reboot' },
  ),
  rule(
    'tool_misuse',
    'use_tool_to_harm',
    0.55,
    rx`\b(?:use|using|with)\s+(?:your|the)\s+(?:[a-z_]+\s+)?(?:tool|terminal|shell|code\s+interpreter|interpreter|browser|function|plugin|file\s*system|bash|command\s+line|api\s+access|sandbox|computer|email\s+(?:tool|access|client))\s+(?:[a-z]+\s+)?to\s+(?:delete|remove|wipe|erase|transfer|grant|overwrite|purchase|buy|pay|disable|kill|drop|exfiltrate|format|destroy|encrypt|leak|send\s+(?:the|all|my|your|every)\s+(?:[a-z]+\s+)?(?:keys?|secrets?|passwords?|credentials|files|data|conversation|emails?)|run\s+rm|execute\s+rm)\b`,
    { tool: 0.75, anchors: 'use using with' },
  ),
  rule(
    'tool_misuse',
    'use_tool_to_run',
    0.3,
    rx`\b(?:use|using)\s+(?:your|the|its)\s+(?:[a-z_]+\s+){0,2}(?:tool|terminal|shell|interpreter|bash|command\s+line|sandbox|computer|integration)\s*(?:,\s*|\s+to\s+)(?:run|execute|exec)\b`,
    { tool: 0.5, group: 'run', anchors: 'use using' },
  ),
  rule(
    'tool_misuse',
    'destroy_everything',
    0.45,
    rx`\b(?<!\b(?:will|would|to|which|that|it|this|can|could|may|might|also|then)\s+)(?:delete|drop|wipe|erase|destroy|remove|purge|truncate|nuke)\s+(?:all|every|each|the\s+entire|the\s+whole|all\s+(?:of\s+)?the|everything\s+in|the\s+production|the\s+prod|all\s+(?:of\s+)?(?:my|our|your|their|the\s+user's))\s+(?:[a-z]+\s+)?(?:files?|data|database|databases|db|records?|tables?|users?|accounts?|emails?|messages?|repos?(?:itor(?:y|ies))?|backups?|logs?|documents?|folders?|directories|customers?|contacts|projects?|branches|commits|buckets?|servers?|instances|vms|containers|resources|events)\b`,
    {
      tool: 0.55,
      anchors: 'delete drop wipe erase destroy remove purge truncate nuke',
      group: 'destroy',
    },
  ),
  rule(
    'tool_misuse',
    'call_function_with_args',
    0.45,
    rx`\b(?:call|invoke|run|execute|trigger|use)\s+(?:the\s+)?[\`'"]?[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?[\`'"]?\s+(?:tool|function|action|api|endpoint|method|command|plugin)\s+with\s+(?:the\s+)?(?:following\s+)?(?:arguments?|args|parameters?|params|inputs?|payload|values?|command)\b`,
    { tool: 0.45, group: 'call', anchors: 'call invoke run execute trigger use' },
  ),
  rule(
    'tool_misuse',
    'call_dangerous_function',
    0.6,
    rx`\b(?:call|invoke|execute|trigger|use)\s+(?:the\s+)?[\`'"]?(?:send_\w+|delete_\w+|transfer\w*|exec\w*|shell\w*|run_(?:command|shell|script|code)\w*|email\w*|post_\w+|grant\w*|wire\w*|pay\w*|refund\w*|withdraw\w*|remove_\w+|drop_\w+|purchase\w*|buy_\w+|cancel_\w+|create_user|update_permissions|write_file)[\`'"]?\s*(?:\(\s*[a-z_]+\s*=|\(\s*["'\d]|\s+(?:(?:tool|function|api|endpoint|action|method|command|plugin)\s+)?with\s+(?:the\s+)?(?:arguments?\s+|args\s+|parameters?\s+)?[a-z_]+\s*=\s*\S)`,
    { tool: 0.6, group: 'call', anchors: 'call invoke execute trigger use' },
  ),
  rule(
    'tool_misuse',
    'forged_tool_call',
    0.35,
    rx`<tool_call>|<function_call>|<function_calls>|<invoke\s+name=|"tool_calls"\s*:|"function_call"\s*:\s*\{|<\|tool_call\|>|\{\s*"name"\s*:\s*"[a-z_]+"\s*,\s*"(?:arguments|parameters)"\s*:`,
    {
      tool: 0.55,
      anchors: '=<tool =<function =<invoke ="tool_calls ="function_call =<|tool ="name',
    },
  ),
  rule(
    'tool_misuse',
    'move_money',
    0.5,
    rx`\b(?:(?:make|execute|initiate|do|process|perform)\s+a\s+(?:transfer|payment|wire|withdrawal)\s+of|transfer|send|wire|pay|move)\s+(?:\$|€|£)?\s?\d[\d,.]*\s*(?:k|m)?\s*(?:usd|dollars|eur|euros|gbp|btc|bitcoin|eth|ether|usdt|usdc)?\s+(?:from\s+[^.\n]{1,40}?\s+)?to\s+(?:(?:the\s+|this\s+)?(?:account|wallet|iban|address)|the\s+following|(?:bc1|0x)[a-z0-9]{10,}|[a-z]{2}\d{2}[a-z0-9]{10,})`,
    { tool: 0.75, anchors: 'transfer send wire pay move make execute initiate do process perform' },
  ),
  rule(
    'tool_misuse',
    'grant_access',
    0.45,
    rx`\b(?:grant|give|add|assign|elevate)\s+(?:[a-z@._-]+\s+){0,3}?(?:admin|administrator|root|owner|superuser|full|elevated|write)\s+(?:access|privileges|permissions|rights|role)\s+(?:to|for)\b`,
    { tool: 0.35, anchors: 'grant give add assign elevate' },
  ),
  rule(
    'tool_misuse',
    'disable_security',
    0.35,
    rx`\b(?:disable|turn\s+off|deactivate|bypass|remove)\s+(?:the\s+)?(?:2fa|mfa|two-factor(?:\s+authentication)?|firewall|antivirus|audit\s+log(?:ging)?|logging|(?:ci\s+)?security\s+(?:checks|alerts|monitoring|scans?|scanning)|code\s+scanning|branch\s+protection|authentication)\b`,
    { tool: 0.45, anchors: 'disable turn deactivate bypass remove' },
  ),
  rule(
    'tool_misuse',
    'auto_approve',
    0.5,
    rx`\b(?:approve|merge|accept|confirm|authori[sz]e|sign|execute)\s+(?:this|the|all)\s+(?:pull\s+request|pr|transaction|payment|transfer|purchase|invoice|request|changes|order)s?\s+(?:automatically|immediately|right\s+away|now|without\s+(?:review|checking|asking|confirmation|approval|verification))`,
    { tool: 0.75, anchors: 'approve merge accept confirm authorize authorise sign execute' },
  ),
  rule(
    'tool_misuse',
    'call_snake_case_action',
    0.35,
    rx`\b(?:call|invoke|run|execute|trigger|use)\s+(?:the\s+)?[\`'"]?[a-z]+_[a-z0-9_]+[\`'"]?\s*(?:\(|\s+(?:tool|function|action|api|endpoint|method|command)\b|\s+with\b)`,
    { tool: 0.3, group: 'call', anchors: 'call invoke run execute trigger use' },
  ),
  rule(
    'tool_misuse',
    'mass_action',
    0.25,
    rx`\b(?:for|on|to|from)\s+(?:every|each|all(?:\s+(?:of\s+)?the)?)\s+(?:[a-z]+\s+)?(?:orders?|users?|accounts?|customers?|records?|emails?|contacts?|repos?|repositories|employees?|members?|rows?|tables?|servers?)\s+(?:in|on|of)\s+(?:the|this|our|my|your)\s+(?:system|database|db|organi[sz]ation|org|company|account|workspace|server|production|platform)\b`,
    { tool: 0.35, anchors: 'every each all' },
  ),
  rule(
    'tool_misuse',
    'destroy_critical',
    0.55,
    rx`\b(?<!\b(?:will|would|to|which|that|it|this|can|could|may|might|also|then)\s+)(?:delete|drop|wipe|erase|destroy|remove|purge|truncate|nuke)\s+(?:all|every|each|the\s+entire|the\s+whole|all\s+(?:of\s+)?the|everything\s+in)\s+(?:[a-z]+\s+)?(?:repos?(?:itor(?:y|ies))?|databases?|production\s+\w+|prod\s+\w+|backups?|customer\s+\w+|user\s+accounts|accounts)\b[^.\n]{0,40}?\b(?:in|on|from|of)\s+(?:the|this|our|my|your)\s+(?:organi[sz]ation|org|company|account|server|cluster|system|production|workspace|database)\b`,
    {
      tool: 0.75,
      group: 'destroy',
      anchors: 'delete drop wipe erase destroy remove purge truncate nuke',
    },
  ),
  rule(
    'tool_misuse',
    'persistence',
    0.5,
    rx`\b(?:add|append|write|insert|put|install|copy)\b[^.\n]{0,60}?(?:authorized_keys|\.bashrc|\.zshrc|\.profile|crontab|cron\s+job|launchagents?|startup\s+folder|run\s+key|systemd\s+(?:unit|service))\b`,
    { tool: 0.7, anchors: 'add append write insert put install copy' },
  ),
  rule(
    'tool_misuse',
    'download_and_run',
    0.45,
    rx`\b(?:curl|wget|iwr|invoke-webrequest)\b[^\n]{0,200}?(?:&&|;|\|)\s*(?:sudo\s+)?(?:chmod\s+\+x|\.\/|\/tmp\/|start-process|powershell)`,
    { tool: 0.35, anchors: 'curl wget iwr invoke' },
  ),
  rule(
    'tool_misuse',
    'http_delete',
    0.35,
    rx`\bcurl\s+(?:-[a-z]+\s+)*-x\s*delete\b|\bhttp\s+delete\s+https?:`,
    { tool: 0.25, anchors: 'curl http' },
  ),
  rule(
    'tool_misuse',
    'mass_message',
    0.4,
    rx`(?:^|[.!?:;\n]\s*|\b(?:please|and|then|now|also|to)\s+)(?:send|email|text|message|post|dm|notify)\b[^.\n]{0,80}?\bto\s+(?:every|each|all(?:\s+(?:of\s+)?(?:the|our|my|your))?)\s+(?:[a-z]+\s+)?(?:customers?|users?|contacts?|employees?|members?|subscribers?|recipients?|staff|followers)\b`,
    { tool: 0.6, anchors: 'send email text message post dm' },
  ),
  rule(
    'tool_misuse',
    'account_takeover',
    0.45,
    rx`\bchange\s+(?:the\s+)?(?:owner|admin|account|recovery|billing|primary|login)?\s*(?:email|password|phone\s+number|owner|contact)\s+(?:address\s+)?(?:of\s+[^.\n]{1,40}?\s+)?(?:to|into)\s+\S+`,
    { tool: 0.65, anchors: 'change' },
  ),
  rule(
    'tool_misuse',
    'destructive_git',
    0.3,
    rx`\bgit\s+push\s+(?:[^\n]{0,30}\s)?(?:--force\b|-f\b)|\bgit\s+reset\s+--hard\b|\bgit\s+clean\s+-[a-z]*f|\bgit\s+branch\s+-d\s+(?:main|master)\b`,
    { tool: 0.3, anchors: 'git' },
  ),
  rule(
    'tool_misuse',
    'must_run_command',
    0.3,
    rx`\b(?:must|should|shall|need\s+to|are\s+required\s+to)\s+(?:now\s+|also\s+|first\s+|immediately\s+)?(?:execute|run)\s+[\u0060'"]`,
    { tool: 0.45, group: 'run', anchors: 'must should shall need required' },
  ),
  rule(
    'tool_misuse',
    'destroy_production',
    0.5,
    rx`\b(?<!\b(?:will|would|to|which|that|it|this|can|could|may|might|also|then)\s+)(?:delete|drop|wipe|erase|destroy|purge|truncate|nuke|reset)\s+(?:the\s+|our\s+|your\s+)?(?:production|prod|live|main|primary)\s+(?:database|db|cluster|server|servers|environment|bucket|data|tables?|repo|repository)\b`,
    {
      tool: 0.6,
      group: 'destroy',
      anchors: 'delete drop wipe erase destroy purge truncate nuke reset',
    },
  ),
  rule(
    'tool_misuse',
    'cover_tracks',
    0.45,
    rx`\b(?:delete|erase|wipe|clear|purge|remove|disable|tamper\s+with)\s+(?:the\s+|all\s+)?(?:audit\s+(?:trail|logs?)|access\s+logs?|security\s+logs?|event\s+logs?|login\s+history|bash\s+history|traces)\b`,
    { tool: 0.55, anchors: 'delete erase wipe clear purge remove disable tamper' },
  ),
  rule(
    'tool_misuse',
    'sql_privilege',
    0.45,
    rx`\bupdate\s+\w+\s+set\s+(?:role|is_admin|admin|is_superuser|permissions?|privileges?|access_level)\s*=\s*'?(?:admin|true|1|superuser|root|owner)\b|\bgrant\s+all\s+privileges\b`,
    { tool: 0.45, anchors: 'update grant' },
  ),
];
