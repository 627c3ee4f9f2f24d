// The activity minimum in a reporting currency over HTTP: the pay-cycle example plan with its 50.00
// minimum in USD, and EUR volume counting toward it at the plan's fixed rate of 1.10 USD per EUR.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, startTestApp, tempDir, type TestApp } from '../support/test-app.js';

function planWith(activity: object) {
  const plan = JSON.parse(readFileSync('plans/pay-cycle-example.plan.json', 'utf8'));
  plan.versions[0].periodRules.activity = activity;
  return plan;
}

const REPORTING = {
  minimumPersonalVolume: { USD: '50.00' },
  reportingCurrency: { currency: 'USD', rates: { EUR: '1.10' } },
};

const sale = (saleId: string, repId: string, amount: string, currency: string) => ({
  saleId,
  repId,
  customerId: `C-${saleId}`,
  amount,
  currency,
  kind: 'single',
  occurredAt: '2025-03-10T10:00:00Z',
});

describe('an activity minimum in a reporting currency', () => {
  let ledger: TestApp;

  beforeAll(async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'reporting.plan.json'), JSON.stringify(planWith(REPORTING)));
    ledger = await startTestApp({ dir, overrides: { PLAN_FILE: join(dir, 'reporting.plan.json') } });
    for (const [repId, sponsorId] of [
      ['ana', null],
      ['ben', 'ana'],
      ['cleo', 'ben'],
    ] as const) {
      const rep = { repId, sponsorId, name: repId, recruitedAt: '2025-01-01T09:00:00Z' };
      expect((await ledger.post('/reps', rep)).status).toBe(201);
    }
    for (const s of [sale('R-1', 'ben', '30.00', 'USD'), sale('R-2', 'cleo', '100.00', 'USD')])
      expect((await ledger.post('/sales', s)).status).toBe(201);
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it('counts volume in other currencies toward it at the rate the plan fixes', async () => {
    const before = (await ledger.get('/people/ben/periods/2025-03')).body;
    expect([before.qualification.qualified, before.qualification.reportingVolume]).toEqual([
      false,
      { currency: 'USD', volume: '30.00', minimum: '50.00' },
    ]);
    // 18.19 EUR × 1.10 = 20.009 → 20.01 USD (half-even to cents): 30.00 + 20.01 = 50.01, qualified
    const eur = await ledger.post('/sales', sale('R-3', 'ben', '18.19', 'EUR'));
    expect(eur.status).toBe(201);
    const after = (await ledger.get(`/people/ben/periods/2025-03?minPosition=${eur.body.position}`)).body;
    expect(after.qualification).toEqual({
      qualified: true,
      personalVolume: [
        { currency: 'EUR', volume: '18.19', minimum: null },
        { currency: 'USD', volume: '30.00', minimum: null },
      ],
      reportingVolume: { currency: 'USD', volume: '50.01', minimum: '50.00' },
    });
    const usd = after.totals.find((t: any) => t.currency === 'USD');
    expect(usd.notQualified).toBe('0.00');
  });

  it('seals the qualification it gives at close', async () => {
    const preview = (await ledger.get('/periods/2025-03/close-preview')).body;
    expect(preview.statements.filter((s: any) => s.personId === 'ben').map((s: any) => s.qualified)).toEqual([
      true,
      true,
    ]);
  });
});

describe('a reporting currency the plan gets wrong', () => {
  it('is refused in a candidate plan, naming each field', async () => {
    const ledger = await startTestApp();
    const plan = planWith({
      minimumPersonalVolume: { EUR: '50.00' },
      reportingCurrency: { currency: 'USD', rates: { USD: '1', GBP: '-1.2' } },
    });
    const answer = await ledger.post('/projections/rebuilds', { dryRun: true, plan });
    expect([answer.status, answer.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(answer.body.errors[0].problems).toEqual([
      'versions[0].periodRules.activity.reportingCurrency.rates.GBP: must be a positive decimal string such as "1.08"',
      'versions[0].periodRules.activity.reportingCurrency.rates.USD: is the reporting currency itself',
      'versions[0].periodRules.activity.minimumPersonalVolume.EUR: must be in the reporting currency, USD',
    ]);
    await ledger.stop();
    await removeDir(ledger.dir);
  });
});
