import type { PiiDevSnippet } from './pii-dev-labels';
import { email, phone, iban, ssn, secret } from './pii-dev-labels';

/** Development snippets for the PII detector: others (see pii-dev-labels.ts). */
export const DEV_OTHERS: readonly PiiDevSnippet[] = [
  // --- Emails, IBANs, SSNs and secrets ---
  {
    context: 'chat',
    text: 'Please transfer to IBAN GB29 NWBK 6016 1331 9268 19, reference INV-20931.',
    pii: [iban('GB29 NWBK 6016 1331 9268 19')],
  },
  {
    context: 'invoice',
    text: 'Bankverbindung: Commerzbank\nIBAN: DE89 3704 0044 0532 0130 00\nBIC: COBADEFFXXX\nUSt-IdNr. DE123456789',
    pii: [iban('DE89 3704 0044 0532 0130 00')],
  },
  {
    context: 'email',
    text: 'Voici mon RIB : FR14 2004 1010 0505 0001 3M02 606 (BNP, agence Opéra).',
    pii: [iban('FR14 2004 1010 0505 0001 3M02 606')],
  },
  {
    context: 'server log',
    text: 'sepa.mandate.create iban=ES9121000418450200051332 creditor_id=ES12ZZZ12345678 status=PENDING',
    pii: [iban('ES9121000418450200051332')],
  },
  {
    context: 'csv',
    text: 'supplier,iban,terms\nBrouwerij Vos,BE68539007547034,30d\nHelvetia Parts,CH80 0076 2011 6238 5295,45d\nDublin Print,IE29AIBK93115212345678,14d',
    pii: [
      iban('BE68539007547034'),
      // 'CH80 0076 2011 6238 5295' has 20 characters, a Swiss IBAN 21: not a valid IBAN.
      iban('IE29AIBK93115212345678'),
    ],
  },
  {
    context: 'chat',
    text: 'my iban is GB86BARC20035312345678 and sort code 20-03-53 if you need it',
    pii: [iban('GB86BARC20035312345678')],
  },
  {
    context: 'form',
    text: 'Social Security Number: 412-67-3098\nDate of birth: 07/22/1979\nFiling status: Single',
    pii: [ssn('412-67-3098')],
  },
  {
    context: 'csv',
    text: 'emp_id,name,ssn,start_date\nE1021,Kim Lee,219-48-6620,2021-06-01\nE1022,Raj Patel,387-10-4452,2022-01-17',
    pii: [ssn('219-48-6620'), ssn('387-10-4452')],
  },
  {
    context: 'chat',
    text: 'my ssn is 501 33 7284 do you need my dob too?',
    pii: [ssn('501 33 7284')],
  },
  {
    context: 'server log',
    text: 'kyc.verify ssn=623451987 dob=1985-02-11 result=MATCH score=0.97',
    pii: [ssn('623451987')],
  },
  {
    context: 'medical intake',
    text: 'Patient: Dolores Reyes\nSSN: 078-12-3344\nInsurance ID: BCX884213377\nPrimary phone: (505) 555-0181\nReason for visit: follow-up, knee pain 6/10 since 02/2024\nMeds: ibuprofen 400 mg 2-3x daily\nLast visit: 11/14/2023, Room 3B\nReferred by: Dr. K. Osei',
    pii: [ssn('078-12-3344'), phone('(505) 555-0181')],
  },
  {
    context: 'support ticket',
    text: 'Caller verified identity with last four of SSN (3098) and ZIP 94107; full SSN 345-81-2290 was then read out by the caller — please purge the recording.',
    pii: [ssn('345-81-2290')],
  },
  {
    context: 'config',
    text: 'OPENAI_API_KEY=sk-proj-4fT9qLm2Xv8RzK1nWb7YcJ3dHs6PuE0aGiQoVt5N\nLOG_LEVEL=info',
    pii: [secret('sk-proj-4fT9qLm2Xv8RzK1nWb7YcJ3dHs6PuE0aGiQoVt5N')],
  },
  {
    context: 'config',
    text: '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = eu-west-1',
    pii: [secret('AKIAIOSFODNN7EXAMPLE'), secret('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')],
  },
  {
    context: 'code',
    text: 'git clone https://ghp_8kZq2Lm5Rt7Xw1Yb4Nc6Vd9Fh3Js0Pa2QeUo@github.com/acme/infra.git',
    pii: [secret('ghp_8kZq2Lm5Rt7Xw1Yb4Nc6Vd9Fh3Js0Pa2QeUo')],
  },
  {
    context: 'config',
    text: 'SLACK_BOT_TOKEN=xoxb-2841937465-5123908746123-Zq8LmR2tXv4NbY7cKw1JdHs9',
    pii: [secret('xoxb-2841937465-5123908746123-Zq8LmR2tXv4NbY7cKw1JdHs9')],
  },
  {
    context: 'http headers',
    text: 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    pii: [
      secret(
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      ),
    ],
  },
  {
    context: 'http headers',
    text: 'x-api-key: sk-ant-api03-Xk9Lm2Qr7Tz4Vb8Nc1Wd6Yf3Hg5Js0Pa-Ke7RtUoIqAzMs4Dx\nanthropic-version: 2023-06-01',
    pii: [secret('sk-ant-api03-Xk9Lm2Qr7Tz4Vb8Nc1Wd6Yf3Hg5Js0Pa-Ke7RtUoIqAzMs4Dx')],
  },
  {
    context: 'email',
    text: 'Hi Marco, the invoice went to billing@acme-corp.example but please cc marco.bianchi@example.it next time.',
    pii: [email('billing@acme-corp.example'), email('marco.bianchi@example.it')],
  },
  {
    context: 'chat',
    text: 'send it to jess.t+orders@example.net thx',
    pii: [email('jess.t+orders@example.net')],
  },
  // --- Other look-alikes (no PII) ---
  {
    context: 'config',
    text: '# Set your key in .env, e.g. OPENAI_API_KEY=sk-...\nexport GITHUB_TOKEN=<your token here>',
    pii: [],
  },
  { context: 'chat', text: 'the last four of my card are 4242 and my zip is 94107', pii: [] },
];
