import type { PiiDevSnippet } from './pii-dev-labels';
import { email, phone } from './pii-dev-labels';

/** Development snippets for the PII detector: phones b (see pii-dev-labels.ts). */
export const DEV_PHONES_B: readonly PiiDevSnippet[] = [
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
];
