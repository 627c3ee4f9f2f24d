// Ranks and the rank card over HTTP: the hand-computed July of docs/pay-cycle.md ("Ranks"), under
// plans/ranks-example.plan.json (Associate, Manager and Director by personal volume, group volume and
// qualified legs). Provisional while July is open, final at its close.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

const PLAN_FILE = 'plans/ranks-example.plan.json';

const rep = (repId: string, sponsorId: string | null) => ({
  path: '/reps',
  body: { repId, sponsorId, name: repId, recruitedAt: '2025-01-01T09:00:00Z' },
});
const sale = (saleId: string, repId: string, amount: string, day: string) => ({
  path: '/sales',
  body: {
    saleId,
    repId,
    customerId: `C-${saleId}`,
    amount,
    currency: 'USD',
    kind: 'one-off',
    occurredAt: `2025-07-${day}T10:00:00Z`,
  },
});

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

async function post(ledger: TestApp, requests: readonly { path: string; body: unknown }[]): Promise<string> {
  let position = '';
  for (const request of requests) {
    const answer = await ledger.post(request.path, request.body);
    expect(answer.status).toBe(201);
    position = answer.body.position;
  }
  return position;
}

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

  it('moves while July is open, and is final at its close: a later fact dated in July leaves it', async () => {
    // when cleo sells 450.00 more on 28 July: her group is 530.00 (Manager), ana's 1290.00 (Director)
    position = await post(ledger, [sale('R-7', 'cleo', '450.00', '28')]);
    const moved = await cards(ledger, position);
    expect(moved[0]).toBe('ana Director 3 100.00 1290.00 2 | top');
    expect(moved[2]).toBe('cleo Manager 2 530.00 530.00 0 | Director lacks 470.00 2');
    // and July closes, then frank's late sale dated in July is recorded
    expect((await ledger.post('/periods/2025-07/close', { operator: 'ops' })).status).toBe(201);
    position = await post(ledger, [sale('R-8', 'frank', '400.00', '29')]);
    const final = await ledger.get(`/people/frank/periods/2025-07/rank?minPosition=${position}`);
    expect(final.body).toMatchObject({ status: 'closed', basis: 'final', rank: 'Associate' });
    expect(final.body.groupVolume).toEqual([{ currency: 'USD', volume: '100.00' }]);
  });

  it('answers 404 PERSON_UNKNOWN for a person the ledger does not know', async () => {
    const answer = await ledger.get('/people/nobody/periods/2025-07/rank');
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('PERSON_UNKNOWN');
  });
});
