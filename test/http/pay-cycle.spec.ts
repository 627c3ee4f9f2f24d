// The pay cycle over HTTP: the month of docs/pay-cycle.md, from first sale to payout export.
// Figures are the hand-computed ones of that page (plans/pay-cycle-example.plan.json: 20% on a
// sale, overrides 5/3/2%, overrides only for reps with 50.00 USD of their own volume in the month).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

const PLAN_FILE = 'plans/pay-cycle-example.plan.json';

const rep = (repId: string, sponsorId: string | null) => ({
  path: '/reps',
  body: { repId, sponsorId, name: repId.toUpperCase(), recruitedAt: '2025-01-01T09:00:00Z' },
});
const sale = (saleId: string, repId: string, amount: string, occurredAt: string) => ({
  path: '/sales',
  body: { saleId, repId, customerId: `C-${saleId}`, amount, currency: 'USD', kind: 'one-off', occurredAt },
});

/** The network of the page: ana <- ben <- cleo <- dan, and their sales in March 2025. */
const MARCH = [
  rep('ana', null),
  rep('ben', 'ana'),
  rep('cleo', 'ben'),
  rep('dan', 'cleo'),
  sale('M-1', 'ana', '60.00', '2025-03-03T10:00:00Z'),
  sale('M-2', 'ben', '30.00', '2025-03-05T10:00:00Z'),
  sale('M-3', 'cleo', '100.00', '2025-03-10T10:00:00Z'),
  sale('M-4', 'dan', '200.00', '2025-03-20T10:00:00Z'),
];

async function post(ledger: TestApp, requests: readonly { path: string; body: unknown }[]): Promise<string> {
  let position = '';
  for (const request of requests) {
    const answer = await ledger.post(request.path, request.body);
    expect(answer.status).toBe(201);
    position = answer.body.position;
  }
  return position;
}

const totalsOf = (body: any) =>
  body.totals.map((t: any) => `${t.currency} earned ${t.earned} notQualified ${t.notQualified}`);

describe('a month of the pay cycle', () => {
  let ledger: TestApp;
  let position: string;

  beforeAll(async () => {
    ledger = await startTestApp({ overrides: { PLAN_FILE } });
    position = await post(ledger, MARCH);
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  describe('while the period is open', () => {
    it('shows the figures so far with the qualification so far: projected', async () => {
      const answer = await ledger.get(`/people/ana/periods/2025-03?minPosition=${position}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        personId: 'ana',
        period: '2025-03',
        from: '2025-03-01T00:00:00.000Z',
        to: '2025-04-01T00:00:00.000Z',
        status: 'open',
        basis: 'projected',
        qualification: { qualified: true, personalVolume: [{ currency: 'USD', volume: '60.00', minimum: '50.00' }] },
      });
      expect(totalsOf(answer.body)).toEqual(['USD earned 20.50 notQualified 0.00']);
    });

    it('earns no overrides for a rep below the minimum volume, and keeps their own commission', async () => {
      const answer = await ledger.get(`/people/ben/periods/2025-03?minPosition=${position}`);
      expect(answer.body.qualification).toEqual({
        qualified: false,
        personalVolume: [{ currency: 'USD', volume: '30.00', minimum: '50.00' }],
      });
      expect(totalsOf(answer.body)).toEqual(['USD earned 6.00 notQualified 11.00']);
      expect(answer.body.lines.map((l: any) => `${l.rule} ${l.amount} ${l.counted}`)).toEqual([
        'directSale 6.00 earned',
        'override 5.00 notQualified',
        'override 6.00 notQualified',
      ]);
    });

    it('brings the overrides back when a later sale in the same month qualifies the rep', async () => {
      const late = await post(ledger, [sale('M-5', 'ben', '25.00', '2025-03-28T10:00:00Z')]);
      const ben = await ledger.get(`/people/ben/periods/2025-03?minPosition=${late}`);
      expect(ben.body.qualification.qualified).toBe(true);
      expect(totalsOf(ben.body)).toEqual(['USD earned 22.00 notQualified 0.00']);
      const ana = await ledger.get(`/people/ana/periods/2025-03?minPosition=${late}`);
      expect(totalsOf(ana.body)).toEqual(['USD earned 21.75 notQualified 0.00']);
    });

    it('refuses a period that is not a month, and a person it does not know', async () => {
      const bad = await ledger.get('/people/ana/periods/2025-13');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('INVALID_PARAMETER');
      const unknown = await ledger.get('/people/nobody/periods/2025-03');
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('PERSON_UNKNOWN');
    });
  });
});
