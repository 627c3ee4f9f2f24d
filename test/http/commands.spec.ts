// Every answer of the command contract, through the real app: 201, 200 on an identical retry,
// 409 for a reused id, 422 for a broken reference or rule; and a refusal writes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { removeDir, startTestApp, type Answer, type TestApp } from '../support/test-app.js';

let ledger: TestApp;
beforeAll(async () => {
  ledger = await startTestApp();
  await ledger.post('/reps', { repId: 'ana', name: 'Ana', recruitedAt: '2024-01-01T00:00:00Z' });
  await ledger.post('/reps', { repId: 'ben', sponsorId: 'ana', name: 'Ben', recruitedAt: '2024-02-01T00:00:00Z' });
  await ledger.post('/sales', {
    saleId: 'S-SUB',
    repId: 'ben',
    customerId: 'C-1',
    amount: '30.00',
    currency: 'USD',
    kind: 'subscription',
    subscriptionId: 'SUB-1',
    occurredAt: '2025-01-15T10:00:00Z',
  });
});
afterAll(async () => {
  await ledger.stop();
  await removeDir(ledger.dir);
});

/** Everything a refused command could have changed: the head of the log and every total. */
async function ledgerState(): Promise<unknown> {
  const projection = (await ledger.get('/projections')).body;
  const totals = await Promise.all(
    ['ana', 'ben'].map(
      async (p) => (await ledger.get(`/people/${p}/income?minPosition=${projection.head}`)).body.totals,
    ),
  );
  return { head: projection.head, totals };
}

async function refused(request: () => Promise<Answer>, status: number, code: string): Promise<void> {
  const before = await ledgerState();
  const answer = await request();
  expect([answer.status, answer.body.code]).toEqual([status, code]);
  expect(answer.contentType).toBe('application/problem+json; charset=utf-8');
  expect(answer.body).toMatchObject({
    status,
    type: expect.stringContaining(code.toLowerCase().replaceAll('_', '-')),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(await ledgerState()).toEqual(before);
}

const sale = (overrides: Record<string, unknown> = {}) => ({
  saleId: 'S-1',
  repId: 'ben',
  customerId: 'C-9',
  amount: '100.00',
  currency: 'USD',
  kind: 'single',
  occurredAt: '2025-03-01T10:00:00+01:00',
  ...overrides,
});
const renewal = (overrides: Record<string, unknown> = {}) => ({
  renewalId: 'R-1',
  amount: '30.00',
  currency: 'USD',
  renewedAt: '2025-02-15T10:00:00Z',
  ...overrides,
});
const refund = (overrides: Record<string, unknown> = {}) => ({
  refundId: 'RF-1',
  amount: '10.00',
  currency: 'USD',
  reason: 'returned',
  refundedAt: '2025-03-02T00:00:00Z',
  ...overrides,
});
const click = (overrides: Record<string, unknown> = {}) => ({
  clickId: 'K-1',
  affiliateId: 'ana',
  orderId: 'O-1',
  amount: '10.00',
  currency: 'EUR',
  convertedAt: '2025-03-04T18:00:00Z',
  ...overrides,
});

describe.each([
  [
    'POST /reps',
    '/reps',
    { repId: 'cleo', sponsorId: 'ben', name: 'Cleo', recruitedAt: '2024-03-01T00:00:00Z' },
    'rep-cleo',
    { name: 'Cleo M.' },
    'REP_ID_REUSED',
  ],
  ['POST /sales', '/sales', sale(), 'sale-S-1', { amount: '100.01' }, 'SALE_ID_REUSED'],
  [
    'POST /subscriptions/{id}/renewals',
    '/subscriptions/SUB-1/renewals',
    renewal(),
    'subscription-SUB-1',
    { renewedAt: '2025-02-16T10:00:00Z' },
    'RENEWAL_ID_REUSED',
  ],
  [
    'POST /affiliate-conversions',
    '/affiliate-conversions',
    click(),
    'conversion-K-1',
    { orderId: 'O-2' },
    'CLICK_ID_REUSED',
  ],
  ['POST /sales/{id}/refunds', '/sales/S-1/refunds', refund(), 'sale-S-1', { amount: '11.00' }, 'REFUND_ID_REUSED'],
  [
    'POST /subscriptions/{id}/cancellation',
    '/subscriptions/SUB-1/cancellation',
    { cancelledAt: '2025-12-01T00:00:00Z', reason: 'customer left' },
    'subscription-SUB-1',
    { reason: 'moved away' },
    'SUBSCRIPTION_ALREADY_CANCELLED',
  ],
])('%s', (_, path, body, stream, change, reusedCode) => {
  let first: Answer;
  it('answers 201 with the position, stream and revision of the new event', async () => {
    first = await ledger.post(path, body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ position: expect.stringMatching(/^[0-9]+$/), stream, revision: expect.any(Number) });
  });

  it('answers 200 with the same body to an identical retry, and writes nothing', async () => {
    const before = await ledgerState();
    const retry = await ledger.post(path, body);
    expect([retry.status, retry.body]).toEqual([200, first.body]);
    expect(await ledgerState()).toEqual(before);
  });

  it('answers 409 when the id is reused with other content', async () => {
    await refused(() => ledger.post(path, { ...body, ...change }), 409, reusedCode);
  });
});

describe('business rules', () => {
  it.each([
    [
      'an unknown sponsor',
      '/reps',
      { repId: 'x', sponsorId: 'ghost', name: 'X', recruitedAt: '2024-03-01T00:00:00Z' },
      'SPONSOR_UNKNOWN',
    ],
    [
      'a sponsor recruited later',
      '/reps',
      { repId: 'x', sponsorId: 'ben', name: 'X', recruitedAt: '2024-01-15T00:00:00Z' },
      'SPONSOR_RECRUITED_LATER',
    ],
    ['an unknown rep', '/sales', sale({ saleId: 'S-X', repId: 'ghost' }), 'REP_UNKNOWN'],
    [
      'a sale dated before its rep was recruited',
      '/sales',
      sale({ saleId: 'S-X', occurredAt: '2024-01-31T23:59:59Z' }),
      'SALE_BEFORE_RECRUITMENT',
    ],
    [
      'a subscription already started by another sale',
      '/sales',
      sale({ saleId: 'S-X', kind: 'subscription', subscriptionId: 'SUB-1' }),
      'SUBSCRIPTION_ALREADY_STARTED',
    ],
    ['an unknown subscription', '/subscriptions/SUB-GHOST/renewals', renewal(), 'SUBSCRIPTION_UNKNOWN'],
    [
      'a renewal in another currency',
      '/subscriptions/SUB-1/renewals',
      renewal({ renewalId: 'R-X', currency: 'EUR' }),
      'RENEWAL_CURRENCY_MISMATCH',
    ],
    [
      'a renewal dated before its sale',
      '/subscriptions/SUB-1/renewals',
      renewal({ renewalId: 'R-X', renewedAt: '2025-01-15T09:59:59Z' }),
      'RENEWAL_BEFORE_SALE',
    ],
    [
      'an unknown affiliate',
      '/affiliate-conversions',
      click({ clickId: 'K-X', affiliateId: 'ghost' }),
      'AFFILIATE_UNKNOWN',
    ],
    [
      'a conversion before the affiliate registered',
      '/affiliate-conversions',
      click({ clickId: 'K-X', convertedAt: '2023-12-31T00:00:00Z' }),
      'CONVERSION_BEFORE_REGISTRATION',
    ],
    ['a refund of an unknown sale', '/sales/S-GHOST/refunds', refund({ refundId: 'RF-X' }), 'SALE_UNKNOWN'],
    [
      'a refund over what is left of the sale',
      '/sales/S-1/refunds',
      refund({ refundId: 'RF-X', amount: '90.01' }),
      'REFUND_EXCEEDS_SALE',
    ],
    [
      'a refund in another currency',
      '/sales/S-1/refunds',
      refund({ refundId: 'RF-X', currency: 'EUR' }),
      'REFUND_CURRENCY_MISMATCH',
    ],
    [
      'a refund dated before the sale',
      '/sales/S-1/refunds',
      refund({ refundId: 'RF-X', refundedAt: '2025-02-01T00:00:00Z' }),
      'REFUND_BEFORE_SALE',
    ],
    [
      'a renewal dated after the cancellation',
      '/subscriptions/SUB-1/renewals',
      renewal({ renewalId: 'R-X', renewedAt: '2025-12-15T10:00:00Z' }),
      'SUBSCRIPTION_CANCELLED',
    ],
    [
      'a cancellation of an unknown subscription',
      '/subscriptions/SUB-GHOST/cancellation',
      { cancelledAt: '2025-12-01T00:00:00Z', reason: 'x' },
      'SUBSCRIPTION_UNKNOWN',
    ],
  ])('refuses %s with 422 and writes nothing', async (_, path, body, code) => {
    await refused(() => ledger.post(path, body), 422, code);
  });

  it('keeps renewals of different subscriptions apart, whatever colons their ids hold', async () => {
    for (const subscriptionId of ['a:b', 'a']) {
      const started = await ledger.post(
        '/sales',
        sale({ saleId: `S-${subscriptionId}`, kind: 'subscription', subscriptionId }),
      );
      expect(started.status).toBe(201);
    }
    const first = await ledger.post(
      '/subscriptions/a:b/renewals',
      renewal({ renewalId: 'c', renewedAt: '2025-04-01T00:00:00Z' }),
    );
    const second = await ledger.post(
      '/subscriptions/a/renewals',
      renewal({ renewalId: 'b:c', renewedAt: '2025-04-01T00:00:00Z' }),
    );
    expect([first.status, second.status]).toEqual([201, 201]);
  });

  it('refuses a cancellation dated before the subscription was sold', async () => {
    await ledger.post('/sales', sale({ saleId: 'S-CX', kind: 'subscription', subscriptionId: 'SUB-CX' }));
    await refused(
      () => ledger.post('/subscriptions/SUB-CX/cancellation', { cancelledAt: '2025-01-01T00:00:00Z', reason: 'x' }),
      422,
      'CANCELLATION_BEFORE_SALE',
    );
  });

  it("reverses every affected person's lines on a refund, and a full refund brings their totals back", async () => {
    const totals = async (minPosition: string) =>
      Promise.all(
        ['ana', 'ben'].map(
          async (p) => (await ledger.get(`/people/${p}/income?minPosition=${minPosition}`)).body.totals,
        ),
      );
    const before = await totals((await ledger.get('/projections')).body.head);
    await ledger.post('/sales', sale({ saleId: 'S-RF', amount: '33.33' }));
    await ledger.post('/sales/S-RF/refunds', refund({ refundId: 'RF-A', amount: '11.11' }));
    const last = await ledger.post('/sales/S-RF/refunds', refund({ refundId: 'RF-B', amount: '22.22' }));
    expect(await totals(last.body.position)).toEqual(before);
    const reversals = (
      await ledger.get(`/people/ana/history?minPosition=${last.body.position}&limit=1000`)
    ).body.lines.filter((l: any) => l.source.stream === 'sale-S-RF');
    expect(reversals.map((l: any) => `${l.source.eventType} ${l.amount} ${l.baseAmount}`)).toEqual([
      'SaleMade 1.67 33.33', // 33.33 × 0.05 = 1.6665
      'SaleRefunded -0.56 -11.11', // 1.67 × 11.11/33.33 = 0.5566…
      'SaleRefunded -1.11 -22.22', // the rest: 1.67 − 0.56
    ]);
  });

  it('treats the same amount written differently as the same command', async () => {
    const first = await ledger.post('/sales', sale({ saleId: 'S-SAME', amount: '7.5' }));
    const again = await ledger.post('/sales', sale({ saleId: 'S-SAME', amount: '7.50' }));
    expect([first.status, again.status, again.body]).toEqual([201, 200, first.body]);
  });

  it('stores times as UTC, so the same instant with another offset is the same command', async () => {
    const first = await ledger.post('/sales', sale({ saleId: 'S-TZ', occurredAt: '2025-03-01T10:00:00+01:00' }));
    const again = await ledger.post('/sales', sale({ saleId: 'S-TZ', occurredAt: '2025-03-01T09:00:00Z' }));
    expect([first.status, again.status]).toEqual([201, 200]);
  });
});

describe('concurrent commands', () => {
  it('records one event for the same command sent many times at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => ledger.post('/sales', sale({ saleId: 'S-RACE' }))),
    );
    expect(answers.map((a) => a.status).sort((x, y) => x - y)).toEqual([...Array(11).fill(200), 201]);
    expect(new Set(answers.map((a) => a.body.position)).size).toBe(1);
  });

  it('lands concurrent renewals of one subscription or answers 409, losing and doubling none', async () => {
    const renewalDates = async (minPosition = '0') =>
      (await ledger.get(`/people/ben/history?minPosition=${minPosition}&limit=1000`)).body.lines
        .filter((l: any) => l.rule === 'renewal' && l.source.stream === 'subscription-SUB-1')
        .map((l: any) => l.occurredAt);
    const before = await renewalDates();
    const renew = (i: number) =>
      ledger.post(
        '/subscriptions/SUB-1/renewals',
        renewal({ renewalId: `R-C${i}`, renewedAt: `2025-0${i + 2}-15T10:00:00Z` }),
      );
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => renew(i)));
    for (const answer of answers) expect([201, 409]).toContain(answer.status);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'CONCURRENCY_CONFLICT')).toBe(true);
    const retried = await Promise.all(answers.map((a, i) => (a.status === 409 ? renew(i) : Promise.resolve(a))));
    expect(retried.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(retried.map((a) => a.body.revision)).size).toBe(8);
    const last = retried.reduce((max, a) => (BigInt(a.body.position) > BigInt(max) ? a.body.position : max), '0');
    expect((await renewalDates(last)).slice(before.length).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `2025-0${i + 2}-15T10:00:00.000Z`),
    );
  });
});
