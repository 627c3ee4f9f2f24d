// Caps per period over HTTP: the pay-cycle example plan with overrides capped at 8.00 USD per person
// and month, no holding period and no minimum payout. Ana (qualified by her own 60.00) is owed 5% of
// ben's 100.00 and 200.00 in March: 15.00 of overrides, of which the cap cuts 7.00.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, startTestApp, tempDir, type TestApp } from '../support/test-app.js';

function cappedPlan() {
  const plan = JSON.parse(readFileSync('plans/pay-cycle-example.plan.json', 'utf8'));
  plan.versions[0].periodRules.payout = {};
  plan.versions[0].periodRules.periodCaps = { override: { USD: '8.00' } };
  return plan;
}

const sale = (saleId: string, repId: string, amount: string, occurredAt: string) => ({
  saleId,
  repId,
  customerId: `C-${saleId}`,
  amount,
  currency: 'USD',
  kind: 'single',
  occurredAt,
});

const rowsOf = (body: any) =>
  body.statements.map(
    (s: any) =>
      `${s.personId} ${s.opening} ${s.earned} ${s.adjustments.map((a: any) => `${a.reason}:${a.amount}`).join('+')} ${s.closing} ${s.capped.map((c: any) => `${c.rule}:${c.cut}`).join('+')}`,
  );

describe('a cap per period on overrides', () => {
  let ledger: TestApp;
  let position: string;

  beforeAll(async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'capped.plan.json'), JSON.stringify(cappedPlan()));
    ledger = await startTestApp({ dir, overrides: { PLAN_FILE: join(dir, 'capped.plan.json') } });
    for (const [repId, sponsorId] of [
      ['ana', null],
      ['ben', 'ana'],
    ] as const) {
      const rep = { repId, sponsorId, name: repId, recruitedAt: '2025-01-01T09:00:00Z' };
      expect((await ledger.post('/reps', rep)).status).toBe(201);
    }
    for (const s of [
      sale('C-1', 'ana', '60.00', '2025-03-02T10:00:00Z'),
      sale('C-2', 'ben', '100.00', '2025-03-05T10:00:00Z'),
      sale('C-3', 'ben', '200.00', '2025-03-10T10:00:00Z'),
    ]) {
      const answer = await ledger.post('/sales', s);
      expect(answer.status).toBe(201);
      position = answer.body.position;
    }
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it('cuts what is over the cap while the month is open, and says how much (the kinds are before the cut)', async () => {
    const ana = (await ledger.get(`/people/ana/periods/2025-03?minPosition=${position}`)).body;
    expect(ana.totals).toEqual([
      {
        currency: 'USD',
        oneOff: '12.00',
        residual: '15.00',
        passive: '0.00',
        earned: '20.00',
        notQualified: '0.00',
        capped: [{ rule: 'override', cut: '7.00' }],
      },
    ]);
  });

  it('seals the cut on the statement, and reads it back byte for byte', async () => {
    const preview = (await ledger.get('/periods/2025-03/close-preview')).body;
    expect(rowsOf(preview)).toEqual(['ana 0.00 20.00  20.00 override:7.00', 'ben 0.00 60.00  60.00 ']);
    expect(preview.statements.find((s: any) => s.personId === 'ana').payable).toBe('20.00');
    expect((await ledger.post('/periods/2025-03/close', { operator: 'ops' })).status).toBe(201);
    const sealed = (await ledger.get('/periods/2025-03/statements')).body;
    expect(sealed.statements).toEqual(preview.statements);
    expect(sealed.statementDigest).toBe(preview.statementDigest);
  });

  it('brings no adjustment to the next month for what the cap cut (it was sealed so)', async () => {
    const april = (await ledger.get('/periods/2025-04/close-preview')).body;
    expect(rowsOf(april)).toEqual(['ana 20.00 0.00  20.00 ', 'ben 60.00 0.00  60.00 ']);
  });

  it('adjusts a late fact dated in the capped month whole: the closed month is not capped again', async () => {
    const late = await ledger.post('/sales', sale('C-4', 'ben', '40.00', '2025-03-20T10:00:00Z'));
    expect(late.status).toBe(201);
    const april = (await ledger.get(`/periods/2025-04/close-preview?minPosition=${late.body.position}`)).body;
    expect(rowsOf(april)).toEqual(['ana 20.00 0.00 late-fact:2.00 22.00 ', 'ben 60.00 0.00 late-fact:8.00 68.00 ']);
  });
});
