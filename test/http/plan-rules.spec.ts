// The worked example of every plan rule (docs/compensation-plan.md, "A worked example with every
// rule"), posted over HTTP: every figure below was computed by hand in that document. Then one
// rule change of each kind, as a what-if and as a rebuild: the rebuild moves exactly what the
// what-if report said it would.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { postAll, removeDir, startTestApp, type SampleRequest, type TestApp } from '../support/test-app.js';

const PLAN_FILE = 'plans/examples/every-rule.plan.json';
const examplePlan = () => JSON.parse(readFileSync(PLAN_FILE, 'utf8'));
const network = () => JSON.parse(readFileSync('scripts/every-rule-network.json', 'utf8')) as SampleRequest[];

let ledger: TestApp;
let lastPosition: string;

beforeAll(async () => {
  ledger = await startTestApp({ overrides: { PLAN_FILE } });
  lastPosition = (await postAll(ledger, network())).body.position;
});
afterAll(async () => {
  await ledger.stop();
  await removeDir(ledger.dir);
});

const totals = async (personId: string) =>
  (await ledger.get(`/people/${personId}/income?minPosition=${lastPosition}`)).body.totals;
const row = (currency: string, residual: string, passive: string, oneOff: string, total: string) => ({
  currency,
  residual,
  passive,
  oneOff,
  total,
});

describe('the worked example with every rule, posted over HTTP', () => {
  it('gives every person exactly the hand-computed totals', async () => {
    expect(await totals('ana')).toEqual([row('USD', '61.00', '8.00', '0.00', '69.00')]);
    expect(await totals('ben')).toEqual([row('USD', '18.00', '0.00', '77.00', '95.00')]);
    expect(await totals('cleo')).toEqual([row('USD', '0.00', '0.00', '22.50', '22.50')]);
    expect(await totals('fay')).toEqual([
      row('EUR', '0.00', '0.00', '0.00', '0.00'),
      row('USD', '0.00', '5.00', '0.00', '5.00'),
    ]);
  });

  it('records on every line the rule, product, step and cap that gave it its amount', async () => {
    const { lines } = (await ledger.get(`/people/ben/history?minPosition=${lastPosition}`)).body;
    expect(
      lines.map((l: any) =>
        [
          l.source.stream,
          l.rule,
          l.kind,
          l.amount,
          l.rate ?? `fixed ${l.fixedAmount}`,
          l.product,
          l.step,
          l.cap,
          l.uncappedAmount,
        ]
          .map(String)
          .join(' '),
      ),
    ).toEqual([
      'sale-S-1 directSale one-off 25.00 fixed 25.00 KIT null null null',
      'sale-S-1 fastStart one-off 4.00 0.05 null null null null', // 80.10 × 0.05 = 4.005 → 4.00 (tie: even)
      'sale-S-2 directSale one-off 40.00 0.20 null null null null',
      'subscription-SUB-1 renewal residual 10.00 0.40 PRO renewals 1+ perSubscription 80.00',
      'subscription-SUB-1 renewal residual 0.00 0.40 PRO renewals 1+ perSubscription 80.00',
      'subscription-SUB-1 renewal residual 0.00 0.20 PRO renewals 3+ perSubscription 40.00',
      'sale-S-3 override residual 15.00 0.05 null null null null',
      'sale-S-3 fastStart residual 1.00 fixed 10.00 null null perCustomer 10.00',
      'sale-S-3 override residual -7.50 0.05 null null null null',
      'sale-S-3 fastStart residual -0.50 fixed 10.00 null null perCustomer null',
      'sale-S-4 directSale one-off 8.00 0.20 null null perCustomer 10.00',
    ]);
    expect(lines.every((l: any) => l.planVersion === 'rules.2025')).toBe(true);
  });

  it('records a conversion in a currency the fixed amount does not name as a zero line, and the what-if counts it', async () => {
    const { lines } = (await ledger.get(`/people/fay/history?minPosition=${lastPosition}`)).body;
    expect(lines.map((l: any) => [l.amount, l.currency, l.rate, l.fixedAmount])).toEqual([
      ['5.00', 'USD', null, '5.00'],
      ['0.00', 'EUR', null, null],
    ]);
    const report = await whatIf(examplePlan());
    expect(report.unpriced).toEqual([{ rule: 'affiliate', currency: 'EUR', old: 1, new: 1 }]);
  });

  it("refuses a renewal above the plan's maximum ratio to its sale's amount, and writes nothing", async () => {
    const refused = await ledger.post('/subscriptions/SUB-1/renewals', {
      renewalId: 'R-5',
      amount: '400.01', // the sale was 200.00; at most 2 × 200.00 = 400.00
      currency: 'USD',
      renewedAt: '2025-07-15T10:00:00Z',
    });
    expect([refused.status, refused.body.code, refused.contentType]).toEqual([
      422,
      'RENEWAL_EXCEEDS_SALE_RATIO',
      'application/problem+json; charset=utf-8',
    ]);
    expect(refused.body).toMatchObject({ saleAmount: '200.00', maxRatioToSale: '2' });
    expect((await ledger.get('/projections')).body.head).toBe(lastPosition);
  });
});

async function waitFor(id: string): Promise<any> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const progress = (await ledger.get(`/projections/rebuilds/${id}`)).body;
    if (progress.state !== 'running') return progress;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`rebuild ${id} still running`);
}

async function whatIf(plan: object): Promise<any> {
  const started = await ledger.post('/projections/rebuilds', { dryRun: true, plan });
  expect(await waitFor(started.body.id)).toMatchObject({ state: 'succeeded' });
  return (await ledger.get(`/projections/rebuilds/${started.body.id}/report`)).body;
}

/** The example plan with one change made to its only version's rules. */
function changed(change: (rules: any) => void): object {
  const plan = examplePlan();
  change(plan.versions[0].rules);
  return plan;
}

const moved = (report: any) =>
  report.rows
    .filter((r: any) => !/^-?0(\.0+)?$/.test(r.difference))
    .map((r: any) => `${r.personId} ${r.currency} ${r.kind} ${r.old} → ${r.new} (${r.difference})`);

describe('a change of each kind of rule, as a what-if and then as a rebuild', () => {
  const stillUnpriced = [{ rule: 'affiliate', currency: 'EUR', old: 1, new: 1 }];
  const changes: [string, object, string[], object[]][] = [
    [
      'a rate step: PRO overrides from renewal 3 pay 0.04, not 0.02 (the second is cut by the subscription cap)',
      changed((r) => (r.override.products.PRO.renewal.steps[1].pays = [{ rate: '0.04' }])),
      ['ana USD passive 8.00 → 10.00 (2.00)'],
      stillUnpriced,
    ],
    [
      'a duration: PRO overrides on renewals for 3 renewals only',
      changed((r) => (r.override.products.PRO.renewal.until = { renewals: 4 })),
      ['ana USD passive 8.00 → 4.00 (-4.00)'],
      stillUnpriced,
    ],
    [
      'a cap: 50.00, not 45.00, per customer',
      changed((r) => (r.caps.default.perCustomer = { USD: '50.00' })),
      ['ben USD one-off 77.00 → 79.00 (2.00)', 'ben USD residual 18.00 → 20.50 (2.50)'],
      stillUnpriced,
    ],
    [
      'a fast start: 5 days, not 30',
      changed((r) => (r.fastStart.default.withinDays = 5)),
      [
        'ana USD residual 61.00 → 51.00 (-10.00)',
        'ben USD one-off 77.00 → 75.00 (-2.00)',
        'ben USD residual 18.00 → 17.50 (-0.50)',
        'cleo USD one-off 22.50 → 15.00 (-7.50)',
      ],
      stillUnpriced,
    ],
    [
      'a fixed amount: affiliates also get 4.50 EUR',
      changed((r) => (r.affiliate.pays.fixed.EUR = '4.50')),
      ['fay EUR passive 0.00 → 4.50 (4.50)'],
      [{ rule: 'affiliate', currency: 'EUR', old: 1, new: 0 }],
    ],
    [
      'a product: KIT no longer has its own direct-sale rule',
      changed((r) => delete r.directSale.products.KIT),
      ['ben USD one-off 77.00 → 70.02 (-6.98)', 'ben USD residual 18.00 → 22.49 (4.49)'],
      stillUnpriced,
    ],
  ];

  it.each(changes)('%s', async (_name, plan, expected, unpriced) => {
    const report = await whatIf(plan);
    expect(moved(report)).toEqual(expected);
    expect(report.unpriced).toEqual(unpriced);
    // the rebuild under the candidate plan then serves exactly the report's new figures, for everyone
    const serving = (await ledger.get('/projections')).body.serving.generation;
    const started = await ledger.post('/projections/rebuilds', { plan });
    expect(await waitFor(started.body.id)).toMatchObject({ state: 'succeeded' });
    for (let i = 0; i < 400 && (await ledger.get('/projections')).body.serving.generation === serving; i++)
      await new Promise((r) => setTimeout(r, 25));
    for (const r of report.rows) {
      const now = (await totals(r.personId)).find((t: any) => t.currency === r.currency);
      const field = r.kind === 'one-off' ? 'oneOff' : r.kind;
      expect(`${r.personId} ${r.currency} ${r.kind} ${now[field]}`).toBe(
        `${r.personId} ${r.currency} ${r.kind} ${r.new}`,
      );
    }
    // and back to the example plan, for the next change
    const back = await ledger.post('/projections/rebuilds', { plan: examplePlan() });
    expect(await waitFor(back.body.id)).toMatchObject({ state: 'succeeded' });
    expect(await totals('ben')).toEqual([row('USD', '18.00', '0.00', '77.00', '95.00')]);
  });
});
