// The worked example of docs/compensation-plan.md, posted over HTTP: every figure below was
// computed by hand from the plan, not by the code under test.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { postAll, removeDir, sampleNetwork, startTestApp, type TestApp } from '../support/test-app.js';

let ledger: TestApp;
let lastPosition: string;

beforeAll(async () => {
  ledger = await startTestApp();
  lastPosition = (await postAll(ledger, sampleNetwork())).body.position;
});
afterAll(async () => {
  await ledger.stop();
  await removeDir(ledger.dir);
});

const income = async (personId: string, query = '') =>
  (await ledger.get(`/people/${personId}/income?minPosition=${lastPosition}${query}`)).body;
const row = (currency: string, residual: string, passive: string, oneOff: string, total: string) => ({
  currency,
  residual,
  passive,
  oneOff,
  total,
});

describe('the worked example, posted over HTTP', () => {
  it('gives every person exactly the hand-computed totals, per currency, sorted by currency', async () => {
    expect((await income('ana')).totals).toEqual([
      row('JPY', '38', '0', '0', '38'),
      row('KWD', '1.518', '0.000', '2.025', '3.543'),
      row('USD', '0.25', '0.00', '0.00', '0.25'),
    ]);
    expect((await income('ben')).totals).toEqual([
      row('JPY', '62', '0', '0', '62'),
      row('KWD', '0.000', '0.000', '2.025', '2.025'),
      row('USD', '2.38', '1.00', '0.00', '3.38'),
    ]);
    expect((await income('cleo')).totals).toEqual([
      row('JPY', '0', '0', '250', '250'),
      row('USD', '3.62', '1.50', '0.00', '5.12'),
    ]);
    expect((await income('dan')).totals).toEqual([row('USD', '5.00', '2.50', '2.50', '10.00')]);
    expect((await income('eve')).totals).toEqual([row('USD', '5.00', '5.00', '10.00', '20.00')]);
    expect((await income('fay')).totals).toEqual([row('EUR', '0.00', '1.60', '0.00', '1.60')]);
  });

  it('answers with the position the figures reflect', async () => {
    const answer = await income('eve');
    expect(answer.personId).toBe('eve');
    expect(BigInt(answer.position) >= BigInt(lastPosition)).toBe(true);
  });

  it('filters totals by business time, from inclusive and to exclusive', async () => {
    expect((await income('eve', '&from=2025-02-15T10:00:00Z&to=2026-01-15T10:00:00Z')).totals).toEqual([
      row('USD', '5.00', '0.00', '0.00', '5.00'),
    ]);
    expect((await income('eve', '&from=2026-01-01T00:00:00Z')).totals).toEqual([
      row('USD', '0.00', '5.00', '0.00', '5.00'),
    ]);
    expect((await income('eve', '&to=2020-01-01T00:00:00Z')).totals).toEqual([]);
  });

  it("lists a person's lines in log order with their provenance", async () => {
    const { lines, nextCursor } = (await ledger.get(`/people/dan/history?minPosition=${lastPosition}`)).body;
    expect(nextCursor).toBeNull();
    expect(
      lines.map(
        (l: any) =>
          `${l.rule} ${l.kind} ${l.amount} ${l.currency} g${l.level} ${l.source.eventType} ${l.source.stream}@${l.source.revision}`,
      ),
    ).toEqual([
      'override residual 2.50 USD g1 SaleMade sale-S-1@0',
      'override residual 2.50 USD g1 SubscriptionRenewed subscription-SUB-1@1',
      'override passive 2.50 USD g1 SubscriptionRenewed subscription-SUB-1@2',
      'directSale one-off 2.50 USD gnull SaleMade sale-S-2@0',
    ]);
    expect(lines[0]).toEqual({
      kind: 'residual',
      rule: 'override',
      amount: '2.50',
      currency: 'USD',
      baseAmount: '49.99',
      rate: '0.05',
      fixedAmount: null,
      level: 1,
      product: null,
      step: null,
      cap: null,
      uncappedAmount: null,
      planVersion: '2026.1',
      occurredAt: '2025-01-15T10:00:00.000Z',
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      source: {
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        eventType: 'SaleMade',
        stream: 'sale-S-1',
        revision: 0,
        position: expect.stringMatching(/^[0-9]+$/),
      },
    });
  });

  it('pages through the history with a cursor, every line exactly once', async () => {
    const all = (await ledger.get('/people/ben/history?limit=1000')).body.lines;
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await ledger.get(`/people/ben/history?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.lines.length).toBeLessThanOrEqual(2);
      paged.push(...page.lines);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(all).toHaveLength(6);
    expect(paged).toEqual(all);
  });

  it("lists the raw events that touched a person's income, with the lines each produced, in pages", async () => {
    const first = (await ledger.get(`/people/dan/events?minPosition=${lastPosition}&limit=2`)).body;
    const rest = (await ledger.get(`/people/dan/events?limit=2&cursor=${first.nextCursor}`)).body;
    expect(rest.nextCursor).toBeNull();
    const events = [...first.events, ...rest.events];
    expect(
      events.map(
        (e: any) => `${e.type} ${e.stream}@${e.revision} ${e.lines.map((l: any) => `${l.rule}:${l.amount}`).join(',')}`,
      ),
    ).toEqual([
      'SaleMade sale-S-1@0 override:2.50', // eve's sale, dan's downline
      'SubscriptionRenewed subscription-SUB-1@1 override:2.50',
      'SubscriptionRenewed subscription-SUB-1@2 override:2.50',
      'SaleMade sale-S-2@0 directSale:2.50', // dan's own
    ]);
    expect(events[0]).toMatchObject({
      data: { saleId: 'S-1', repId: 'eve', amount: '49.99', currency: 'USD' },
      metadata: { businessKey: 'sale:S-1' },
    });
    expect(events[0].position).toBe(events[0].lines[0].source.position);
  });

  it('shows the tree under a person, to a depth', async () => {
    const shallow = (await ledger.get('/people/ben/downline?depth=1')).body;
    expect(shallow.downline.map((n: any) => [n.personId, n.level, n.downline.length])).toEqual([['cleo', 1, 0]]);
    const deep = (await ledger.get('/people/ana/downline?depth=10')).body;
    const path: string[] = [];
    for (let node = deep.downline[0]; node; node = node.downline[0]) path.push(`${node.personId}@${node.level}`);
    expect(path).toEqual(['ben@1', 'cleo@2', 'dan@3', 'eve@4']);
  });

  it('answers 404 with a problem for an unknown person', async () => {
    for (const query of ['income', 'history', 'downline', 'events']) {
      const answer = await ledger.get(`/people/nobody/${query}`);
      expect([answer.status, answer.body.code, answer.contentType]).toEqual([
        404,
        'PERSON_UNKNOWN',
        'application/problem+json; charset=utf-8',
      ]);
    }
  });

  it('reports the projection caught up with the head of the log', async () => {
    const status = (await ledger.get('/projections')).body;
    expect(status).toMatchObject({
      head: lastPosition,
      lag: '0',
      serving: { generation: 1, status: 'live', checkpoint: lastPosition },
      planChange: null,
      rebuild: null,
    });
    expect(status.serving.planFingerprint).toBe(status.configuredPlan);
  });
});
