import type { PiiDevSnippet } from './pii-dev-labels';

/** Development snippets for the PII detector: lookalikes (see pii-dev-labels.ts). */
export const DEV_LOOKALIKES: readonly PiiDevSnippet[] = [
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
];
