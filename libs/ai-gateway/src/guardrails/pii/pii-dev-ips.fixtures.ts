import type { PiiDevSnippet } from './pii-dev-labels';
import { email, phone, ip } from './pii-dev-labels';

/** Development snippets for the PII detector: ips (see pii-dev-labels.ts). */
export const DEV_IPS: readonly PiiDevSnippet[] = [
  // --- IP addresses ---
  {
    context: 'server log',
    text: '203.0.113.42 - - [15/Mar/2024:10:12:01 +0000] "POST /v1/chat/completions HTTP/1.1" 200 1532 "-" "python-requests/2.31.0"',
    pii: [ip('203.0.113.42')],
  },
  {
    context: 'server log',
    text: '2024/03/15 10:14:22 [error] 2931#2931: *118 connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.23, server: api.example.com, upstream: "http://10.0.3.17:8080/v1/chat"',
    pii: [ip('198.51.100.23'), ip('10.0.3.17')],
  },
  {
    context: 'firewall rule',
    text: 'iptables -A INPUT -s 192.0.2.77 -p tcp --dport 22 -j DROP',
    pii: [ip('192.0.2.77')],
  },
  {
    context: 'email',
    text: 'Hi IT, my IP is 81.2.69.160 — can you whitelist it for the VPN? Thanks, Priya (mobile +44 7700 900561)',
    pii: [ip('81.2.69.160'), phone('+44 7700 900561')],
  },
  {
    context: 'config',
    text: 'database:\n  host: 10.20.30.40\n  port: 5432\n  pool: 20\n  timeout: 30s',
    pii: [ip('10.20.30.40')],
  },
  {
    context: 'server log',
    text: 'Mar 15 10:12:01 bastion sshd[4412]: Accepted publickey for deploy from 2001:db8:85a3::8a2e:370:7334 port 52144 ssh2',
    pii: [ip('2001:db8:85a3::8a2e:370:7334')],
  },
  {
    context: 'server log',
    text: 'client_ip=2001:0db8:0000:0000:0000:ff00:0042:8329 geo=DE asn=3320 rtt_ms=41',
    pii: [ip('2001:0db8:0000:0000:0000:ff00:0042:8329')],
  },
  {
    context: 'server log',
    text: 'eth0: inet6 fe80::1ff:fe23:4567:890a prefixlen 64 scopeid 0x20<link>',
    pii: [ip('fe80::1ff:fe23:4567:890a')],
  },
  {
    context: 'http headers',
    text: 'X-Forwarded-For: 203.0.113.195, 70.41.3.18, 150.172.238.178\nX-Request-Id: 3f6c2a1e',
    pii: [ip('203.0.113.195'), ip('70.41.3.18'), ip('150.172.238.178')],
  },
  {
    context: 'json',
    text: '{"event":"login","ip":"172.16.254.1","ua":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.6099.109","ok":true}',
    pii: [ip('172.16.254.1')],
  },
  {
    context: 'email',
    text: 'New sign-in to your account from 185.199.108.153 (Frankfurt, DE) using Chrome 122.0.6261.94 on Windows.',
    pii: [ip('185.199.108.153')],
  },
  {
    context: 'server log',
    text: '2024-03-15 03:11:45,901 fail2ban.actions [812]: NOTICE [sshd] Ban 45.33.32.156',
    pii: [ip('45.33.32.156')],
  },
  {
    context: 'server log',
    text: '[Fri Mar 15 10:12:01.332 2024] [authz_core:error] [pid 4412] [client 192.168.1.54:61234] AH01630: client denied by server configuration',
    pii: [ip('192.168.1.54')],
  },
  {
    context: 'server log',
    text: 'upstream connect to [2001:db8::17]:443 timed out after 5000ms (attempt 3/3)',
    pii: [ip('2001:db8::17')],
  },
  {
    context: 'config',
    text: 'Host bastion\n  HostName 198.51.100.10\n  User ops\n  Port 2222\n  IdentityFile ~/.ssh/id_ed25519',
    pii: [ip('198.51.100.10')],
  },
  {
    context: 'config',
    text: '10.0.0.12   db-primary.internal\n10.0.0.13   db-replica.internal',
    pii: [ip('10.0.0.12'), ip('10.0.0.13')],
  },
  {
    context: 'support ticket',
    text: 'User reports being blocked; their public IP according to whatismyip is 100.64.12.7 (CGNAT?). Callback: +1 720 555 0159. Ticket 2024031500042.',
    pii: [ip('100.64.12.7'), phone('+1 720 555 0159')],
  },
  {
    context: 'chat',
    text: "can u add 203.0.113.8 to the allowlist pls, it's my home connection",
    pii: [ip('203.0.113.8')],
  },
  {
    context: 'server log',
    text: 'Pod api-7d9f8b6c5-x2k4q  IP: 10.244.1.37  Node: worker-2/10.0.1.12  Restarts: 3',
    pii: [ip('10.244.1.37'), ip('10.0.1.12')],
  },
  {
    context: 'code',
    text: 'ingress {\n  from_port   = 443\n  to_port     = 443\n  protocol    = "tcp"\n  cidr_blocks = ["198.51.100.25/32"]\n}',
    pii: [ip('198.51.100.25')],
  },
  {
    context: 'config',
    text: 'api.example.com. 300 IN A 93.184.216.34\napi.example.com. 300 IN AAAA 2606:2800:220:1:248:1893:25c8:1946',
    pii: [ip('93.184.216.34'), ip('2606:2800:220:1:248:1893:25c8:1946')],
  },
  {
    context: 'email',
    text: 'Received: from mail.example.org ([192.0.2.55]) by mx.example.net with ESMTPS id 4TwXyZ1k2Lz; Fri, 15 Mar 2024 10:12:01 +0000',
    pii: [ip('192.0.2.55')],
  },
  {
    context: 'server log',
    text: 'traceroute to example.net\n 3  62.115.44.1  12.4 ms  11.9 ms  12.1 ms\n 4  62.115.123.9  14.0 ms  13.8 ms  13.7 ms',
    pii: [ip('62.115.44.1'), ip('62.115.123.9')],
  },
  {
    context: 'server log',
    text: 'audit: admin j.ng@example.com changed role for user 88213 from 198.51.100.200',
    pii: [email('j.ng@example.com'), ip('198.51.100.200')],
  },
  {
    context: 'config',
    text: 'location /admin {\n  allow 192.0.2.15;\n  deny all;\n}',
    pii: [ip('192.0.2.15')],
  },
  {
    context: 'meeting notes',
    text: 'Vendor VPN endpoint is 203.0.113.250, tunnel uses IKEv2, PSK stored in the vault (not here). On-call: +31 6 2345 6789.',
    pii: [ip('203.0.113.250'), phone('+31 6 2345 6789')],
  },
  {
    context: 'csv',
    text: 'timestamp,src_ip,dst_port,action\n2024-03-15T10:00:01Z,198.51.100.14,443,ALLOW\n2024-03-15T10:00:02Z,192.0.2.201,22,DENY',
    pii: [ip('198.51.100.14'), ip('192.0.2.201')],
  },
  {
    context: 'json',
    text: '{"remote_addr":"2a00:1450:4001:82b::200e","status":200,"bytes":5120}',
    pii: [ip('2a00:1450:4001:82b::200e')],
  },
  {
    context: 'code',
    text: "ALLOWED_HOSTS = ['10.0.0.5', 'api.internal', 'localhost']",
    pii: [ip('10.0.0.5')],
  },
  {
    context: 'support ticket',
    text: 'Login attempts from 203.0.113.66 and 2001:db8:abcd:12::5 within 2 minutes; account 88213 locked; owner alerted by SMS at +49 170 1234567.',
    pii: [ip('203.0.113.66'), ip('2001:db8:abcd:12::5'), phone('+49 170 1234567')],
  },
  // --- IP look-alikes (no PII) ---
  {
    context: 'email',
    text: 'Updated to version 1.2.3.4 of the SDK; release notes attached.',
    pii: [],
  },
  {
    context: 'chat',
    text: 'firmware v2.10.0.1 fixes the Wi-Fi dropouts, v2.10.0.0 was pulled',
    pii: [],
  },
  {
    context: 'http headers',
    text: 'User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36',
    pii: [],
  },
  {
    context: 'code',
    text: 'snmpget -v2c -c public switch01 1.3.6.1.2.1.1.3.0\n# enterprise OID 1.3.6.1.4.1.311.21.7',
    pii: [],
  },
  {
    context: 'email',
    text: 'See section 3.2.1.4 of the contract and clause 12.4.1 of Schedule 2.',
    pii: [],
  },
  {
    context: 'meeting notes',
    text: 'Release 2024.03.15 ships Monday; next cut 2024.04.01.',
    pii: [],
  },
  {
    context: 'code',
    text: 'bumped lodash 4.17.21 -> 4.17.22, react 18.2.0 -> 18.3.1, typescript 5.4.2',
    pii: [],
  },
  {
    context: 'support ticket',
    text: 'OS: Windows 10.0.19045.3693, Office 16.0.17328.20162',
    pii: [],
  },
  {
    context: 'code',
    text: '[assembly: AssemblyVersion("4.0.30319.42000")]\n// Version=6.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089',
    pii: [],
  },
  {
    context: 'code',
    text: 'std::vector<int>::iterator it = v.begin();\nns::detail::flush();',
    pii: [],
  },
  {
    context: 'support ticket',
    text: 'Crash on Edge 122.0.2365.92 / Electron 28.2.7.0, repro 3/5 times',
    pii: [],
  },
  {
    context: 'ci log',
    text: 'build 10.4.2.118 promoted to staging; build 10.4.2.119 failed lint',
    pii: [],
  },
  {
    context: 'server log',
    text: '12:30:45.118 worker started; 12:30:46.002 ready; uptime 00:00:00:01',
    pii: [],
  },
  {
    context: 'json',
    text: '{"name":"@acme/gateway","version":"3.14.159","engines":{"node":">=20.11.0"}}',
    pii: [],
  },
  {
    context: 'email',
    text: 'Product codes 2.0.1.255 and 4.4.4.4-B are discontinued as of 2024-03-31.',
    pii: [],
  },
];
