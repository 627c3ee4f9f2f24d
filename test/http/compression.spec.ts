// Qualification and dynamic compression over HTTP: the hand-computed June of docs/pay-cycle.md
// ("Dynamic compression"), under plans/compression-example.plan.json (20% on a sale, overrides
// 5/3/2%, 50.00 USD of own sales to qualify, an unqualified upline skipped when counting levels).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { post, rep, sale as saleOn } from '../support/pay-cycle-given.js';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

const PLAN_FILE = 'plans/compression-example.plan.json';

/** A sale of the page's June 2025, on `day` of the month. */
const sale = (saleId: string, repId: string, amount: string, day: string) =>
  saleOn(saleId, repId, amount, `2025-06-${day}T10:00:00Z`);

/** ana <- ben <- cleo <- dan <- eve, and their sales in June 2025 (the page's table). */
const JUNE = [
  rep('ana', null),
  rep('ben', 'ana'),
  rep('cleo', 'ben'),
  rep('dan', 'cleo'),
  rep('eve', 'dan'),
  sale('J-1', 'ana', '100.00', '02'),
  sale('J-2', 'ben', '20.00', '05'),
  sale('J-3', 'cleo', '60.00', '10'),
  sale('J-4', 'dan', '10.00', '15'),
  sale('J-5', 'eve', '200.00', '20'),
];

const PEOPLE = ['ana', 'ben', 'cleo', 'dan', 'eve'];

/** `person qualified earned notQualified` of everyone's projected June. */
async function projected(ledger: TestApp, position: string): Promise<string[]> {
  const rows: string[] = [];
  for (const person of PEOPLE) {
    const view = (await ledger.get(`/people/${person}/periods/2025-06?minPosition=${position}`)).body;
    const [totals] = view.totals;
    rows.push(`${person} ${view.qualification.qualified ? 'yes' : 'no'} ${totals.earned} ${totals.notQualified}`);
  }
  return rows;
}

const paidOf = (view: any) =>
  view.paidOverrides.map((l: any) => `${l.source.stream} level ${l.level} paid ${l.paidLevel} ${l.rate} ${l.amount}`);

describe('dynamic compression in June', () => {
  let ledger: TestApp;
  let position: string;

  beforeAll(async () => {
    ledger = await startTestApp({ overrides: { PLAN_FILE } });
    position = await post(ledger, JUNE);
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it('rolls each override up past unqualified uplines while the month is open (projected)', async () => {
    expect(await projected(ledger, position)).toEqual([
      'ana yes 30.30 0.00',
      'ben no 4.00 7.30',
      'cleo yes 22.50 0.00',
      'dan no 2.00 10.00',
      'eve yes 40.00 0.00',
    ]);
  });

  it("records on each paid override its level in the tree and the level it was paid at (Exigo's Level and PaidLevel)", async () => {
    const ana = (await ledger.get(`/people/ana/periods/2025-06?minPosition=${position}`)).body;
    expect(paidOf(ana)).toEqual([
      'sale-J-2 level 1 paid 1 0.05 1.00',
      'sale-J-3 level 2 paid 1 0.05 3.00',
      'sale-J-4 level 3 paid 2 0.03 0.30',
      'sale-J-5 level 4 paid 2 0.03 6.00',
    ]);
    // her own fold lines are replaced by the paid ones: the fold gave her no line of eve's sale at all
    expect(ana.lines.map((l: any) => `${l.source.stream} ${l.rule} ${l.counted}`)).toEqual([
      'sale-J-1 directSale earned',
      'sale-J-2 override compressed',
      'sale-J-3 override compressed',
      'sale-J-4 override compressed',
    ]);
  });

  it('moves the overrides when a late sale in the month qualifies a rep', async () => {
    position = await post(ledger, [sale('J-6', 'dan', '45.00', '28')]);
    expect(await projected(ledger, position)).toEqual([
      'ana yes 29.65 0.00',
      'ben no 4.00 8.65',
      'cleo yes 20.75 0.00',
      'dan yes 21.00 0.00',
      'eve yes 40.00 0.00',
    ]);
    const ana = (await ledger.get(`/people/ana/periods/2025-06?minPosition=${position}`)).body;
    expect(paidOf(ana)).toContain('sale-J-5 level 4 paid 3 0.02 4.00');
  });

  it('seals at close the figures the projection showed last: qualification final', async () => {
    const preview = (await ledger.get('/periods/2025-06/close-preview')).body;
    const closed = await ledger.post('/periods/2025-06/close', { operator: 'ops' });
    expect(closed.status).toBe(201);
    expect(closed.body.statementDigest).toBe(preview.statementDigest);
    const sealed = (await ledger.get('/periods/2025-06/statements')).body;
    expect(
      sealed.statements.map(
        (s: any) => `${s.personId} ${s.qualified ? 'yes' : 'no'} ${s.earned} ${s.notQualified} ${s.payable}`,
      ),
    ).toEqual([
      'ana yes 29.65 0.00 29.65',
      'ben no 4.00 8.65 4.00',
      'cleo yes 20.75 0.00 20.75',
      'dan yes 21.00 0.00 21.00',
      'eve yes 40.00 0.00 40.00',
    ]);
  });

  it('prices a late fact dated in the closed month by the qualification sealed for it', async () => {
    // a sale of cleo's dated in June, recorded after June closed: ben stays unqualified in June
    const late = await post(ledger, [sale('J-7', 'cleo', '100.00', '29')]);
    const july = (await ledger.get(`/periods/2025-07/close-preview?minPosition=${late}`)).body;
    const adjustments = july.statements.map(
      (s: any) => `${s.personId} ${s.adjustments.map((a: any) => `${a.reason}:${a.corrects}:${a.amount}`).join('+')}`,
    );
    // cleo's commission; ben unqualified in June is skipped: ana is paid level 1 (5%)
    expect(adjustments).toEqual(['ana late-fact:2025-06:5.00', 'ben ', 'cleo late-fact:2025-06:20.00', 'dan ', 'eve ']);
    const ana = (await ledger.get(`/people/ana/periods/2025-07?minPosition=${late}`)).body;
    expect(ana.comingAdjustments.map((a: any) => a.amount)).toEqual(['5.00']);
  });

  it('shows in /people/{id}/income the ledger by event, before any period rule', async () => {
    // her own 20.00 and the fold's overrides: 5% of ben's 20.00, 3% of cleo's 60.00 and 100.00, 2% of dan's
    // 10.00 and 45.00 (1.00 + 1.80 + 3.00 + 0.20 + 0.90); nothing of eve's sale, four levels down
    const income = (await ledger.get('/people/ana/income?from=2025-06-01T00:00:00Z&to=2025-07-01T00:00:00Z')).body;
    expect(income.totals[0].total).toBe('26.90');
  });
});
