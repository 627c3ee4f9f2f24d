// The pay cycle over HTTP: the month of docs/pay-cycle.md, from first sale to payout export.
// Figures are the hand-computed ones of that page (plans/pay-cycle-example.plan.json: 20% on a
// sale, overrides 5/3/2%, overrides only for reps with 50.00 USD of their own volume in the month).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { post, rep, sale, waitForRebuild } from '../support/pay-cycle-given.js';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

const PLAN_FILE = 'plans/pay-cycle-example.plan.json';

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

/** `person currency opening earned adjustments closing` of every sealed (or previewed) statement. */
const rowsOf = (body: any) =>
  body.statements.map(
    (s: any) =>
      `${s.personId} ${s.currency} ${s.qualified ? 'qualified' : 'unqualified'} ${s.opening} ${s.earned} ${s.adjustments
        .map((a: any) => `${a.reason}:${a.corrects}:${a.amount}`)
        .join('+')} ${s.closing}`,
  );

/** `person payable reason`, and what is held or carried, of every statement. */
const payablesOf = (body: any) =>
  body.statements.map(
    (s: any) =>
      `${s.personId} ${s.payable} ${s.payableReason} held ${s.held} window ${s.heldForRefundWindow} carried ${s.carried} paidBefore ${s.paidBefore}`,
  );

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

  describe('closing the month', () => {
    let closed: any;
    let holdPosition = '';

    it('holds everything a person is owed while a hold is set on them', async () => {
      const hold = await ledger.post('/people/dan/holds', {
        holdId: 'H-1',
        reason: 'compliance review',
        operator: 'ops-jane',
      });
      expect(hold.status).toBe(201);
      const again = await ledger.post('/people/dan/holds', {
        holdId: 'H-1',
        reason: 'compliance review',
        operator: 'ops-jane',
      });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(hold.body);
      const reused = await ledger.post('/people/ana/holds', { holdId: 'H-1', reason: 'other', operator: 'ops-jane' });
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('HOLD_ID_REUSED');
      const unknown = await ledger.post('/people/dan/holds/H-9/lift', {
        outcome: 'release',
        reason: 'x',
        operator: 'ops-jane',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('HOLD_UNKNOWN');
      position = hold.body.position;
      holdPosition = hold.body.position;
    });

    it('previews every statement and the totals, as often as wanted, writing nothing', async () => {
      const preview = await ledger.get(`/periods/2025-03/close-preview?minPosition=${position}`);
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({ period: '2025-03', status: 'preview' });
      expect(rowsOf(preview.body)).toEqual([
        'ana USD qualified 0.00 21.75  21.75',
        'ben USD qualified 0.00 22.00  22.00',
        'cleo USD qualified 0.00 30.00  30.00',
        'dan USD qualified 0.00 40.00  40.00',
      ]);
      // ben's 25.00 sale of 28 March is inside the 5-day holding period: its lines wait (held); the rest, under 25.00, is carried
      expect(payablesOf(preview.body)).toEqual([
        'ana 0.00 held held 0.00 window 1.25 carried 20.50 paidBefore 0.00',
        'ben 0.00 held held 0.00 window 5.00 carried 17.00 paidBefore 0.00',
        'cleo 30.00 paid held 0.00 window 0.00 carried 0.00 paidBefore 0.00',
        'dan 0.00 held held 40.00 window 0.00 carried 0.00 paidBefore 0.00',
      ]);
      expect(preview.body.totals).toEqual([
        {
          currency: 'USD',
          opening: '0.00',
          earned: '113.75',
          notQualified: '0.00',
          adjustments: '0.00',
          closing: '113.75',
        },
      ]);
      const again = await ledger.get('/periods/2025-03/close-preview');
      expect(again.body.statementDigest).toBe(preview.body.statementDigest);
      const csv = await ledger.send('GET', '/periods/2025-03/close-preview', { headers: { accept: 'text/csv' } });
      expect(csv.contentType).toContain('text/csv');
      expect(csv.body.split('\r\n').slice(0, 2)).toEqual([
        'personId,currency,qualified,personalVolume,opening,earned,notQualified,adjustments,closing,paidBefore,forfeited,heldForRefundWindow,held,carried,payable,payableReason',
        'ana,USD,yes,60.00,0.00,21.75,0.00,0.00,21.75,0.00,0.00,1.25,0.00,20.50,0.00,held',
      ]);
      expect((await ledger.get('/periods/2025-03')).body).toMatchObject({ status: 'open', close: null });
    });

    it('closes the period with an event carrying the digest of its sealed statements; a repeat changes nothing', async () => {
      const preview = (await ledger.get('/periods/2025-03/close-preview')).body;
      const close = await ledger.post('/periods/2025-03/close', { operator: 'ops-jane' });
      expect(close.status).toBe(201);
      expect(close.body).toMatchObject({ stream: 'paycycle-periods', revision: 0 });
      expect(close.body.statementDigest).toBe(preview.statementDigest);
      const repeat = await ledger.post('/periods/2025-03/close', { operator: 'ops-jane' });
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(close.body);
      const status = (await ledger.get('/periods/2025-03')).body;
      expect(status).toMatchObject({
        status: 'closed',
        close: { period: '2025-03', operator: 'ops-jane', statementCount: 4, statementDigest: preview.statementDigest },
      });
      closed = (await ledger.get('/periods/2025-03/statements')).body;
      expect(rowsOf(closed)).toEqual(rowsOf(preview));
      const ben = (await ledger.get('/people/ben/periods/2025-03')).body;
      expect(ben).toMatchObject({ status: 'closed', basis: 'final', statementDigest: preview.statementDigest });
      expect(rowsOf(ben)).toEqual(['ben USD qualified 0.00 22.00  22.00']);
    });

    it('exports the payout batch of the closed period and records the payouts made, once each', async () => {
      const batch = await ledger.get('/periods/2025-03/payout-batch');
      expect(batch.status).toBe(200);
      expect(batch.contentType).toContain('text/csv');
      expect(batch.body).toBe('person,amount,currency,reference\r\ncleo,30.00,USD,2025-03.cleo.USD\r\n');
      const payout = {
        personId: 'cleo',
        amount: '30.00',
        currency: 'USD',
        providerReference: 'PP-1',
        operator: 'ops-jane',
      };
      const paid = await ledger.post('/periods/2025-03/payouts', payout);
      expect(paid.status).toBe(201);
      expect(paid.body).toMatchObject({ stream: 'payouts-2025-03', revision: 0 });
      const repeat = await ledger.post('/periods/2025-03/payouts', { ...payout, amount: '30' });
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(paid.body);
      const twice = await ledger.post('/periods/2025-03/payouts', { ...payout, providerReference: 'PP-2' });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('PAYOUT_ALREADY_RECORDED');
      for (const wrong of [
        { ...payout, personId: 'ana', amount: '21.75' }, // carried, not payable
        { ...payout, personId: 'dan', amount: '40.00' }, // held
        { ...payout, personId: 'ben', amount: '1.00' },
      ]) {
        const refused = await ledger.post('/periods/2025-03/payouts', wrong);
        expect(refused.status).toBe(422);
        expect(refused.body.code).toBe('PAYOUT_NOT_PAYABLE');
      }
      const open = await ledger.post('/periods/2025-04/payouts', payout);
      expect(open.body.code).toBe('PERIOD_NOT_CLOSED');
    });

    it('closes periods in order only', async () => {
      const skipped = await ledger.post('/periods/2025-05/close', { operator: 'ops-jane' });
      expect(skipped.status).toBe(422);
      expect(skipped.body).toMatchObject({ code: 'PERIOD_NOT_NEXT', next: '2025-04' });
      const earlier = await ledger.post('/periods/2025-02/close', { operator: 'ops-jane' });
      expect(earlier.body.code).toBe('PERIOD_NOT_NEXT');
      const open = await ledger.get('/periods/2025-04/statements');
      expect(open.status).toBe(409);
      expect(open.body.code).toBe('PERIOD_NOT_CLOSED');
    });

    it('leaves a sealed statement as it was when a fact dated inside it arrives, and adjusts the next period', async () => {
      // a full refund of cleo's 100.00 sale, dated in March, recorded after March closed
      const refund = await ledger.post('/sales/M-3/refunds', {
        refundId: 'R-1',
        amount: '100.00',
        currency: 'USD',
        reason: 'returned',
        refundedAt: '2025-03-31T12:00:00Z',
      });
      expect(refund.status).toBe(201);
      const lift = await ledger.post('/people/dan/holds/H-1/lift', {
        outcome: 'release',
        reason: 'cleared',
        operator: 'ops-jane',
      });
      expect(lift.status).toBe(201);
      const sealed = await ledger.get(`/periods/2025-03/statements?minPosition=${lift.body.position}`);
      expect(sealed.body).toEqual(closed);
      const april = (await ledger.get(`/periods/2025-04/close-preview?minPosition=${refund.body.position}`)).body;
      expect(rowsOf(april)).toEqual([
        'ana USD unqualified 21.75 0.00 late-fact:2025-03:-3.00 18.75',
        'ben USD unqualified 22.00 0.00 late-fact:2025-03:-5.00 17.00',
        'cleo USD unqualified 30.00 0.00 late-fact:2025-03:-20.00 10.00',
        'dan USD unqualified 40.00 0.00  40.00',
      ]);
      // cleo was paid 30.00 in March: the refund leaves her owing 20.00, carried and never paid out
      expect(payablesOf(april)).toEqual([
        'ana 0.00 carried held 0.00 window 0.00 carried 18.75 paidBefore 0.00',
        'ben 0.00 carried held 0.00 window 0.00 carried 17.00 paidBefore 0.00',
        'cleo 0.00 carried held 0.00 window 0.00 carried -20.00 paidBefore 30.00',
        'dan 40.00 paid held 0.00 window 0.00 carried 0.00 paidBefore 0.00',
      ]);
      const adjustment = april.statements.find((s: any) => s.personId === 'cleo').adjustments[0];
      expect(adjustment).toEqual({
        corrects: '2025-03',
        reason: 'late-fact',
        source: { eventId: expect.any(String), eventType: 'SaleRefunded', position: refund.body.position },
        plan: null,
        amount: '-20.00',
      });
    });

    it("lists a person's holds, standing or lifted, with who set and lifted them and why", async () => {
      // given dan's hold H-1, set before March closed and lifted (released) after
      // when an operator asks for dan's holds, and for the holds of people with none or unknown
      const dan = await ledger.get('/people/dan/holds');
      const ana = await ledger.get('/people/ana/holds');
      const nobody = await ledger.get('/people/nobody/holds');
      // then dan's one hold shows its lift; ana has none (her H-1 was refused); nobody is 404
      expect(dan.status).toBe(200);
      expect(dan.body).toEqual({
        personId: 'dan',
        holds: [
          {
            holdId: 'H-1',
            reason: 'compliance review',
            operator: 'ops-jane',
            setAt: expect.any(String),
            position: holdPosition,
            lifted: { outcome: 'release', reason: 'cleared', operator: 'ops-jane', liftedAt: expect.any(String) },
          },
        ],
      });
      expect(ana.body).toEqual({ personId: 'ana', holds: [] });
      expect([nobody.status, nobody.body.code]).toEqual([404, 'PERSON_UNKNOWN']);
    });

    it("shows in the open period's view the adjustments its close will bring, each naming the closed period and its source", async () => {
      const april = (await ledger.get('/periods/2025-04/close-preview')).body;
      const cleo = (await ledger.get('/people/cleo/periods/2025-04')).body;
      expect(cleo.comingAdjustments).toEqual([
        {
          currency: 'USD',
          corrects: '2025-03',
          reason: 'late-fact',
          source: { eventId: expect.any(String), eventType: 'SaleRefunded', position: expect.any(String) },
          plan: null,
          amount: '-20.00',
        },
      ]);
      for (const s of april.statements) {
        const view = (await ledger.get(`/people/${s.personId}/periods/2025-04`)).body;
        expect(view.comingAdjustments).toEqual(s.adjustments.map((a: any) => ({ currency: s.currency, ...a })));
      }
      // they land in the first open period only
      expect((await ledger.get('/people/cleo/periods/2025-05')).body.comingAdjustments).toEqual([]);
    });

    it('closes with everything earned and adjusted up to its end: the income the ledger shows to then', async () => {
      const close = await ledger.post('/periods/2025-04/close', { operator: 'ops-jane' });
      expect(close.status).toBe(201);
      const april = (await ledger.get('/periods/2025-04/statements')).body;
      for (const s of april.statements) {
        const income = (await ledger.get(`/people/${s.personId}/income?to=2025-05-01T00:00:00Z`)).body;
        expect(s.closing).toBe(income.totals.find((t: any) => t.currency === s.currency).total);
      }
    });

    it('reproduces sealed statements byte for byte after a restart under another plan, and adjusts the next period for the re-pricing', async () => {
      const before = await Promise.all(['2025-03', '2025-04'].map((p) => ledger.get(`/periods/${p}/statements`)));
      const planFile = join(ledger.dir, 'repriced.plan.json');
      const plan = JSON.parse(readFileSync(PLAN_FILE, 'utf8'));
      plan.versions[0].rules.directSale.rate = '0.25';
      writeFileSync(planFile, JSON.stringify(plan));
      await ledger.stop();
      ledger = await startTestApp({ dir: ledger.dir, overrides: { PLAN_FILE: planFile, PLAN_CHANGE_REBUILD: 'auto' } });
      await waitForRebuild(ledger);
      const after = await Promise.all(['2025-03', '2025-04'].map((p) => ledger.get(`/periods/${p}/statements`)));
      expect(after.map((a) => a.body)).toEqual(before.map((b) => b.body));
      expect(JSON.stringify(after.map((a) => a.body))).toBe(JSON.stringify(before.map((b) => b.body)));
      const may = (await ledger.get('/periods/2025-05/close-preview')).body;
      expect(payablesOf(may).map((p: string) => p.split(' held')[0])).toEqual([
        'ana 0.00 carried',
        'ben 0.00 carried',
        'cleo 0.00 carried',
        'dan 0.00 carried',
      ]);
      // 5% more on each sale's direct commission, less the refunded one: ana 60, ben 30 + 25, dan 200
      expect(rowsOf(may)).toEqual([
        'ana USD unqualified 18.75 0.00 plan-change:2025-04:3.00 21.75',
        'ben USD unqualified 17.00 0.00 plan-change:2025-04:2.75 19.75',
        'cleo USD unqualified 10.00 0.00  10.00',
        'dan USD unqualified 40.00 0.00 plan-change:2025-04:10.00 50.00',
      ]);
      const aprilClose = (await ledger.get('/periods/2025-04')).body.close;
      const ana = (await ledger.get('/people/ana/periods/2025-05')).body;
      expect(ana.comingAdjustments).toEqual([
        {
          currency: 'USD',
          corrects: '2025-04',
          reason: 'plan-change',
          source: null,
          plan: { from: aprilClose.planFingerprint, to: may.planFingerprint },
          amount: '3.00',
        },
      ]);
    });
  });
});
