/**
 * Labelled development snippets for tuning the PII detector.
 *
 * Written independently for tuning; NOT the frozen held-out set (bench/guardrails/heldout/).
 * Conventions:
 * - every `value` is an exact substring of `text`, listed once per occurrence, in order;
 * - phone values exclude extensions ("ext. 12", "x204", "poste 3") and URI prefixes ("tel:");
 * - IP values exclude ports and CIDR suffixes; IPv6 values exclude surrounding brackets;
 * - card numbers are Luhn-valid and IBANs pass mod-97; masked / last-4 card mentions are not PII;
 * - ids, dates, versions, OIDs, order / tracking numbers are deliberately unlabelled look-alikes.
 */

/** A labelled development snippet for the PII detector (written for tuning, not the held-out set). */
export interface PiiDevSnippet {
  /** Where the text comes from, e.g. 'sms', 'csv', 'server log', 'resume', 'invoice'. */
  context: string;
  text: string;
  pii: Array<{
    type: 'email' | 'phone' | 'card' | 'iban' | 'ssn' | 'ip' | 'secret';
    value: string;
  }>;
}

type PiiLabel = PiiDevSnippet['pii'][number];

// Small label builders keep the table compact; the exported data is plain objects.
const email = (value: string): PiiLabel => ({ type: 'email', value });
const phone = (value: string): PiiLabel => ({ type: 'phone', value });
const card = (value: string): PiiLabel => ({ type: 'card', value });
const iban = (value: string): PiiLabel => ({ type: 'iban', value });
const ssn = (value: string): PiiLabel => ({ type: 'ssn', value });
const ip = (value: string): PiiLabel => ({ type: 'ip', value });
const secret = (value: string): PiiLabel => ({ type: 'secret', value });

export const PII_DEV_SNIPPETS: readonly PiiDevSnippet[] = [
  // --- Phones ---
  { context: 'sms', text: 'ring 0117 496 0852', pii: [phone('0117 496 0852')] },
  {
    context: 'sms',
    text: "Running 10 min late, call me on 07700 900123 if the door's locked",
    pii: [phone('07700 900123')],
  },
  {
    context: 'email',
    text: 'Best regards,\nHannah Whitfield\nSenior Account Manager | Northwind Traders\nT: +44 20 7946 0958\nM: +44 7700 900456\nhannah.whitfield@northwind.example',
    pii: [
      phone('+44 20 7946 0958'),
      phone('+44 7700 900456'),
      email('hannah.whitfield@northwind.example'),
    ],
  },
  {
    context: 'email',
    text: 'Mit freundlichen Grüßen\nJonas Becker\nVertrieb Nord\nTel. +49 30 901820\nFax: +49 30 901821',
    pii: [phone('+49 30 901820'), phone('+49 30 901821')],
  },
  {
    context: 'form',
    text: 'Telefon (Festnetz): 030 1234567 | Mobil: 0171 2345678 | PLZ: 10115',
    pii: [phone('030 1234567'), phone('0171 2345678')],
  },
  {
    context: 'chat',
    text: 'Vous pouvez joindre notre agence au +33 1 42 68 53 00 du lundi au vendredi, 9h-18h.',
    pii: [phone('+33 1 42 68 53 00')],
  },
  {
    context: 'sms',
    text: "Salut, c'est Camille ! Mon nouveau numéro : 06 12 34 56 78, tu peux supprimer l'ancien.",
    pii: [phone('06 12 34 56 78')],
  },
  {
    context: 'support ticket',
    text: 'Customer is based in Tokyo; preferred callback number +81 3-1234-5678 (JST business hours only). Order ref JP-220931.',
    pii: [phone('+81 3-1234-5678')],
  },
  {
    context: 'resume',
    text: 'RAHUL MEHTA\nBengaluru, India\nPhone: +91 98765 43210 | Email: rahul.mehta87@example.in\nB.Tech (2009-2013), 10+ years in backend engineering',
    pii: [phone('+91 98765 43210'), email('rahul.mehta87@example.in')],
  },
  {
    context: 'chat',
    text: 'me chama no zap +55 11 91234-5678 que eu te passo o endereço certinho',
    pii: [phone('+55 11 91234-5678')],
  },
  {
    context: 'invoice',
    text: 'Harbourside Plumbing Pty Ltd\nABN 51 824 753 556\nPh +61 2 9374 4000\nInvoice INV-20931 · Issued 15/03/2024 · Due 30/04/2024\nTotal AUD 1,848.00 incl. GST',
    pii: [phone('+61 2 9374 4000')],
  },
  {
    context: 'meeting notes',
    text: 'Beijing office dial-in: +86 10 6552 9988, ask reception for Mr. Zhao. Deck v4.2 to be shared before 14:00 CST.',
    pii: [phone('+86 10 6552 9988')],
  },
  {
    context: 'support ticket',
    text: 'Caller left a voicemail from +27 21 123 4567 about the failed debit order on 2024-03-01 (R 2 450,00).',
    pii: [phone('+27 21 123 4567')],
  },
  {
    context: 'form',
    text: 'Nombre: Lucía Fernández\nTeléfono de contacto: +34 912 345 678\nCódigo postal: 28013',
    pii: [phone('+34 912 345 678')],
  },
  {
    context: 'email',
    text: 'Per urgenze il centralino è +39 06 6982, altrimenti scrivetemi pure qui. Grazie, Giulia',
    pii: [phone('+39 06 6982')],
  },
  {
    context: 'chat',
    text: 'Перезвоните мне, пожалуйста: +7 495 123-45-67, я на связи до 19:00.',
    pii: [phone('+7 495 123-45-67')],
  },
  {
    context: 'crm note',
    text: 'Cliente solicita llamada al +52 55 1234 5678 después de las 4 pm. Pedido #MX-88213 pendiente.',
    pii: [phone('+52 55 1234 5678')],
  },
  {
    context: 'csv',
    text: 'branch,city,tel,mobile\nKR-01,Seoul,+82 2-312-3456,010-1234-5678\nKR-02,Busan,+82 51-123-4567,010-9876-5432',
    pii: [
      phone('+82 2-312-3456'),
      phone('010-1234-5678'),
      phone('+82 51-123-4567'),
      phone('010-9876-5432'),
    ],
  },
  {
    context: 'sms',
    text: 'Your driver Ahmad (SGX 1234 K) will arrive in 5 mins. Contact: +65 6123 4567',
    pii: [phone('+65 6123 4567')],
  },
  {
    context: 'email',
    text: 'Please dial 0044 20 7946 0773 if you are calling from outside the UK; lines open 08:00-18:00 GMT.',
    pii: [phone('0044 20 7946 0773')],
  },
  {
    context: 'support ticket',
    text: 'Reception: 020 7946 0321 (option 2 for billing). Customer says invoice 2024-0377 was paid twice.',
    pii: [phone('020 7946 0321')],
  },
  {
    context: 'sms',
    text: "text me on 0412 345 678 when you're outside, buzzer is broken",
    pii: [phone('0412 345 678')],
  },
  {
    context: 'email',
    text: 'Delhi office 011 2345 6789 / Mumbai +91-22-2345-6789 — both manned 10 am to 6 pm IST.',
    pii: [phone('011 2345 6789'), phone('+91-22-2345-6789')],
  },
  {
    context: 'web page',
    text: "Call our helpline at (415) 555-2671 or toll-free 1-800-555-0199. We're closed on public holidays.",
    pii: [phone('(415) 555-2671'), phone('1-800-555-0199')],
  },
  {
    context: 'support ticket',
    text: 'Customer callback: 415-555-2671. Issue: API key rotated on 03/12 but old key still authenticates.',
    pii: [phone('415-555-2671')],
  },
  {
    context: 'crm note',
    text: 'Contact Lisa at 415.555.2671 re: Q2 renewal (seats 40 → 55).',
    pii: [phone('415.555.2671')],
  },
  {
    context: 'email',
    text: 'Main line +1 (212) 555-0148 ext. 12 — ask for Dana in procurement.',
    pii: [phone('+1 (212) 555-0148')],
  },
  { context: 'email', text: 'Desk: 312-555-0190 x204 | Room 14-210', pii: [phone('312-555-0190')] },
  {
    context: 'vcard',
    text: 'BEGIN:VCARD\nVERSION:3.0\nFN:Maria Gonzalez\nORG:Acme Logistics\nTEL;TYPE=cell:+1-415-555-0132\nTEL;TYPE=work,voice:+1-415-555-0100\nEMAIL:maria.gonzalez@acme-logistics.example\nEND:VCARD',
    pii: [
      phone('+1-415-555-0132'),
      phone('+1-415-555-0100'),
      email('maria.gonzalez@acme-logistics.example'),
    ],
  },
  {
    context: 'vcard',
    text: 'BEGIN:VCARD\nVERSION:4.0\nFN:Oliver Grant\nTEL;VALUE=uri;TYPE="voice,home":tel:+44-161-496-0734\nREV:20240315T101200Z\nEND:VCARD',
    pii: [phone('+44-161-496-0734')],
  },
  {
    context: 'html',
    text: '<p>Questions? <a href="tel:+442079460958">+44 20 7946 0958</a></p>',
    pii: [phone('+442079460958'), phone('+44 20 7946 0958')],
  },
  {
    context: 'markdown',
    text: 'Need help setting up? [Call us](tel:+61-2-9374-4000) or open a ticket.',
    pii: [phone('+61-2-9374-4000')],
  },
  {
    context: 'csv',
    text: 'name,email,phone,city\nAnna Schmidt,anna.schmidt@example.de,+49 151 23456789,Berlin\nLuca Rossi,l.rossi@example.it,+39 347 123 4567,Roma\nSofia Almeida,,+351 21 123 4567,Lisboa',
    pii: [
      email('anna.schmidt@example.de'),
      phone('+49 151 23456789'),
      email('l.rossi@example.it'),
      phone('+39 347 123 4567'),
      phone('+351 21 123 4567'),
    ],
  },
  {
    context: 'csv',
    text: 'id,customer,mobile,created_at\n1042,J. Okafor,+234 803 123 4567,2024-03-15T09:21:44Z\n1043,W. Kamau,+254 712 345678,2024-03-15T09:25:02Z\n1044,M. Santos,+63 917 123 4567,2024-03-15T10:02:19Z',
    pii: [phone('+234 803 123 4567'), phone('+254 712 345678'), phone('+63 917 123 4567')],
  },
  {
    context: 'json',
    text: '{"user":{"id":88213,"name":"Pieter de Vries","phone":"+31 20 123 4567","locale":"nl-NL"}}',
    pii: [phone('+31 20 123 4567')],
  },
  {
    context: 'json',
    text: '{"contact": {"mobile": "+31612345678", "verified": true, "verified_at": 1710495704}}',
    pii: [phone('+31612345678')],
  },
  {
    context: 'resume',
    text: 'PERSONAL DETAILS\nPhone | +44 7700 900871\nEmail | k.osei@example.co.uk\nLocation | Manchester, UK\nNotice period | 4 weeks',
    pii: [phone('+44 7700 900871'), email('k.osei@example.co.uk')],
  },
  {
    context: 'server log',
    text: '2024-03-15T10:12:01.332Z INFO sms.send to=+447700900912 template=otp_login status=queued msg_id=7f3c2a10',
    pii: [phone('+447700900912')],
  },
  {
    context: 'server log',
    text: '[voice] inbound call from=+14165550134 to=+18885550142 duration=74s recording=false',
    pii: [phone('+14165550134'), phone('+18885550142')],
  },
  {
    context: 'support ticket',
    text: 'Numéro de rappel : 514-555-0112 poste 3. Le client attend depuis le 12 mars.',
    pii: [phone('514-555-0112')],
  },
  {
    context: 'email',
    text: 'Ring the surgery on +353 1 234 5678 or my mobile 087 123 4567 if the results come in.',
    pii: [phone('+353 1 234 5678'), phone('087 123 4567')],
  },
  {
    context: 'email',
    text: 'Freundliche Grüsse\nUrs Meier\nZentrale +41 44 668 18 00\nNatel 079 123 45 67',
    pii: [phone('+41 44 668 18 00'), phone('079 123 45 67')],
  },
  {
    context: 'sms',
    text: 'Ring mig på 070-123 45 67 eller kontoret +46 8 123 456 78 efter kl. 13.',
    pii: [phone('070-123 45 67'), phone('+46 8 123 456 78')],
  },
  {
    context: 'email',
    text: 'Telefon: +47 22 12 34 56 · Mobil: 912 34 567 · Org.nr. 923 609 016',
    pii: [phone('+47 22 12 34 56'), phone('912 34 567')],
  },
  {
    context: 'web page',
    text: 'Kontakt kundeservice på +45 33 12 34 56 (hverdage 8-16).',
    pii: [phone('+45 33 12 34 56')],
  },
  {
    context: 'email',
    text: 'Proszę o kontakt pod numerem 601 234 567 lub +48 22 123 45 67. NIP firmy w stopce.',
    pii: [phone('601 234 567'), phone('+48 22 123 45 67')],
  },
  {
    context: 'email',
    text: 'GSM: 0470 12 34 56 — Bureau: +32 2 123 45 67',
    pii: [phone('0470 12 34 56'), phone('+32 2 123 45 67')],
  },
  {
    context: 'sms',
    text: 'Erreichbar unter 0664 123 4567 oder im Büro +43 1 234 5678, LG Stefan',
    pii: [phone('0664 123 4567'), phone('+43 1 234 5678')],
  },
  {
    context: 'sms',
    text: 'Kia ora, flick me a text on 021 123 4567 or ring the office +64 9 123 4567.',
    pii: [phone('021 123 4567'), phone('+64 9 123 4567')],
  },
  {
    context: 'web page',
    text: '24-hour hotline +852 2123 4567 · Mobile concierge +852 9123 4567',
    pii: [phone('+852 2123 4567'), phone('+852 9123 4567')],
  },
  {
    context: 'chat',
    text: 'Dubai showroom +971 4 123 4567, WhatsApp 050 123 4567 for quick replies',
    pii: [phone('+971 4 123 4567'), phone('050 123 4567')],
  },
  {
    context: 'email',
    text: 'Tel Aviv office: +972 3-123-4567; my cell 054-123-4567.',
    pii: [phone('+972 3-123-4567'), phone('054-123-4567')],
  },
  {
    context: 'chat',
    text: 'Llamame al +54 9 11 2345-6789, el fijo es (011) 4123-4567',
    pii: [phone('+54 9 11 2345-6789'), phone('(011) 4123-4567')],
  },
  {
    context: 'web page',
    text: 'Rezervasyon için: +90 212 123 45 67 / 0532 123 45 67',
    pii: [phone('+90 212 123 45 67'), phone('0532 123 45 67')],
  },
  {
    context: 'sms',
    text: 'SCF7K2LM9P Confirmed. Ksh1,250.00 sent to JOHN MWANGI 0712 345 678 on 15/3/24 at 2:41 PM. New M-PESA balance is Ksh3,410.50.',
    pii: [phone('0712 345 678')],
  },
  {
    context: 'email',
    text: 'Landline (02) 8123 4567 · Globe 0917 812 3456',
    pii: [phone('(02) 8123 4567'), phone('0917 812 3456')],
  },
  {
    context: 'chat',
    text: 'WA: 0812-3456-7890 (fast respon), order min 12 pcs',
    pii: [phone('0812-3456-7890')],
  },
  {
    context: 'web page',
    text: 'Cairo office: +20 2 2345 6789 — Sunday to Thursday',
    pii: [phone('+20 2 2345 6789')],
  },
  {
    context: 'email',
    text: 'Με εκτίμηση,\nΝίκος Παπαδόπουλος\nΤηλ.: +30 21 0123 4567',
    pii: [phone('+30 21 0123 4567')],
  },
  {
    context: 'email',
    text: 'S pozdravem\nPetr Novák\nTel.: +420 234 567 890\nIČO: 27082440',
    pii: [phone('+420 234 567 890')],
  },
  {
    context: 'email',
    text: 'Fono: +56 2 2123 4567 · Cel: +56 9 8765 4321',
    pii: [phone('+56 2 2123 4567'), phone('+56 9 8765 4321')],
  },
  {
    context: 'form',
    text: 'Nombre completo: Andrés Restrepo\nCel. +57 310 123 4567\nCiudad: Medellín',
    pii: [phone('+57 310 123 4567')],
  },
  {
    context: 'email',
    text: "Mobile (JP): 090-1234-5678, office 03-5555-0123. I'll be in Osaka 3/18-3/22.",
    pii: [phone('090-1234-5678'), phone('03-5555-0123')],
  },
  {
    context: 'form',
    text: 'Telefone: (11) 3456-7890\nCEP: 01310-100\nCPF: informado separadamente',
    pii: [phone('(11) 3456-7890')],
  },
  {
    context: 'chat',
    text: 'Звоните: 8 (495) 123-45-67 или на мобильный +7 916 555 12 34',
    pii: [phone('8 (495) 123-45-67'), phone('+7 916 555 12 34')],
  },
  { context: 'form', text: '联系电话：138 0013 8000\n邮编：100027', pii: [phone('138 0013 8000')] },
  {
    context: 'email',
    text: 'Shanghai supplier contact: 0086 21 6321 8899 (Ms. Lin), MOQ 5,000 units',
    pii: [phone('0086 21 6321 8899')],
  },
  {
    context: 'sms',
    text: 'HP: 9123 4567 (Mr Tan). Collection at Blk 123 #04-56.',
    pii: [phone('9123 4567')],
  },
  {
    context: 'form',
    text: 'Móvil 612 34 56 78 · Fijo 0034 93 123 45 67',
    pii: [phone('612 34 56 78'), phone('0034 93 123 45 67')],
  },
  {
    context: 'chat',
    text: 'Bel me even op 06 12345678, dan regelen we het.',
    pii: [phone('06 12345678')],
  },
  {
    context: 'web page',
    text: 'Standard : 01.45.67.89.10 — Service client : 0033 4 91 23 45 67',
    pii: [phone('01.45.67.89.10'), phone('0033 4 91 23 45 67')],
  },
  {
    context: 'chat',
    text: 'pls call 9876543210 urgent, courier is at the gate',
    pii: [phone('9876543210')],
  },
  {
    context: 'server log',
    text: '2024-03-15 08:01:12 DEBUG notify.channel=sms phone=2125550123 account_id=4471098823 attempt=1',
    pii: [phone('2125550123')],
  },
  {
    context: 'json',
    text: '{"billing_phone":"+1 646 555 0177","shipping_phone":null,"postal_code":"10001"}',
    pii: [phone('+1 646 555 0177')],
  },
  {
    context: 'meeting notes',
    text: "Action items:\n- Priya to call vendor back on +91 80 4123 5678 re: SLA credits\n- Tom to send revised quote (v3.2) by 2024-03-22\n- Budget cap $45,000 (approved 12.03.2024, cost centre 4410-220)\n- Legal to review clause 7.2.1 of MSA v2.3 before signature\n- Next sync Thu 21/03 at 15:30 CET, room 4-127\n- Chidi: escalate if vendor doesn't reply by EOD",
    pii: [phone('+91 80 4123 5678')],
  },
  {
    context: 'medical intake',
    text: 'Emergency contact: Mark Lee (spouse) (312) 555-0174\nDOB: 04/11/1986\nAllergies: penicillin\nBP 128/82',
    pii: [phone('(312) 555-0174')],
  },
  {
    context: 'medical intake',
    text: 'Preferred pharmacy: Walgreens #05213, 773-555-0119\nPrescribing MD: Dr. Anita Rao, NPI 1245319599',
    pii: [phone('773-555-0119')],
  },
  {
    context: 'code',
    text: "export const SUPPORT_PHONE = '+1-800-555-0173';\nexport const SUPPORT_HOURS = '09:00-17:00';",
    pii: [phone('+1-800-555-0173')],
  },
  {
    context: 'code',
    text: 'DEFAULT_CALLBACK = "+44 20 7946 0102"  # London desk\nRETRY_SECONDS = 900',
    pii: [phone('+44 20 7946 0102')],
  },
  {
    context: 'email',
    text: '--\nDr. Elena Popescu\nDepartment of Chemistry, Room 2.14\nMob: +40 722 123 456 | Office +40 21 305 4600',
    pii: [phone('+40 722 123 456'), phone('+40 21 305 4600')],
  },
  {
    context: 'support ticket',
    text: 'Ticket #483920 — caller +1 416 555 0134 reports a duplicate charge on order 7781-2290-4411. Both charges posted 2024-03-14 at 18:02 and 18:03 for $89.99 each. Customer is on plan PRO-12, account created 2021-06-01, 3 prior tickets (all resolved). Asked for a refund to the original payment method and an email confirmation. SLA due 2024-03-16 09:00 UTC.',
    pii: [phone('+1 416 555 0134')],
  },
  {
    context: 'sms',
    text: 'Reply STOP to opt out or call 0800 046 1234. Msg ref 20240315-88.',
    pii: [phone('0800 046 1234')],
  },
  {
    context: 'voicemail transcript',
    text: "Hi, this is Greg from Pinecrest Dental confirming your appointment on March 18th at 2:30. Please call us back at 415-555-0156. Again, that's 415-555-0156. Thanks!",
    pii: [phone('415-555-0156'), phone('415-555-0156')],
  },
  {
    context: 'server log',
    text: '{"level":"warn","msg":"OTP delivery failed","recipient":"+5511987654321","carrier_code":30007,"ts":1710498111}',
    pii: [phone('+5511987654321')],
  },
  {
    context: 'csv',
    text: 'Name;Telefon;PLZ;Ort\nMüller, K.;+49 (0)89 2180 3001;80539;München\nWeber, L.;0221 9876543;50667;Köln',
    pii: [phone('+49 (0)89 2180 3001'), phone('0221 9876543')],
  },
  {
    context: 'resume',
    text: 'CONTACT\n📞 (917) 555-0128\n✉ d.kim.dev@example.com\n🔗 github.com/dkimdev\nEXPERIENCE 2016-2024',
    pii: [phone('(917) 555-0128'), email('d.kim.dev@example.com')],
  },
  {
    context: 'resume',
    text: 'Claire Dubois — Tél. : +33 6 98 76 54 32 — Permis B — Disponible à partir du 01/06/2024',
    pii: [phone('+33 6 98 76 54 32')],
  },
  {
    context: 'invoice',
    text: 'Bill to: Greenfield Cafe, 22 Elm St, Springfield, IL 62704\nPhone: (217) 555-0163\nInvoice #2024-0312 | PO 45-7782 | Total $1,299.00',
    pii: [phone('(217) 555-0163')],
  },
  {
    context: 'support ticket',
    text: 'Please update my contact details. Old number: (207) 555-0143, new number: (207) 555-0198.',
    pii: [phone('(207) 555-0143'), phone('(207) 555-0198')],
  },
  {
    context: 'chat',
    text: "[15/03/2024, 09:14] Mum: ring 01632 960 123 it's the plumber, he's coming Tuesday",
    pii: [phone('01632 960 123')],
  },
  {
    context: 'form',
    text: 'Tel. (Taipei): +886 2 2345 6789\nMobile: 0912 345 678',
    pii: [phone('+886 2 2345 6789'), phone('0912 345 678')],
  },
  {
    context: 'email',
    text: 'Bangkok office +66 2 123 4567, or my mobile 081 234 5678',
    pii: [phone('+66 2 123 4567'), phone('081 234 5678')],
  },
  {
    context: 'web page',
    text: 'Văn phòng TP.HCM: +84 28 3823 4567',
    pii: [phone('+84 28 3823 4567')],
  },
  {
    context: 'email',
    text: 'Regards,\nFarah Aziz\nKuala Lumpur\nT +60 3-2123 4567 | M 012-345 6789',
    pii: [phone('+60 3-2123 4567'), phone('012-345 6789')],
  },
  {
    context: 'sms',
    text: 'Karachi office +92 21 3456 7890, Jazz 0300 1234567',
    pii: [phone('+92 21 3456 7890'), phone('0300 1234567')],
  },
  {
    context: 'json-ld',
    text: '{"@context":"https://schema.org","@type":"LocalBusiness","name":"Bluebird Bakery","telephone":"+1-212-555-0148","postalCode":"10014"}',
    pii: [phone('+1-212-555-0148')],
  },
  {
    context: 'form',
    text: 'Contact number*: +44 (0) 7700 900 654\nBest time to call: mornings',
    pii: [phone('+44 (0) 7700 900 654')],
  },
  {
    context: 'csv',
    text: 'supplier,country,phone\nNordic Timber AB,SE,+46 31 123 45 67\nAlpen Holz GmbH,AT,+43 662 123456\nBaltic Wood,LT,+370 5 212 3456',
    pii: [phone('+46 31 123 45 67'), phone('+43 662 123456'), phone('+370 5 212 3456')],
  },
  {
    context: 'server log',
    text: 'twilio.webhook From=+14155550131 To=+18005550110 CallStatus=completed CallDuration=212',
    pii: [phone('+14155550131'), phone('+18005550110')],
  },
  // --- Phone look-alikes and other no-PII text ---
  {
    context: 'email',
    text: 'Your order 112-4567890-1234567 has shipped. Estimated delivery: 03/18/2024.',
    pii: [],
  },
  {
    context: 'email',
    text: 'Tracking number: 1Z 999 AA1 01 2345 6784 (UPS Ground, 2 packages, 14.2 lb)',
    pii: [],
  },
  {
    context: 'sms',
    text: 'USPS: package 9400 1000 0000 0000 0000 00 out for delivery 03/15 by 8pm. Reply STOP to end.',
    pii: [],
  },
  {
    context: 'invoice',
    text: 'Invoice No. 2024-03-000871 · Issue date 15.03.2024 · Due 14.04.2024 · Amount 1 299,00 €',
    pii: [],
  },
  {
    context: 'email',
    text: 'Re: [JIRA] (PLAT-20931) Retry storm after deploy 2024.03.15-1',
    pii: [],
  },
  {
    context: 'server log',
    text: '2024-03-15 10:12:01,332 INFO [worker-3] user_id=4155552671 plan=pro seats=12 latency_ms=183',
    pii: [],
  },
  {
    context: 'server log',
    text: '"GET /api/v1/orders/20240315000123 HTTP/1.1" 200 1532 0.042',
    pii: [],
  },
  {
    context: 'server log',
    text: 'job 7345-2291-0087 finished in 00:03:14.225 (exit 0), next run 2024-03-16T00:00:00Z',
    pii: [],
  },
  {
    context: 'report',
    text: "Reporting period: 01/04/2023 – 31/03/2024. Figures in thousands (GBP '000).",
    pii: [],
  },
  {
    context: 'server log',
    text: 'backup_20240315_231500.tar.gz (4.2 GB) uploaded to s3://backups/db/2024/03/',
    pii: [],
  },
  {
    context: 'server log',
    text: 'token issued_at=1710495704 expires_at=1710499304 ttl=3600',
    pii: [],
  },
  {
    context: 'json',
    text: '{"createdAt": 1710495704123, "updatedAt": 1710495761002, "version": 7}',
    pii: [],
  },
  {
    context: 'chat',
    text: 'Upgraded pg from 15.4 to 16.2; node 20.11.1; build 2024.3.15.1842 is green',
    pii: [],
  },
  {
    context: 'web page',
    text: 'ISBN 978-0-306-40615-7 (hardcover), ISBN-10 0-306-40615-2, 432 pp.',
    pii: [],
  },
  {
    context: 'invoice',
    text: 'SKU 440-118-2047 · Qty 3 · Unit $24.99 · Line total $74.97',
    pii: [],
  },
  {
    context: 'form',
    text: 'Ship to: 1600 Amphitheatre Pkwy, Mountain View, CA 94043-1351',
    pii: [],
  },
  {
    context: 'email',
    text: 'Sort code 20-00-00, account number 55779911 (business current account). Please quote invoice 4471.',
    pii: [],
  },
  { context: 'chat', text: 'Pin dropped at 51.507351, -0.127758 (accuracy 12 m)', pii: [] },
  {
    context: 'meeting notes',
    text: 'Meeting moved to Room 4-127, Building 12, Floor 3. Dial-in details unchanged.',
    pii: [],
  },
  {
    context: 'support ticket',
    text: 'Serial no. SN 2041-7788-3320, firmware 3.1.7, purchased 2023-11-24',
    pii: [],
  },
  {
    context: 'medical intake',
    text: 'Recommended dose 10-20 mg; age group 18-65; review in 6-8 weeks.',
    pii: [],
  },
  { context: 'chat', text: 'ETA 10-15 min', pii: [] },
  {
    context: 'chat',
    text: 'Final score 3-1 (2-0 at half time). Season record now 24-6-4.',
    pii: [],
  },
  {
    context: 'server log',
    text: 'HTTP/1.1 503 Service Unavailable\nRetry-After: 120\nContent-Length: 0\nX-Request-Id: 88213-4471-0093\nDate: Fri, 15 Mar 2024 10:12:01 GMT\nServer: envoy\nx-envoy-upstream-service-time: 30001\nCache-Control: no-store\nVia: 1.1 gateway-7d9f8b6c5 (build 2024.03.15-1842)',
    pii: [],
  },
  {
    context: 'server log',
    text: 'Listening on port 8080, metrics on :9090, debug pprof on :6060 (pid 48213)',
    pii: [],
  },
  {
    context: 'code',
    text: 'commit 4f2a9c81d3e07b5526f0a1c9e8b7d6a5f4e3c2b1\nAuthor: ci-bot\nDate:   Fri Mar 15 10:12:01 2024 +0000',
    pii: [],
  },
  {
    context: 'server log',
    text: 'request_id=3f6c2a1e-9b7d-4e5f-8a2c-1d0e9f8b7a6c traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    pii: [],
  },
  {
    context: 'invoice',
    text: 'Replacement filter SKU 212-555-0148-BLK fits models 2200 to 2450. Qty 2.',
    pii: [],
  },
  {
    context: 'invoice',
    text: 'Total due: $1,299.00 (incl. tax $104.92). Paid: 1.299,00 EUR on 15/03/2024.',
    pii: [],
  },
  {
    context: 'chat',
    text: 'Order #4155552671 arrived damaged, the box was crushed on one side.',
    pii: [],
  },
  {
    context: 'support ticket',
    text: 'Ref: CRM-0044-2079-4600 merged into CRM-0044-2079-4611',
    pii: [],
  },
  {
    context: 'csv',
    text: 'date,description,amount,balance\n15/03,CARD 4242 TESCO STORES 3291 LONDON GB,-23.47,1204.55\n16/03,DD COUNCIL TAX 00482913,-142.00,1062.55',
    pii: [],
  },
  {
    context: 'server log',
    text: 'p95 latency 183 ms, p99 412 ms, error rate 0.31%, throughput 1 204 rps',
    pii: [],
  },
  {
    context: 'email',
    text: 'Use code SPRING-2024-4411 at checkout for 15% off orders over $50.',
    pii: [],
  },
  {
    context: 'ci log',
    text: 'Build #20240315.7 succeeded (pipeline 118823, agent ubuntu-22.04, 00:12:47)',
    pii: [],
  },
  {
    context: 'invoice',
    text: 'Company No. 08812345 · VAT GB 987 6543 21 · Registered in England & Wales',
    pii: [],
  },
  {
    context: 'sms',
    text: 'Table for 4 at 7:30 pm confirmed, booking ref 7730-0912. See you tonight!',
    pii: [],
  },
  {
    context: 'code',
    text: "SELECT * FROM orders WHERE id BETWEEN 1000000 AND 1999999 AND created_at > '2024-03-01';",
    pii: [],
  },
  {
    context: 'code',
    text: 'const MAX_RETRIES = 5;\nconst TIMEOUT_MS = 30_000;\nconst BACKOFF_MS = [100, 250, 500, 1000, 2000];',
    pii: [],
  },
  {
    context: 'sms',
    text: "Your verification code is 482 913. It expires in 10 minutes. Don't share it.",
    pii: [],
  },
  {
    context: 'sms',
    text: 'Parcel locker code 7734 9012, pick up by 18.03. Locker #B-214.',
    pii: [],
  },
  { context: 'chat', text: 'AAPL 172.62 (+1.24), MSFT 415.50 (-2.10), volume 54,321,987', pii: [] },
  {
    context: 'invoice',
    text: 'Txn ID 8812 4471 0093 · Auth code 004217 · Terminal 22013 · 15/03/24 14:02',
    pii: [],
  },
  { context: 'invoice', text: 'EAN 4006381333931 · UPC 036000291452 · case pack 12', pii: [] },
  {
    context: 'email',
    text: 'Loan account no. 0012 3456 7890 — statement date 15/03/2024, next instalment £318.22',
    pii: [],
  },
  {
    context: 'meeting notes',
    text: 'Budget review 10-11:30 in room 2.14; bring the 2023-24 actuals and the FY25 plan.',
    pii: [],
  },
  {
    context: 'medical intake',
    text: 'BP 120/80, HR 72, SpO2 98%, temp 36.8 °C, weight 72.4 kg, height 178 cm',
    pii: [],
  },
  {
    context: 'support ticket',
    text: 'Account number: 4155552671 (checking) — customer asked about the overdraft fee.',
    pii: [],
  },
  {
    context: 'email',
    text: 'Appointment on 03/15/2024 at 10:30 AM; follow-up 04/12/2024.',
    pii: [],
  },
  {
    context: 'report',
    text: 'Population 8,799,800 (2021 census), area 1,572 km², density 5,598/km²',
    pii: [],
  },
  {
    context: 'web page',
    text: 'In an emergency dial 999 or 112. For non-emergencies call 101.',
    pii: [],
  },
  {
    context: 'sms',
    text: 'Text JOIN to 87654 to get weekly deals. Msg&data rates may apply.',
    pii: [],
  },
  {
    context: 'server log',
    text: '2024-03-15T10:12:01Z user=88213002 session=5551234567 action=export rows=20931',
    pii: [],
  },
  {
    context: 'server log',
    text: 'order_id=202403151234 customer_id=7700900123 amount=49.99 currency=GBP',
    pii: [],
  },
  {
    context: 'json',
    text: '{"id": 4155550199, "ref": "A-20240315", "qty": 12, "price": 1299}',
    pii: [],
  },
  {
    context: 'csv',
    text: 'sku,upc,stock\nTS-1001,012345678905,140\nTS-1002,012345678912,0\nTS-1003,012345678929,33',
    pii: [],
  },
  {
    context: 'email',
    text: 'Your reservation confirmation # 3398 1042 7716 is attached.',
    pii: [],
  },
  {
    context: 'support ticket',
    text: 'Error 0x80070005 on KB5034441, build 19045.3996, occurred 3 times between 09:00 and 09:15.',
    pii: [],
  },
  {
    context: 'invoice',
    text: 'Rechnungsnummer 2024/0315-17 · Kundennummer 104 882 · Betrag 2.450,00 €',
    pii: [],
  },
  {
    context: 'email',
    text: 'Please reference PO 4500012345 and GRN 5000098765 on the invoice.',
    pii: [],
  },
  {
    context: 'support ticket',
    text: 'Ticket 2024031500042 reopened: printer HP-4471 at desk 3-22 jams.',
    pii: [],
  },
  {
    context: 'code',
    text: 'docker pull ghcr.io/acme/gateway:1.24.3-alpine3.19@sha256:9c7a1e0f3b5d2e8a',
    pii: [],
  },
  {
    context: 'meeting notes',
    text: 'Sprint 42 (11.03.–22.03.): velocity 34 pts, 3 carry-overs, retro on 22.03 at 15:00.',
    pii: [],
  },
  {
    context: 'web page',
    text: 'Open Mon-Fri 08:00-18:00, Sat 09:00-13:00. Closed 25.12.-01.01.',
    pii: [],
  },
  {
    context: 'resume',
    text: 'EXPERIENCE\nSenior Engineer, Orbit Labs (2019-2024)\nEngineer, Lumen Ltd (2015-2019)\nGPA 3.8/4.0',
    pii: [],
  },
  // --- Cards ---
  {
    context: 'chat',
    text: 'my card is 4111 1111 1111 1111 exp 12/26 cvv 123, can you put the order through?',
    pii: [card('4111 1111 1111 1111')],
  },
  {
    context: 'support ticket',
    text: 'Customer pasted full card number in the ticket body: 5261 5277 6180 7986, expiry 09/27. Please redact and reply. Callback +27 82 555 1234.',
    pii: [card('5261 5277 6180 7986'), phone('+27 82 555 1234')],
  },
  {
    context: 'server log',
    text: '2024-03-15T11:02:44Z payment.authorize amount=129.00 currency=EUR pan=4930230385864111 result=DECLINED code=05',
    pii: [card('4930230385864111')],
  },
  {
    context: 'json',
    text: '{"card":{"number":"4725-2755-3801-8858","exp_month":4,"exp_year":2027,"cvc":"381"},"amount":4999}',
    pii: [card('4725-2755-3801-8858')],
  },
  {
    context: 'csv',
    text: 'txn_id,card_number,amount,currency\nT-100231,5499728079639343,54.20,GBP\nT-100232,346685764090750,1200.00,USD\nT-100233,6011393629786339,17.85,USD',
    pii: [card('5499728079639343'), card('346685764090750'), card('6011393629786339')],
  },
  {
    context: 'form',
    text: 'Card number: 3734 597049 92509\nName on card: R. Patel\nExpires: 03/28  CID: 4417\nBilling phone: +44 7700 900218',
    pii: [card('3734 597049 92509'), phone('+44 7700 900218')],
  },
  {
    context: 'email',
    text: 'You can use my Diners Club 3635 689647 2143 valid thru 11/25 for the hotel deposit.',
    pii: [card('3635 689647 2143')],
  },
  {
    context: 'server log',
    text: 'POS-7 sale ¥12,400 JCB 3528-4228-2595-6835 approved auth=118823',
    pii: [card('3528-4228-2595-6835')],
  },
  {
    context: 'chat',
    text: '银联卡号 6281 4256 3150 9511 787，有效期 08/29',
    pii: [card('6281 4256 3150 9511 787')],
  },
  {
    context: 'email',
    text: 'Paid by Maestro card 5018 9087 7043, no CVV printed on it.',
    pii: [card('5018 9087 7043')],
  },
  {
    context: 'form',
    text: 'Debit card (Maestro): 6304 9664 9726 5115 774\nIssue no.: 01\nValid from 02/23',
    pii: [card('6304 9664 9726 5115 774')],
  },
  {
    context: 'chat',
    text: 'new card 2221 4389 7202 5333 replaced the old one, same billing address',
    pii: [card('2221 4389 7202 5333')],
  },
  {
    context: 'chat',
    text: 'here u go 2345476029556521 exp 0828 cvc 661',
    pii: [card('2345476029556521')],
  },
  {
    context: 'form',
    text: 'Card: 2720 5516 2304 8417 | Exp: 01/29 | CVV: 902 | ZIP: 94107 | Phone: (415) 555-0137',
    pii: [card('2720 5516 2304 8417'), phone('(415) 555-0137')],
  },
  {
    context: 'email',
    text: "Hi, please charge the remaining balance to my Visa 4590 4933 4668 7820 (exp 10/26). I'll give you the security code by phone.",
    pii: [card('4590 4933 4668 7820')],
  },
  {
    context: 'chat',
    text: 'Discover 6544 8564 9552 3917 exp 06/27',
    pii: [card('6544 8564 9552 3917')],
  },
  {
    context: 'server log',
    text: 'vault.tokenize input=6441-8839-4028-7835 token=tok_9fQ2LmX8 ttl=900',
    pii: [card('6441-8839-4028-7835')],
  },
  {
    context: 'email',
    text: 'The card on file 4730 9568 4814 4590 was declined; please try the backup 5587 6195 8586 4900 instead.',
    pii: [card('4730 9568 4814 4590'), card('5587 6195 8586 4900')],
  },
  {
    context: 'code',
    text: "// Stripe test Visa\nconst TEST_CARD = '4242424242424242';\nconst TEST_EXP = '12/34';",
    pii: [card('4242424242424242')],
  },
  {
    context: 'web page',
    text: 'Use 4000 0566 5566 5556 for a Visa debit test and 5555 5555 5555 4444 for Mastercard.',
    pii: [card('4000 0566 5566 5556'), card('5555 5555 5555 4444')],
  },
  {
    context: 'sms',
    text: 'Your card 4327254888086668 has been suspended. Verify within 24h at http://secure-verify.example/login',
    pii: [card('4327254888086668')],
  },
  {
    context: 'chat',
    text: 'card number is 40062752 27376716 sorry my keyboard is weird',
    pii: [card('40062752 27376716')],
  },
  {
    context: 'form',
    text: 'Kartennummer: 4291.9821.5914.6587 Gültig bis: 05/26 Telefon: 0157 98765432',
    pii: [card('4291.9821.5914.6587'), phone('0157 98765432')],
  },
  {
    context: 'support ticket',
    text: 'Old 13-digit Visa 4754505884328 no longer accepted by the terminal, customer upset.',
    pii: [card('4754505884328')],
  },
  {
    context: 'json',
    text: '{"pan":"4339016329444243714","brand":"visa","funding":"debit"}',
    pii: [card('4339016329444243714')],
  },
  {
    context: 'invoice',
    text: 'Payment received via Mastercard 5140 9038 3149 2348 on 15/03/2024 — thank you! Queries: +353 1 234 5690',
    pii: [card('5140 9038 3149 2348'), phone('+353 1 234 5690')],
  },
  {
    context: 'server log',
    text: 'POST /checkout 402 body={"pan":"6011030806525631","cvv":"077","exp":"11/26"}',
    pii: [card('6011030806525631')],
  },
  {
    context: 'csv',
    text: 'holder,pan,exp\nT. Nguyen,3007 529139 2989,04/27\nS. Haddad,38537159822219,09/25',
    pii: [card('3007 529139 2989'), card('38537159822219')],
  },
  {
    context: 'chat',
    text: 'UnionPay 6201 2963 6030 8090, the 16-digit one',
    pii: [card('6201 2963 6030 8090')],
  },
  { context: 'form', text: '卡号 / Card No.: 62125478451016636', pii: [card('62125478451016636')] },
  {
    context: 'chat',
    text: "ok it's 6759 3249 9155 7590 (maestro), expiry 02/28",
    pii: [card('6759 3249 9155 7590')],
  },
  {
    context: 'sms',
    text: 'amex 379340095623982 exp 07/27 - charge the deposit pls',
    pii: [card('379340095623982')],
  },
  {
    context: 'form',
    text: 'Card number 3496-149221-73172  Security code ****',
    pii: [card('3496-149221-73172')],
  },
  {
    context: 'csv',
    text: 'order,card,total\n20931,375892056367854,$310.00\n20932,5378523124801493,$89.99\n20933,3566965317341034,$12.50',
    pii: [card('375892056367854'), card('5378523124801493'), card('3566965317341034')],
  },
  {
    context: 'meeting notes',
    text: 'Finance call: Laura read the corporate card number 5562 6717 6123 4258 aloud on the bridge — card must be rotated.',
    pii: [card('5562 6717 6123 4258')],
  },
  {
    context: 'medical intake',
    text: 'Copay card on file: 4151 6222 4509 8199 exp 02/27\nPhone: 973-555-0164\nInsurance: BlueShield PPO',
    pii: [card('4151 6222 4509 8199'), phone('973-555-0164')],
  },
  {
    context: 'server log',
    text: 'GET /pay?card=4573793381132108&exp=1227&amount=25.00 HTTP/1.1 302',
    pii: [card('4573793381132108')],
  },
  {
    context: 'xml',
    text: '<Payment><CardNumber>4285166348328581</CardNumber><Expiry>2605</Expiry><Amount>89.00</Amount></Payment>',
    pii: [card('4285166348328581')],
  },
  {
    context: 'chat',
    text: 'card no\n3589 7193 8038 9922\nexp 05/26\nname JANE T MORRIS\nmob 090-8765-4321',
    pii: [card('3589 7193 8038 9922'), phone('090-8765-4321')],
  },
  {
    context: 'code',
    text: "TEST_CARDS = {\n    'amex': '378282246310005',\n    'discover': '6011111111111117',\n    'jcb': '3530111333300000',\n    'diners': '30569309025904',\n}",
    pii: [
      card('378282246310005'),
      card('6011111111111117'),
      card('3530111333300000'),
      card('30569309025904'),
    ],
  },
  {
    context: 'support ticket',
    text: 'Chargeback on 2631 8457 4480 8719 for $1,299.00 (reason 10.4, fraud). Cardholder called from +1 (305) 555-0126.',
    pii: [card('2631 8457 4480 8719'), phone('+1 (305) 555-0126')],
  },
  {
    context: 'email',
    text: 'Please update billing: new card 4437-9256-5821-1456, exp 08/28, same cardholder. Call me on 07700 900482 if it fails.',
    pii: [card('4437-9256-5821-1456'), phone('07700 900482')],
  },
  {
    context: 'form',
    text: 'Credit card\n4012 8888 8888 1881\nMM/YY 07/25   CVC 211\nContact phone +61 412 555 019',
    pii: [card('4012 8888 8888 1881'), phone('+61 412 555 019')],
  },
  {
    context: 'chat',
    text: "pls use 5105 1051 0510 5100 for the test order, it's the sandbox",
    pii: [card('5105 1051 0510 5100')],
  },
  {
    context: 'server log',
    text: 'level=error msg="issuer timeout" card=2223003122003222 acquirer=ADY retry=2',
    pii: [card('2223003122003222')],
  },
  {
    context: 'chat',
    text: 'Can you split it? 5140-9038-3149-2348 for $200 and the rest on 4725-1850-8656-8123',
    pii: [card('5140-9038-3149-2348'), card('4725-1850-8656-8123')],
  },
  // --- Card look-alikes (no PII) ---
  {
    context: 'email',
    text: 'Charged **** **** **** 4242 on 15 Mar — thanks for your purchase!',
    pii: [],
  },
  {
    context: 'support ticket',
    text: "Customer's card ending in 1881 was declined twice (insufficient funds).",
    pii: [],
  },
  {
    context: 'email',
    text: 'Order number 4762 9457 4485 2301 — keep this for returns within 30 days.',
    pii: [],
  },
  {
    context: 'sms',
    text: 'DPD: parcel 5173 4828 9648 8551 will arrive between 10:15 and 11:15.',
    pii: [],
  },
  {
    context: 'email',
    text: 'Gift card code: X7KQ-4M2P-9RTL-8VWB, PIN 4471. Balance $50.00.',
    pii: [],
  },
  {
    context: 'server log',
    text: 'sepa.credit ref=8387001004321516 status=BOOKED value_date=2024-03-15',
    pii: [],
  },
  {
    context: 'support ticket',
    text: 'IMEI 352099001761481 reported stolen on 2024-03-14',
    pii: [],
  },
  {
    context: 'server log',
    text: 'charge ok pan=411111******1111 brand=visa amount=19.99 token=tok_1OqX2bL8vNcR4sT',
    pii: [],
  },
  {
    context: 'json',
    text: '{"card":{"brand":"mastercard","last4":"4444","exp_month":12,"exp_year":2026,"fingerprint":"Xt5EWLLDS7FJjR1c"}}',
    pii: [],
  },
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
