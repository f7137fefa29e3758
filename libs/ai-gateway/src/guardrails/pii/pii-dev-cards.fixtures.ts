import type { PiiDevSnippet } from './pii-dev-labels';
import { phone, card } from './pii-dev-labels';

/** Development snippets for the PII detector: cards (see pii-dev-labels.ts). */
export const DEV_CARDS: readonly PiiDevSnippet[] = [
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
];
