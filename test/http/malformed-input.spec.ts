// Malformed input gets a 4xx problem with a stable code, never a 5xx, and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { removeDir, startTestApp, type Answer, type TestApp } from '../support/test-app.js';

let ledger: TestApp;
let headBefore: string;
beforeAll(async () => {
  ledger = await startTestApp();
  await ledger.post('/reps', { repId: 'ana', name: 'Ana', recruitedAt: '2024-01-01T00:00:00Z' });
  await ledger.post('/sales', {
    saleId: 'S-SUB',
    repId: 'ana',
    customerId: 'C-1',
    amount: '30.00',
    currency: 'USD',
    kind: 'subscription',
    subscriptionId: 'SUB-1',
    occurredAt: '2025-01-15T10:00:00Z',
  });
  headBefore = (await ledger.get('/projections')).body.head;
});
afterAll(async () => {
  // nothing below may have written an event
  expect((await ledger.get('/projections')).body.head).toBe(headBefore);
  await ledger.stop();
  await removeDir(ledger.dir);
});

const sale = (overrides: Record<string, unknown> = {}) => ({
  saleId: 'S-1',
  repId: 'ana',
  customerId: 'C-9',
  amount: '100.00',
  currency: 'USD',
  kind: 'single',
  occurredAt: '2025-03-01T10:00:00Z',
  ...overrides,
});
const without = (body: Record<string, unknown>, field: string) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => k !== field));

function expectProblem(answer: Answer, status: number, code: string, field?: string): void {
  expect([answer.status, answer.body.code]).toEqual([status, code]);
  expect(answer.contentType).toBe('application/problem+json; charset=utf-8');
  if (field !== undefined) expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

describe('malformed command bodies get 400 VALIDATION_FAILED naming the field', () => {
  it.each([
    ['an unknown field', sale({ discount: '5.00' }), 'discount'],
    ['a missing field', without(sale(), 'customerId'), 'customerId'],
    ['an amount as a JSON number', sale({ amount: 100 }), 'amount'],
    ['an amount of zero', sale({ amount: '0.00' }), 'amount'],
    ['a negative amount', sale({ amount: '-5.00' }), 'amount'],
    ['an amount above 1,000,000,000', sale({ amount: '1000000000.01' }), 'amount'],
    ['more decimals than USD has', sale({ amount: '10.001' }), 'amount'],
    ['decimals on JPY', sale({ amount: '10.5', currency: 'JPY' }), 'amount'],
    ['an amount in exponent form', sale({ amount: '1e3' }), 'amount'],
    ['a 30-digit amount', sale({ amount: '123456789012345678901234567890' }), 'amount'],
    ['an unknown currency code', sale({ currency: 'XYZ' }), 'currency'],
    ['a lower-case currency code', sale({ currency: 'usd' }), 'currency'],
    ['a metal, not a currency', sale({ currency: 'XAU' }), 'currency'],
    ['a date with no offset', sale({ occurredAt: '2025-03-01T10:00:00' }), 'occurredAt'],
    ['an impossible date', sale({ occurredAt: '2025-02-30T10:00:00Z' }), 'occurredAt'],
    ['a date as a number', sale({ occurredAt: 1740823200000 }), 'occurredAt'],
    ['an id with a space', sale({ saleId: 'S 1' }), 'saleId'],
    ['an id of 65 characters', sale({ saleId: 'S'.repeat(65) }), 'saleId'],
    ['an id as an object', sale({ repId: { $ne: null } }), 'repId'],
    ['an unknown kind', sale({ kind: 'lifetime' }), 'kind'],
    ['a subscription sale with no subscriptionId', sale({ kind: 'subscription' }), 'subscriptionId'],
    ['a single sale with a subscriptionId', sale({ subscriptionId: 'SUB-2' }), 'subscriptionId'],
    ['a huge string', sale({ customerId: 'x'.repeat(10_000) }), 'customerId'],
    ['an array for an id', sale({ customerId: ['C-9'] }), 'customerId'],
  ])('refuses %s', async (_, body, field) => {
    expectProblem(await ledger.post('/sales', body), 400, 'VALIDATION_FAILED', field);
  });

  it.each([
    ['/reps', { repId: 'x', name: '', recruitedAt: '2024-01-01T00:00:00Z' }, 'name'],
    ['/reps', { repId: 'x', sponsorId: 42, name: 'X', recruitedAt: '2024-01-01T00:00:00Z' }, 'sponsorId'],
    [
      '/subscriptions/SUB-1/renewals',
      { renewalId: 'R-1', amount: 30, currency: 'USD', renewedAt: '2025-02-15T10:00:00Z' },
      'amount',
    ],
    [
      '/affiliate-conversions',
      { clickId: 'K-1', affiliateId: 'ana', amount: '1.00', currency: 'EUR', convertedAt: '2025-03-04T18:00:00Z' },
      'orderId',
    ],
  ])('refuses a malformed body at %s', async (path, body, field) => {
    expectProblem(await ledger.post(path, body), 400, 'VALIDATION_FAILED', field);
  });

  it('refuses deep nesting, even just under the size limit, without overflowing the stack', async () => {
    for (const depth of [20, 7000]) {
      const body = `{"saleId":"S-1","customerId":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      expectProblem(
        await ledger.send('POST', '/sales', { body, headers: { 'content-type': 'application/json' } }),
        400,
        'VALIDATION_FAILED',
      );
    }
  });

  it('refuses a body that is not an object', async () => {
    for (const body of ['[]', '"sale"', '42', 'null']) {
      const answer = await ledger.send('POST', '/sales', { body, headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
    }
  });
});

describe('validation messages say what is wrong', () => {
  const problemsOf = (answer: Answer, field: string): string[] =>
    answer.body.errors.find((e: { field: string }) => e.field === field)?.problems ?? [];

  it.each(['amount', 'saleId', 'currency', 'occurredAt', 'kind'])('a missing %s is required', async (field) => {
    const answer = await ledger.post('/sales', without(sale(), field));
    expectProblem(answer, 400, 'VALIDATION_FAILED', field);
    expect(problemsOf(answer, field)).toEqual([`${field} is required`]);
  });

  it('a missing subscriptionId is required for a subscription sale', async () => {
    const answer = await ledger.post('/sales', sale({ kind: 'subscription' }));
    expect(problemsOf(answer, 'subscriptionId')).toEqual(['subscriptionId is required for a subscription sale']);
  });

  it('a missing query parameter keeps the message that says why it is required', async () => {
    const answer = await ledger.get('/people/ana/statement?from=2025-01-01T00:00:00Z');
    expectProblem(answer, 400, 'VALIDATION_FAILED', 'to');
    expect(problemsOf(answer, 'to')).toEqual(['to is required: the end of the period']);
  });

  it.each(['-5.00', '-0.01', '-1'])('a negative amount %s must be greater than zero', async (amount) => {
    expect(problemsOf(await ledger.post('/sales', sale({ amount })), 'amount')).toEqual([
      'amount must be greater than zero',
    ]);
  });

  it('an amount as a JSON number says so, and one of another type says what it must be', async () => {
    expect(problemsOf(await ledger.post('/sales', sale({ amount: 5 })), 'amount')).toEqual([
      'amount must be a decimal string such as "12.50", not a JSON number',
    ]);
    expect(problemsOf(await ledger.post('/sales', sale({ amount: true })), 'amount')).toEqual([
      'amount must be a decimal string such as "12.50"',
    ]);
  });

  it('a rep naming itself as its sponsor is refused as such, not as an unknown sponsor', async () => {
    const answer = await ledger.post('/reps', {
      repId: 'self',
      sponsorId: 'self',
      name: 'Self',
      recruitedAt: '2025-01-01T00:00:00Z',
    });
    expectProblem(answer, 422, 'REP_SPONSORS_ITSELF');
    expect(answer.body.detail).toBe('rep self cannot be its own sponsor');
  });
});

describe('keys named like members of Object.prototype', () => {
  // They escaped the unknown-field check (Nest strips `prototype`, `__proto__`, `constructor`; class-validator's
  // whitelist finds `toString` and the like in a plain object), so a command with one landed.
  it.each(['toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'prototype'])(
    'refuses %s in a command body, writing nothing',
    async (key) => {
      const body = `{${JSON.stringify(key)}:"x",${JSON.stringify(sale({ saleId: 'S-PROTO' })).slice(1)}`;
      expectProblem(
        await ledger.send('POST', '/sales', { body, headers: { 'content-type': 'application/json' } }),
        400,
        'VALIDATION_FAILED',
        key,
      );
    },
  );

  it('refuses one in a rebuild request, starting no rebuild', async () => {
    expectProblem(
      await ledger.post('/projections/rebuilds', JSON.parse('{"hasOwnProperty": false, "dryRun": true}')),
      400,
      'VALIDATION_FAILED',
      'hasOwnProperty',
    );
    expect((await ledger.get('/projections')).body.rebuild).toBeNull();
  });

  it.each(['__proto__', 'toString', 'constructor', 'prototype'])('refuses %s in a query string', async (key) => {
    expectProblem(await ledger.get(`/people/ana/income?${key}=1`), 400, 'VALIDATION_FAILED', key);
  });
});

describe('requests whose fields are all optional', () => {
  it('refuses a rebuild request whose body is JSON but not an object, starting no rebuild', async () => {
    // Nest's ValidationPipe turned a null body into {}, which started a rebuild
    for (const body of ['null', '[]', '42', '"rebuild"']) {
      expectProblem(
        await ledger.send('POST', '/projections/rebuilds', { body, headers: { 'content-type': 'application/json' } }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expect((await ledger.get('/projections')).body.rebuild).toBeNull();
  });
});

describe('a URL longer than the HTTP parser takes', () => {
  it('answers 431 HEADERS_TOO_LARGE as a problem, like every other error', async () => {
    expectProblem(await ledger.get(`/people/ana/income?from=${'x'.repeat(20_000)}`), 431, 'HEADERS_TOO_LARGE');
  });
});

describe('bodies that are not acceptable JSON', () => {
  const post = (body: string, contentType = 'application/json') =>
    ledger.send('POST', '/sales', { body, headers: { 'content-type': contentType } });

  it('refuses invalid JSON with 400 INVALID_JSON', async () => {
    expectProblem(await post('{"saleId": "S-1",'), 400, 'INVALID_JSON');
  });

  it('refuses an empty body with 400 INVALID_JSON', async () => {
    expectProblem(await post(''), 400, 'INVALID_JSON');
  });

  it('refuses a __proto__ or constructor key in valid JSON with 400 FORBIDDEN_JSON_KEY, not as invalid JSON', async () => {
    const proto = await post('{"__proto__": {"admin": true}, "saleId": "S-1"}');
    expectProblem(proto, 400, 'FORBIDDEN_JSON_KEY', '__proto__');
    expect(proto.body.detail).not.toContain('not valid JSON');
    const nested = await post('{"saleId": "S-1", "x": [{"constructor": {"prototype": {"admin": true}}}]}');
    expectProblem(nested, 400, 'FORBIDDEN_JSON_KEY', 'x.0.constructor');
  });

  it('refuses a body over the size limit with 413 BODY_TOO_LARGE', async () => {
    expectProblem(
      await post(JSON.stringify(sale({ customerId: 'x'.repeat(ledger.config.BODY_LIMIT_BYTES) }))),
      413,
      'BODY_TOO_LARGE',
    );
  });

  it('refuses a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    expectProblem(await post('saleId=S-1', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await post('saleId=S-1', 'application/x-www-form-urlencoded'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('malformed paths and query strings', () => {
  it('refuses an invalid subscription id in the path', async () => {
    const answer = await ledger.post('/subscriptions/SUB%20ONE/renewals', {
      renewalId: 'R-1',
      amount: '30.00',
      currency: 'USD',
      renewedAt: '2025-02-15T10:00:00Z',
    });
    expectProblem(answer, 400, 'INVALID_PARAMETER', 'subscriptionId');
  });

  it.each([
    ['/people/ana/income?from=yesterday', 'from'],
    ['/people/ana/income?minPosition=-1', 'minPosition'],
    ['/people/ana/income?minPosition=abc', 'minPosition'],
    ['/people/ana/income?minPosition=340282366920938463463374607431768211456', 'minPosition'],
    ['/people/ana/income?colour=red', 'colour'],
    ['/people/ana/history?limit=0', 'limit'],
    ['/people/ana/history?limit=1001', 'limit'],
    ['/people/ana/history?cursor=%21%21', 'cursor'],
    ['/people/ana/downline?depth=21', 'depth'],
    ['/people/ana/events?limit=101', 'limit'],
    ['/people/ana/events?from=2025-01-01T00:00:00Z', 'from'],
    ['/people/ana/downline?depth=two', 'depth'],
  ])('refuses %s', async (path, field) => {
    expectProblem(await ledger.get(path), 400, 'VALIDATION_FAILED', field);
  });

  it('answers a well-formed cursor past the end of the log with an empty page', async () => {
    const cursor = Buffer.from(`${'9'.repeat(39)}:0`).toString('base64url');
    const answer = await ledger.get(`/people/ana/history?cursor=${cursor}`);
    expect([answer.status, answer.body.lines, answer.body.nextCursor]).toEqual([200, [], null]);
  });

  it('refuses a badly encoded URL with 400 INVALID_URL', async () => {
    expectProblem(await ledger.get('/people/%E0%A4%A/income'), 400, 'INVALID_URL');
  });

  it('refuses a cursor that is not one of ours', async () => {
    expectProblem(
      await ledger.get(`/people/ana/history?cursor=${Buffer.from('x:y').toString('base64url')}`),
      400,
      'INVALID_PARAMETER',
      'cursor',
    );
  });

  it('refuses an invalid person id', async () => {
    expectProblem(await ledger.get('/people/%24where/income'), 400, 'INVALID_PARAMETER', 'personId');
  });

  it('answers unknown routes with 404 NOT_FOUND', async () => {
    expectProblem(await ledger.get('/nowhere'), 404, 'NOT_FOUND');
    expectProblem(await ledger.send('DELETE', '/sales', {}), 404, 'NOT_FOUND');
  });
});
