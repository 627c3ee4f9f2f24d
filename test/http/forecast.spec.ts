// Forecasts and the valuation of recurring income over HTTP, against the worked example of
// docs/forecast.md: figures there were computed by hand (0.9^j, (1.1)^(−j/12)), and are asserted here.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { postAll, removeDir, startTestApp, type SampleRequest, type TestApp } from '../support/test-app.js';

const rep = (repId: string, sponsorId: string | null): SampleRequest => ({
  path: '/reps',
  body: { repId, sponsorId, name: repId.toUpperCase(), recruitedAt: '2024-12-01T09:00:00Z' },
});
const subscriptionSale = (id: string, repId: string, amount: string, at: string): SampleRequest => ({
  path: '/sales',
  body: {
    saleId: `S-${id}`,
    repId,
    customerId: `C-${id}`,
    amount,
    currency: 'USD',
    kind: 'subscription',
    subscriptionId: `SUB-${id}`,
    occurredAt: at,
  },
});
const renewals = (id: string, amount: string, hour: string, months: number): SampleRequest[] =>
  Array.from({ length: months }, (_, i) => ({
    path: `/subscriptions/SUB-${id}/renewals`,
    body: { renewalId: `R${i + 1}`, amount, currency: 'USD', renewedAt: `2025-0${i + 2}-01T${hour}:00:00Z` },
  }));

/** docs/forecast.md, "A worked example": ana sponsors ben; A runs (5 renewals paid), B was cancelled after 4. */
export function workedExample(): SampleRequest[] {
  return [
    rep('ana', null),
    rep('ben', 'ana'),
    subscriptionSale('A', 'ben', '100.00', '2025-01-01T10:00:00Z'),
    subscriptionSale('B', 'ana', '50.00', '2025-01-01T11:00:00Z'),
    ...renewals('B', '50.00', '11', 4),
    {
      path: '/subscriptions/SUB-B/cancellation',
      body: { reason: 'customer left', cancelledAt: '2025-05-15T00:00:00Z' },
    },
    ...renewals('A', '100.00', '10', 5),
  ];
}

/** Minor units of an amount fixed to two decimals, exactly. */
const cents = (amount: string): bigint => BigInt(amount.replace('.', ''));

const BEN_MONTHS = ['9.00', '8.10', '7.29', '6.56', '5.90', '5.31', '4.78', '4.30', '3.87', '3.49', '3.14', '2.82'];
const ANA_MONTHS = ['4.50', '4.05', '3.64', '3.28', '2.95', '2.66', '2.39', '2.15', '1.94', '1.74', '1.57', '1.41'];

describe('forecasts and valuations of recurring income', () => {
  let ledger: TestApp;
  let head: string;

  beforeAll(async () => {
    ledger = await startTestApp();
    head = (await postAll(ledger, workedExample())).body.position;
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it('measures retention with the sample behind each point, the running subscription censored', async () => {
    const answer = await ledger.get('/programme/retention');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ position: head, asOfTime: '2025-06-01T10:00:00.000Z' });
    expect(answer.body.overall).toEqual({
      product: '(all)',
      subscriptions: 2,
      tailHazard: 0.1,
      points: [
        { age: 1, atRisk: 2, ended: 0, survival: 1 },
        { age: 2, atRisk: 2, ended: 0, survival: 1 },
        { age: 3, atRisk: 2, ended: 0, survival: 1 },
        { age: 4, atRisk: 2, ended: 0, survival: 1 },
        { age: 5, atRisk: 2, ended: 1, survival: 0.5 },
      ],
    });
    expect(answer.body.byProduct).toEqual([]);
  });

  it("forecasts ben's renewal income month by month, weighted by survival, residual then passive", async () => {
    const answer = await ledger.get('/people/ben/forecast?horizonMonths=12&resamples=0');
    expect(answer.status).toBe(200);
    const f = answer.body;
    expect(f).toMatchObject({
      scope: { kind: 'person', personId: 'ben' },
      position: head,
      horizonMonths: 12,
      running: 1,
      ended: 0,
      renewalsPriced: 12,
    });
    const [usd] = f.currencies;
    expect(f.currencies).toHaveLength(1);
    expect(usd.months.map((m: any) => m.total)).toEqual(BEN_MONTHS);
    expect(usd.months.map((m: any) => m.residual)).toEqual([...BEN_MONTHS.slice(0, 6), ...Array(6).fill('0.00')]);
    expect(usd.months.map((m: any) => m.passive)).toEqual([...Array(6).fill('0.00'), ...BEN_MONTHS.slice(6)]);
    expect(usd.months[0]).toMatchObject({ month: 1, from: '2025-06-01T10:00:00.000Z', to: '2025-07-01T10:00:00.000Z' });
    expect(usd.horizon).toEqual({ oneOff: '0.00', residual: '42.17', passive: '22.41', total: '64.58' });
  });

  it("forecasts ana's overrides, rounding each expected value half to even once (5 × 0.729 = 3.645 → 3.64)", async () => {
    const answer = await ledger.get('/people/ana/forecast?horizonMonths=12&resamples=0');
    expect(answer.status).toBe(200);
    expect(answer.body.currencies[0].months.map((m: any) => m.total)).toEqual(ANA_MONTHS);
    expect(answer.body).toMatchObject({ running: 1, ended: 1 });
  });

  it("values ben's book by the multistage model: horizon, continuing value, book value", async () => {
    const answer = await ledger.get('/people/ben/valuation?horizonMonths=12&resamples=0');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ requiredRate: '0.10', persistence: '0.5' });
    expect(answer.body.valuation).toEqual([
      {
        currency: 'USD',
        presentValueOfForecast: '61.95',
        finalYearIncome: '64.58',
        continuingValue: '53.82',
        presentValueOfContinuingValue: '48.93',
        bookValue: '110.88',
        low: '110.88',
        high: '110.88',
      },
    ]);
  });

  it('covers a branch and the whole programme', async () => {
    const branch = await ledger.get('/branches/ana/forecast?horizonMonths=12&resamples=0');
    const programme = await ledger.get('/programme/forecast?horizonMonths=12&resamples=0');
    expect(branch.status).toBe(200);
    expect(programme.status).toBe(200);
    const totals = (a: any) => a.body.currencies[0].months.map((m: any) => m.total);
    // ben's 10.00 and ana's 5.00 of each renewal: 15 × 0.9^j
    expect(totals(branch)).toEqual([
      '13.50',
      '12.15',
      '10.94',
      '9.84',
      '8.86',
      '7.97',
      '7.17',
      '6.46',
      '5.81',
      '5.23',
      '4.71',
      '4.24',
    ]);
    expect(totals(programme)).toEqual(totals(branch));
    expect(programme.body.scope).toEqual({ kind: 'programme', personId: null });
  });

  it('gives a band from a seeded bootstrap: the same seed the same answer, the total inside the band', async () => {
    const path = '/people/ben/valuation?horizonMonths=24&resamples=50&seed=7&band=80';
    const [first, again] = [await ledger.get(path), await ledger.get(path)];
    expect(first.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(first.body.band).toEqual({ percent: 80, lowPercentile: 10, highPercentile: 90, resamples: 50, seed: 7 });
    for (const m of first.body.currencies[0].months) expect(cents(m.low)).toBeLessThanOrEqual(cents(m.high));
    const v = first.body.valuation[0];
    expect(cents(v.low)).toBeLessThan(cents(v.high));
  });

  it('is the forecast the ledger would have made as of an earlier position', async () => {
    const before = await ledger.get(`/people/ben/forecast?horizonMonths=12&resamples=0&asOf=${BigInt(head) - 1n}`);
    expect(before.status).toBe(200);
    expect(before.body.asOfTime).toBe('2025-05-01T11:00:00.000Z');
    expect(before.body.position).toBe(String(BigInt(head) - 1n));
    expect(before.body.currencies[0].months[0].total).not.toBe(BEN_MONTHS[0]);
  });

  it('follows the head as it moves, folding on from the last fold, as a fold from the start would', async () => {
    const path = '/programme/valuation?horizonMonths=24&resamples=20';
    expect((await ledger.get(path)).status).toBe(200); // folds the log up to the head
    const renewal = await ledger.post('/subscriptions/SUB-A/renewals', {
      renewalId: 'R6',
      amount: '100.00',
      currency: 'USD',
      renewedAt: '2025-07-01T10:00:00Z',
    });
    expect(renewal.status).toBe(201);
    const followed = await ledger.get(path);
    // one process owns an embedded log: a restart on the same files folds it again from the start
    await ledger.stop();
    ledger = await startTestApp({ dir: ledger.dir });
    const fromStart = await ledger.get(path);
    expect(followed.body.position).toBe(renewal.body.position);
    expect(followed.body).toEqual(fromStart.body);
  });

  it('refuses bad parameters with a problem, and unknown people and future positions', async () => {
    for (const query of [
      'horizonMonths=0',
      'horizonMonths=121',
      'seed=-1',
      'band=99',
      'resamples=x',
      'scope=all',
      'asOf=abc',
    ]) {
      const answer = await ledger.get(`/people/ben/forecast?${query}`);
      expect({ query, status: answer.status, code: answer.body.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(answer.contentType).toContain('application/problem+json');
    }
    for (const query of [
      'requiredRate=0',
      'requiredRate=1.5',
      'requiredRate=ten',
      'persistence=1.01',
      'persistence=-0.1',
    ]) {
      const answer = await ledger.get(`/programme/valuation?${query}`);
      expect({ query, status: answer.status, code: answer.body.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const short = await ledger.get('/people/ben/valuation?horizonMonths=6');
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('INVALID_PARAMETER');
    const nobody = await ledger.get('/people/zed/forecast');
    expect(nobody.status).toBe(404);
    expect(nobody.body.code).toBe('PERSON_UNKNOWN');
    const future = await ledger.get(`/programme/forecast?asOf=${10n ** 38n}`);
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('AS_OF_IN_FUTURE');
  });
});

describe('who may read a forecast', () => {
  const SECRETS = { reader: 'r-0123456789abcdefghijklmnop', ben: 'b-0123456789abcdefghijklmnop' };
  const API_KEYS = `writer:write:w-0123456789abcdefghijklmnop,reader:read:${SECRETS.reader},ben:read=ben:${SECRETS.ben}`;
  let ledger: TestApp;

  beforeAll(async () => {
    ledger = await startTestApp({ overrides: { API_KEYS } });
    for (const request of workedExample()) {
      const answer = await ledger.send('POST', request.path, {
        body: JSON.stringify(request.body),
        headers: { 'content-type': 'application/json', authorization: 'Bearer w-0123456789abcdefghijklmnop' },
      });
      expect(answer.status).toBe(201);
    }
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  const status = async (key: keyof typeof SECRETS, path: string) =>
    (await ledger.send('GET', path, { headers: { authorization: `Bearer ${SECRETS[key]}` } })).status;

  it("lets a read=<person> key see that person's forecast and valuation only, and no branch or programme", async () => {
    const paths = [
      '/people/ben/forecast',
      '/people/ben/valuation',
      '/people/ana/forecast',
      '/people/ana/valuation',
      '/branches/ben/forecast',
      '/branches/ben/valuation',
      '/programme/forecast',
      '/programme/valuation',
      '/programme/retention',
    ];
    const asBen = await Promise.all(paths.map((p) => status('ben', `${p}?resamples=0`)));
    expect(Object.fromEntries(paths.map((p, i) => [p, asBen[i]]))).toEqual({
      '/people/ben/forecast': 200,
      '/people/ben/valuation': 200,
      '/people/ana/forecast': 403,
      '/people/ana/valuation': 403,
      '/branches/ben/forecast': 403,
      '/branches/ben/valuation': 403,
      '/programme/forecast': 403,
      '/programme/valuation': 403,
      '/programme/retention': 403,
    });
    const asReader = await Promise.all(paths.map((p) => status('reader', `${p}?resamples=0`)));
    expect(asReader).toEqual(paths.map(() => 200));
  });

  it('describes every forecast route in the OpenAPI document, with its answer', async () => {
    const spec = (await ledger.get('/docs-json')).body;
    for (const path of [
      '/people/{personId}/forecast',
      '/people/{personId}/valuation',
      '/branches/{rootId}/forecast',
      '/branches/{rootId}/valuation',
      '/programme/forecast',
      '/programme/valuation',
      '/programme/retention',
    ]) {
      expect({
        path,
        schema: spec.paths[path]?.get?.responses?.['200']?.content?.['application/json']?.schema,
      }).toEqual({
        path,
        schema: { $ref: expect.stringMatching(/^#\/components\/schemas\/(Forecast|Valuation|Retention)Answer$/) },
      });
    }
    expect(Object.keys(spec.components.schemas.ValuationAnswer.properties)).toEqual(
      expect.arrayContaining(['valuation', 'requiredRate', 'persistence', 'currencies', 'band']),
    );
  });
});

describe('a forecast of a ledger with nothing in it yet', () => {
  let ledger: TestApp;
  beforeAll(async () => {
    ledger = await startTestApp();
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it('forecasts nothing and values it at nothing, rather than failing', async () => {
    const [forecast, valuation, retention] = await Promise.all(
      ['/programme/forecast', '/programme/valuation', '/programme/retention'].map((p) => ledger.get(p)),
    );
    expect([forecast!.status, valuation!.status, retention!.status]).toEqual([200, 200, 200]);
    expect(forecast!.body).toMatchObject({ asOfTime: null, running: 0, currencies: [] });
    expect(valuation!.body).toMatchObject({ asOfTime: null, valuation: [] });
    expect(retention!.body).toMatchObject({ asOfTime: null, overall: { subscriptions: 0, points: [] } });
  });
});
