// Ranks and the rank card over HTTP: the hand-computed July and August of docs/pay-cycle.md ("Ranks"), under
// plans/ranks-example.plan.json (Associate, Manager and Director by personal volume, group volume and
// qualified legs; from August with dynamic compression). Provisional while a month is open, final at its
// close; each rep is paid overrides down to their rank's levels, and a late fact by the rank sealed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { post, rep, sale as oneOffSale } from '../support/pay-cycle-given.js';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

const PLAN_FILE = 'plans/ranks-example.plan.json';

/** A single USD sale at 10:00 on a day of July 2025 (or of `month`). */
const sale = (saleId: string, repId: string, amount: string, day: string, month = '07') =>
  oneOffSale(saleId, repId, amount, `2025-${month}-${day}T10:00:00Z`);

/** ana <- ben <- dan <- eve <- frank, and ana <- cleo; their sales in July 2025 (the page's table). */
const JULY = [
  rep('ana', null),
  rep('ben', 'ana'),
  rep('cleo', 'ana'),
  rep('dan', 'ben'),
  rep('eve', 'dan'),
  rep('frank', 'eve'),
  sale('R-1', 'ana', '100.00', '02'),
  sale('R-2', 'ben', '60.00', '04'),
  sale('R-3', 'cleo', '80.00', '07'),
  sale('R-4', 'dan', '200.00', '10'),
  sale('R-5', 'eve', '300.00', '15'),
  sale('R-6', 'frank', '100.00', '20'),
];

const PEOPLE = ['ana', 'ben', 'cleo', 'dan', 'eve', 'frank'];

/** `person rank levels personal group legs | next: lacking group, legs` for everyone's July. */
async function cards(ledger: TestApp, position: string): Promise<string[]> {
  const rows: string[] = [];
  for (const person of PEOPLE) {
    const answer = await ledger.get(`/people/${person}/periods/2025-07/rank?minPosition=${position}`);
    expect(answer.status).toBe(200);
    const c = answer.body;
    const next =
      c.next === null
        ? 'top'
        : `${c.next.rank} lacks ${c.next.lacking.groupVolume[0].amount} ${c.next.lacking.qualifiedLegs}`;
    rows.push(
      `${person} ${c.rank} ${c.overrideLevels} ${c.personalVolume[0].volume} ${c.groupVolume[0].volume} ${c.qualifiedLegs} | ${next}`,
    );
  }
  return rows;
}

/** `person rank levels | earned notQualified` of everyone's period (open or closed), in USD. */
async function figures(ledger: TestApp, period: string, position: string, people = PEOPLE): Promise<string[]> {
  const rows: string[] = [];
  for (const person of people) {
    const answer = await ledger.get(`/people/${person}/periods/${period}?minPosition=${position}`);
    expect(answer.status).toBe(200);
    const b = answer.body;
    const sums = b.status === 'open' ? b.totals : b.statements;
    const money = sums.map((t: { earned: string; notQualified: string }) => `${t.earned} ${t.notQualified}`);
    rows.push(`${person} ${b.rank.name} ${b.rank.overrideLevels} | ${money.join(', ') || 'none'}`);
  }
  return rows;
}

type Line = { rule: string; level: number | null; amount: string; source: { stream: string } };

/** A person's override lines of an open period: `sale level amount counted[ reason]`. */
async function overrides(ledger: TestApp, person: string, period: string): Promise<string[]> {
  const body = (await ledger.get(`/people/${person}/periods/${period}`)).body;
  return body.lines
    .filter((l: Line) => l.rule === 'override')
    .map(
      (l: Line & { counted: string; notQualifiedReason?: string }) =>
        `${l.source.stream} ${l.level} ${l.amount} ${l.counted}${l.notQualifiedReason ? ` ${l.notQualifiedReason}` : ''}`,
    );
}

describe('ranks in July', () => {
  let ledger: TestApp;
  let position: string;

  beforeAll(async () => {
    ledger = await startTestApp({ overrides: { PLAN_FILE } });
    position = await post(ledger, JULY);
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it('gives each rep the rank their personal volume, group volume and legs reach, and what the next lacks', async () => {
    expect(await cards(ledger, position)).toEqual([
      'ana Manager 2 100.00 840.00 2 | Director lacks 160.00 0',
      'ben Manager 2 60.00 660.00 1 | Director lacks 340.00 1',
      'cleo Associate 1 80.00 80.00 0 | Manager lacks 420.00 0',
      'dan Manager 2 200.00 600.00 1 | Director lacks 400.00 1',
      'eve Associate 1 300.00 400.00 1 | Manager lacks 100.00 0',
      'frank Associate 1 100.00 100.00 0 | Manager lacks 400.00 0',
    ]);
    const ana = (await ledger.get(`/people/ana/periods/2025-07/rank?minPosition=${position}`)).body;
    expect(ana).toMatchObject({ status: 'open', basis: 'projected', from: '2025-07-01T00:00:00.000Z' });
  });

  it("pays each rep's overrides down to their rank's levels, and shows a deeper one as not qualified by rank", async () => {
    expect(await figures(ledger, '2025-07', position)).toEqual([
      'ana Manager 2 | 33.00 6.00',
      'ben Manager 2 | 31.00 2.00',
      'cleo Associate 1 | 16.00 0.00',
      'dan Manager 2 | 58.00 0.00',
      'eve Associate 1 | 65.00 0.00',
      'frank Associate 1 | 20.00 0.00',
    ]);
    // ana, a Manager, is paid two levels: not eve's sale, three below her
    expect(await overrides(ledger, 'ana', '2025-07')).toEqual([
      'sale-R-2 1 3.00 earned',
      'sale-R-3 1 4.00 earned',
      'sale-R-4 2 6.00 earned',
      'sale-R-5 3 6.00 notQualified rank',
    ]);
    // dan, a Manager, is paid frank's sale two below him; eve, an Associate, the one just below her
    expect(await overrides(ledger, 'dan', '2025-07')).toEqual(['sale-R-5 1 15.00 earned', 'sale-R-6 2 3.00 earned']);
    expect(await overrides(ledger, 'eve', '2025-07')).toEqual(['sale-R-6 1 5.00 earned']);
    expect(await overrides(ledger, 'ben', '2025-07')).toEqual([
      'sale-R-4 1 10.00 earned',
      'sale-R-5 2 9.00 earned',
      'sale-R-6 3 2.00 notQualified rank',
    ]);
  });

  it('moves while July is open, and is final at its close: a later fact dated in July leaves it', async () => {
    // when cleo sells 450.00 more on 28 July: her group is 530.00 (Manager), ana's 1290.00 (Director)
    position = await post(ledger, [sale('R-7', 'cleo', '450.00', '28')]);
    const moved = await cards(ledger, position);
    expect(moved[0]).toBe('ana Director 3 100.00 1290.00 2 | top');
    expect(moved[2]).toBe('cleo Manager 2 530.00 530.00 0 | Director lacks 470.00 2');
    // and ana, a Director now, is paid eve's sale three below her
    expect((await figures(ledger, '2025-07', position))[0]).toBe('ana Director 3 | 61.50 0.00');
    // and July closes, then frank's late sale dated in July is recorded
    expect((await ledger.post('/periods/2025-07/close', { operator: 'ops' })).status).toBe(201);
    position = await post(ledger, [sale('R-8', 'frank', '400.00', '29')]);
    const final = await ledger.get(`/people/frank/periods/2025-07/rank?minPosition=${position}`);
    expect(final.body).toMatchObject({ status: 'closed', basis: 'final', rank: 'Associate' });
    expect(final.body.groupVolume).toEqual([{ currency: 'USD', volume: '100.00' }]);
  });

  it('seals each rep’s rank with their statement, and pays what the rank allowed', async () => {
    expect(await figures(ledger, '2025-07', position)).toEqual([
      'ana Director 3 | 61.50 0.00',
      'ben Manager 2 | 31.00 2.00',
      'cleo Manager 2 | 106.00 0.00',
      'dan Manager 2 | 58.00 0.00',
      'eve Associate 1 | 65.00 0.00',
      'frank Associate 1 | 20.00 0.00',
    ]);
    const statements = (await ledger.get('/periods/2025-07/statements')).body.statements;
    expect(statements.find((s: { personId: string }) => s.personId === 'ben').rank).toEqual({
      name: 'Manager',
      overrideLevels: 2,
    });
  });

  it('pays a late fact in closed July by the rank July sealed, not one recomputed with it', async () => {
    // given gus, recruited by ben, sells 100.00 dated 29 July, after the close (frank's 400.00 is in already):
    // recomputed, ben's July would reach Director (group 1160.00, 2 legs) and pay frank's sale three below him
    position = await post(ledger, [rep('gus', 'ben'), sale('R-9', 'gus', '100.00', '29')]);
    const coming = async (person: string) => {
      const body = (await ledger.get(`/people/${person}/periods/2025-08?minPosition=${position}`)).body;
      return body.comingAdjustments.map(
        (a: { corrects: string; reason: string; amount: string; source: { eventType: string } }) =>
          `${a.corrects} ${a.reason} ${a.source.eventType} ${a.amount}`,
      );
    };
    // then ben, a Manager as sealed, is paid gus's sale (level 1) and not frank's (level 3)
    expect(await coming('ben')).toEqual(['2025-07 late-fact SaleMade 5.00']);
    expect(await coming('ana')).toEqual(['2025-07 late-fact SaleMade 3.00']);
    expect(await coming('dan')).toEqual(['2025-07 late-fact SaleMade 12.00']);
    expect(await coming('eve')).toEqual(['2025-07 late-fact SaleMade 20.00']);
    expect(await coming('frank')).toEqual(['2025-07 late-fact SaleMade 80.00']);
    expect(await coming('gus')).toEqual(['2025-07 late-fact SaleMade 20.00']);
  });

  it('compresses August and counts a rank’s levels from the level an override is paid at', async () => {
    // given August under the plan's second version (dynamic compression): eve, at 20.00, is unqualified
    position = await post(ledger, [
      sale('A-1', 'ana', '100.00', '04', '08'),
      sale('A-2', 'ben', '150.00', '05', '08'),
      sale('A-3', 'dan', '300.00', '06', '08'),
      sale('A-4', 'eve', '20.00', '07', '08'),
      sale('A-5', 'frank', '100.00', '08', '08'),
    ]);
    const projected = await figures(ledger, '2025-08', position);
    expect(projected).toEqual([
      'ana Manager 2 | 36.50 2.40',
      'ben Manager 2 | 48.60 0.00',
      'cleo null 0 | none',
      'dan Associate 1 | 66.00 0.00',
      'eve null 0 | 4.00 5.00',
      'frank Associate 1 | 20.00 0.00',
    ]);
    const paid = async (person: string) => {
      const body = (await ledger.get(`/people/${person}/periods/2025-08`)).body;
      return body.paidOverrides.map(
        (o: Line & { level: number; paidLevel: number; counted: string; notQualifiedReason?: string }) =>
          `${o.source.stream} ${o.level} ${o.paidLevel} ${o.amount} ${o.counted}${o.notQualifiedReason ? ` ${o.notQualifiedReason}` : ''}`,
      );
    };
    // then frank's sale skips eve: dan (level 2) is paid level 1, ben (level 3) level 2, both within their ranks
    expect(await paid('dan')).toEqual(['sale-A-4 1 1 1.00 earned', 'sale-A-5 2 1 5.00 earned']);
    expect(await paid('ben')).toEqual([
      'sale-A-3 1 1 15.00 earned',
      'sale-A-4 2 2 0.60 earned',
      'sale-A-5 3 2 3.00 earned',
    ]);
    // and ana, a Manager, is not paid level 3: it does not roll up
    expect(await paid('ana')).toEqual([
      'sale-A-2 1 1 7.50 earned',
      'sale-A-3 2 2 9.00 earned',
      'sale-A-4 3 3 0.40 notQualified rank',
      'sale-A-5 4 3 2.00 notQualified rank',
    ]);
    // and eve's own override of frank's sale is not qualified by activity
    expect(await overrides(ledger, 'eve', '2025-08')).toEqual(['sale-A-5 1 5.00 notQualified activity']);
    // and the close seals exactly what was projected, with the late facts of July as adjustments
    expect((await ledger.post('/periods/2025-08/close', { operator: 'ops' })).status).toBe(201);
    const sealed = await figures(ledger, '2025-08', position, ['ana', 'ben', 'dan', 'eve', 'frank']);
    expect(sealed).toEqual(projected.filter((row) => !row.startsWith('cleo')));
    const ben = (await ledger.get('/people/ben/periods/2025-08')).body.statements[0];
    expect(ben.adjustments.map((a: { amount: string }) => a.amount)).toEqual(['5.00']);
  });

  it('answers 404 PERSON_UNKNOWN for a person the ledger does not know', async () => {
    const answer = await ledger.get('/people/nobody/periods/2025-07/rank');
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('PERSON_UNKNOWN');
  });
});
