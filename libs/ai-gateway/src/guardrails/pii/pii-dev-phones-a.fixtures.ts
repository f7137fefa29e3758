import type { PiiDevSnippet } from './pii-dev-labels';
import { email, phone } from './pii-dev-labels';

/** Development snippets for the PII detector: phones a (see pii-dev-labels.ts). */
export const DEV_PHONES_A: readonly PiiDevSnippet[] = [
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
];
