// Domain rules a new user found broken (issue 13), through the real app on both stores: each refusal is a
// 4xx problem with a stable code, and a refused command changes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { NO_STREAM } from '../../src/event-store/event-store.port.js';
import { eventIdFor } from '../../src/shared/ids.js';
import { openTestStore, removeDir, startTestApp, type Answer, type TestApp } from '../support/test-app.js';

let ledger: TestApp;
beforeAll(async () => {
  ledger = await startTestApp();
  await ledger.post('/reps', { repId: 'ana', name: 'Ana', recruitedAt: '2024-01-01T00:00:00Z' });
  await ledger.post('/reps', { repId: 'ben', sponsorId: 'ana', name: 'Ben', recruitedAt: '2024-02-01T00:00:00Z' });
  await ledger.post('/sales', sale({ saleId: 'S-SUB', kind: 'subscription', subscriptionId: 'SUB-1' }));
  await ledger.post('/sales', sale({ saleId: 'S-SUB-2', kind: 'subscription', subscriptionId: 'SUB-2' }));
});
afterAll(async () => {
  await ledger.stop();
  await removeDir(ledger.dir);
});

function sale(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    saleId: 'S-1',
    repId: 'ben',
    customerId: 'C-9',
    amount: '100.00',
    currency: 'USD',
    kind: 'single',
    occurredAt: '2025-01-15T10:00:00Z',
    ...overrides,
  };
}

/** The head of the log and every total: all a refused command could have changed. */
async function ledgerState(): Promise<unknown> {
  const head = (await ledger.get('/projections')).body.head;
  const totals = await Promise.all(
    ['ana', 'ben'].map(async (p) => (await ledger.get(`/people/${p}/income?minPosition=${head}`)).body.totals),
  );
  return { head, totals };
}

async function refused(send: () => Promise<Answer>, status: number, code: string): Promise<Answer> {
  const before = await ledgerState();
  const answer = await send();
  expect([answer.status, answer.body.code]).toEqual([status, code]);
  expect(answer.contentType).toBe('application/problem+json; charset=utf-8');
  expect(await ledgerState()).toEqual(before);
  return answer;
}

/** A request sent as written: fetch (like browsers) would resolve `.` and `..` path segments away. */
function rawRequest(method: string, path: string, body?: unknown): Promise<Answer> {
  const { hostname, port } = new URL(ledger.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers: { 'content-type': 'application/json' } });
    req.on('error', reject);
    req.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: text.length > 0 ? JSON.parse(text) : text,
          contentType: response.headers['content-type'] ?? '',
        }),
      );
    });
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('ids . and ..', () => {
  it.each(['.', '..'])('refuses %s as an id in a body with 400 VALIDATION_FAILED', async (id) => {
    const recruit = { repId: 'dot', name: 'Dot', recruitedAt: '2024-03-01T00:00:00Z' };
    for (const field of ['repId', 'sponsorId']) {
      const answer = await refused(() => ledger.post('/reps', { ...recruit, [field]: id }), 400, 'VALIDATION_FAILED');
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    for (const field of ['saleId', 'customerId', 'subscriptionId']) {
      const body = sale({ saleId: 'S-DOT', kind: 'subscription', subscriptionId: 'SUB-DOT', [field]: id });
      const answer = await refused(() => ledger.post('/sales', body), 400, 'VALIDATION_FAILED');
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });

  it.each(['.', '..'])('refuses %s as an id in a path with 400 INVALID_PARAMETER', async (id) => {
    const renewal = { renewalId: 'R-1', amount: '30.00', currency: 'USD', renewedAt: '2025-02-15T10:00:00Z' };
    await refused(() => rawRequest('POST', `/subscriptions/${id}/renewals`, renewal), 400, 'INVALID_PARAMETER');
    await refused(
      () =>
        rawRequest('POST', `/subscriptions/${id}/cancellation`, { cancelledAt: '2025-06-01T00:00:00Z', reason: 'x' }),
      400,
      'INVALID_PARAMETER',
    );
    await refused(
      () =>
        rawRequest('POST', `/sales/${id}/refunds`, {
          refundId: 'F-1',
          amount: '1.00',
          currency: 'USD',
          reason: 'returned',
          refundedAt: '2025-03-05T10:00:00Z',
        }),
      400,
      'INVALID_PARAMETER',
    );
    for (const query of [
      'income',
      'history',
      'events',
      'downline',
      'statement?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    ])
      expect((await rawRequest('GET', `/people/${id}/${query}`)).body.code).toBe('INVALID_PARAMETER');
  });

  it('still takes ids with dots in them', async () => {
    const answer = await ledger.post('/reps', { repId: '...', name: 'Dots', recruitedAt: '2024-03-01T00:00:00Z' });
    expect(answer.status).toBe(201);
    expect(
      (await ledger.post('/reps', { repId: 'a.b', name: 'A B', recruitedAt: '2024-03-01T00:00:00Z' })).status,
    ).toBe(201);
  });
});

describe('a cancellation dated before renewals already recorded', () => {
  const renewal = (renewalId: string, renewedAt: string) => ({
    renewalId,
    amount: '30.00',
    currency: 'USD',
    renewedAt,
  });
  const cancel = (cancelledAt: string) =>
    ledger.post('/subscriptions/SUB-1/cancellation', { cancelledAt, reason: 'customer left' });

  it('is refused with 422 CANCELLATION_BEFORE_RENEWALS naming the latest renewal, and changes nothing', async () => {
    for (const [id, at] of [
      ['R-1', '2025-02-15T10:00:00Z'],
      ['R-2', '2025-03-15T10:00:00Z'],
    ] as const)
      expect((await ledger.post('/subscriptions/SUB-1/renewals', renewal(id, at))).status).toBe(201);
    for (const cancelledAt of ['2025-03-01T00:00:00Z', '2025-03-15T10:00:00Z']) {
      const answer = await refused(() => cancel(cancelledAt), 422, 'CANCELLATION_BEFORE_RENEWALS');
      expect(answer.body.detail).toContain('R-2');
      expect(answer.body.latestRenewal).toEqual({ renewalId: 'R-2', renewedAt: '2025-03-15T10:00:00.000Z' });
    }
  });

  it('is taken once dated after the latest renewal, and later renewals are then refused', async () => {
    expect((await cancel('2025-03-15T10:00:00.001Z')).status).toBe(201);
    await refused(
      () => ledger.post('/subscriptions/SUB-1/renewals', renewal('R-3', '2025-04-15T10:00:00Z')),
      422,
      'SUBSCRIPTION_CANCELLED',
    );
  });
});

describe('duplicate keys in a JSON body', () => {
  const sendText = (path: string, body: string) =>
    ledger.send('POST', path, { body, headers: { 'content-type': 'application/json' } });

  it.each([
    ['a repeated key', '{"repId":"dup-1","repId":"dup-2","name":"Dup","recruitedAt":"2024-03-01T00:00:00Z"}', 'repId'],
    [
      'the same key spelt with an escape',
      '{"repId":"dup-1","name":"Dup","recruitedAt":"2024-03-01T00:00:00Z","rep\\u0049d":"dup-2"}',
      'repId',
    ],
    [
      'a key repeated with the same value',
      '{"repId":"dup-1","name":"Dup","name":"Dup","recruitedAt":"2024-03-01T00:00:00Z"}',
      'name',
    ],
  ])('answer 400 DUPLICATE_JSON_KEY naming the key for %s, and change nothing', async (_, body, key) => {
    const answer = await refused(() => sendText('/reps', body), 400, 'DUPLICATE_JSON_KEY');
    expect(answer.body.key).toBe(key);
    expect(answer.body.detail).toContain(`"${key}"`);
  });

  it('are refused inside nested objects too, with the path to them', async () => {
    const answer = await refused(
      () => sendText('/reps', '{"repId":"dup-1","x":{"a":1,"b":{"c":1,"c":2}}}'),
      400,
      'DUPLICATE_JSON_KEY',
    );
    expect([answer.body.key, answer.body.path]).toEqual(['c', 'x.b.c']);
  });

  it('leave a body whose objects each use a key once alone', async () => {
    const answer = await sendText('/reps', '{"repId":"nested-ok","name":"N","recruitedAt":"2024-03-01T00:00:00Z"}');
    expect(answer.status).toBe(201);
  });
});

describe('facts dated in the future', () => {
  const FAR = '9999-12-31T23:59:59Z';
  const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

  it.each([
    ['a recruitment', '/reps', { repId: 'zoe', name: 'Zoe', recruitedAt: FAR }, 'recruitedAt'],
    ['a single sale', '/sales', sale({ saleId: 'S-FAR', occurredAt: FAR }), 'occurredAt'],
    [
      'a subscription sale',
      '/sales',
      sale({ saleId: 'S-FAR-SUB', kind: 'subscription', subscriptionId: 'SUB-FAR', occurredAt: FAR }),
      'occurredAt',
    ],
    [
      'a renewal',
      '/subscriptions/SUB-2/renewals',
      { renewalId: 'R-FAR', amount: '30.00', currency: 'USD', renewedAt: FAR },
      'renewedAt',
    ],
    [
      'a conversion',
      '/affiliate-conversions',
      { clickId: 'K-FAR', affiliateId: 'ana', orderId: 'O-FAR', amount: '5.00', currency: 'USD', convertedAt: FAR },
      'convertedAt',
    ],
    [
      'a refund',
      '/sales/S-SUB/refunds',
      { refundId: 'F-FAR', amount: '1.00', currency: 'USD', reason: 'returned', refundedAt: FAR },
      'refundedAt',
    ],
  ])('refuses %s dated 9999-12-31 with 422 OCCURRED_IN_FUTURE, writing nothing', async (_, path, body, field) => {
    const answer = await refused(() => ledger.post(path, body), 422, 'OCCURRED_IN_FUTURE');
    expect(answer.body.field).toBe(field);
    expect(answer.body.detail).toContain(field);
  });

  it('left no claim behind: the subscription id is still free for a sale dated now', async () => {
    const now = new Date().toISOString();
    const answer = await ledger.post(
      '/sales',
      sale({ saleId: 'S-NOW', kind: 'subscription', subscriptionId: 'SUB-FAR', occurredAt: now }),
    );
    expect(answer.status).toBe(201);
  });

  it('takes a fact dated within the margin (one day by default) past the time of recording', async () => {
    expect((await ledger.post('/sales', sale({ saleId: 'S-SOON', occurredAt: inAnHour() }))).status).toBe(201);
  });

  it('refuses a cancellation dated past the margin too', async () => {
    await ledger.post('/sales', sale({ saleId: 'S-CF', kind: 'subscription', subscriptionId: 'SUB-CF' }));
    await refused(
      () => ledger.post('/subscriptions/SUB-CF/cancellation', { cancelledAt: FAR, reason: 'later' }),
      422,
      'OCCURRED_IN_FUTURE',
    );
  });

  it('uses FUTURE_MARGIN_MS as the margin', async () => {
    const strict = await startTestApp({ overrides: { FUTURE_MARGIN_MS: '0' } });
    try {
      await strict.post('/reps', { repId: 'ana', name: 'Ana', recruitedAt: '2024-01-01T00:00:00Z' });
      const answer = await strict.post('/reps', { repId: 'ben', name: 'Ben', recruitedAt: inAnHour() });
      expect([answer.status, answer.body.code]).toEqual([422, 'OCCURRED_IN_FUTURE']);
      const taken = await strict.post('/reps', { repId: 'cy', name: 'Cy', recruitedAt: new Date().toISOString() });
      expect(taken.status).toBe(201);
    } finally {
      await strict.stop();
      await removeDir(strict.dir);
    }
  });
});

describe('one order converted under several click ids', () => {
  const conversion = (clickId: string, orderId: string) => ({
    clickId,
    affiliateId: 'ana',
    orderId,
    amount: '50.00',
    currency: 'USD',
    convertedAt: '2025-03-01T10:00:00Z',
  });
  const convert = (clickId: string, orderId: string) =>
    ledger.post('/affiliate-conversions', conversion(clickId, orderId));

  it('pays once: a second click id for the same order is refused with 422 ORDER_ALREADY_CONVERTED', async () => {
    const first = await convert('CL-1', 'O-1');
    expect(first.status).toBe(201);
    for (const clickId of ['CL-10', 'CL-11']) {
      const answer = await refused(() => convert(clickId, 'O-1'), 422, 'ORDER_ALREADY_CONVERTED');
      expect(answer.body).toMatchObject({ orderId: 'O-1', clickId: 'CL-1' });
      expect(answer.body.detail).toContain('CL-1');
    }
    const lines = (await ledger.get(`/people/ana/history?minPosition=${first.body.position}&limit=1000`)).body.lines;
    expect(lines.filter((l: any) => l.rule === 'affiliate').map((l: any) => l.source.stream)).toEqual([
      'conversion-CL-1',
    ]);
  });

  it('still answers a retry of the same click id and terms with 200 and the same body', async () => {
    const first = await convert('CL-20', 'O-20');
    const retry = await convert('CL-20', 'O-20');
    expect([first.status, retry.status, retry.body]).toEqual([201, 200, first.body]);
  });

  it('refuses the first click id with another order as a reused click id, as before', async () => {
    await refused(() => convert('CL-20', 'O-21'), 409, 'CLICK_ID_REUSED');
    expect((await convert('CL-21', 'O-21')).status).toBe(201);
  });

  it('survives a crash between claiming the order and recording the conversion: the retry completes it', async () => {
    // The process died after claiming O-9 for K-9 and before recording K-9's conversion (written as the handler would).
    const key = 'order:O-9/K-9';
    const store = await openTestStore(ledger.dir);
    await store.append(
      'affiliateorder-O-9',
      [
        {
          id: eventIdFor('AffiliateOrderClaimed', key),
          type: 'AffiliateOrderClaimed',
          data: { orderId: 'O-9', clickId: 'K-9', affiliateId: 'ana', convertedAt: '2025-03-01T10:00:00.000Z' },
          metadata: {
            recordedAt: new Date().toISOString(),
            correlationId: 'crash',
            causationId: 'crash',
            businessKey: key,
          },
        },
      ],
      NO_STREAM,
    );
    await store.close();
    const head = (await ledger.get('/projections')).body.head;
    const before = (await ledger.get(`/people/ana/income?minPosition=${head}`)).body.totals;
    await refused(() => convert('K-8', 'O-9'), 422, 'ORDER_ALREADY_CONVERTED'); // the claim holds, though unpaid
    expect((await ledger.get(`/people/ana/income?minPosition=${head}`)).body.totals).toEqual(before); // and earns nothing
    const retried = await convert('K-9', 'O-9');
    expect(retried.status).toBe(201);
    const lines = (await ledger.get(`/people/ana/history?minPosition=${retried.body.position}&limit=1000`)).body.lines;
    const fromOrder = lines.filter((l: any) =>
      ['affiliateorder-O-9', 'conversion-K-9', 'conversion-K-8'].includes(l.source.stream),
    );
    expect(fromOrder.map((l: any) => `${l.rule} ${l.source.stream} ${l.baseAmount}`)).toEqual([
      'affiliate conversion-K-9 50.00',
    ]);
    expect((await ledger.get('/health')).status).toBe(200);
  });
});
