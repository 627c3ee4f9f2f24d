// The audit of one representative: statements over HTTP, as of a knowledge point, compared with now.
// Figures are the hand-computed ones of docs/compensation-plan.md's worked example (dan's lines:
// S-1 override 2.50 on 2025-01-15, renewal override 2.50 on 2025-02-15, S-2 direct sale 2.50 on
// 2025-03-01, the 12-month renewal override 2.50 passive on 2026-01-15).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postAll, removeDir, sampleNetwork, startTestApp, tempDir, type TestApp } from '../support/test-app.js';

const PERIOD = 'from=2025-02-01T00:00:00Z&to=2026-01-01T00:00:00Z';
const row = (currency: string, residual: string, passive: string, oneOff: string, total: string) => ({
  currency,
  residual,
  passive,
  oneOff,
  total,
});

describe('a statement of one representative', () => {
  let ledger: TestApp;
  let issuedAt: string; // the position the first statement was issued at

  beforeAll(async () => {
    ledger = await startTestApp();
    issuedAt = (await postAll(ledger, sampleNetwork())).body.position;
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it('gives the opening balance, every line of the period with its provenance, and the closing balance', async () => {
    const answer = await ledger.get(`/people/dan/statement?${PERIOD}&minPosition=${issuedAt}`);
    expect(answer.status).toBe(200);
    const s = answer.body;
    expect(s).toMatchObject({
      personId: 'dan',
      personName: 'Dan Weber',
      period: { from: '2025-02-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' },
      asOf: null,
    });
    expect(s.source).toEqual({
      generation: 1,
      planFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      refolded: false,
    });
    expect(s.opening).toEqual([row('USD', '2.50', '0.00', '0.00', '2.50')]);
    expect(
      s.lines.map(
        (l: any) =>
          `${l.occurredAt.slice(0, 10)} ${l.rule} ${l.kind} ${l.baseAmount}×${l.rate}=${l.amount} ${l.currency} g${l.level} ${l.planVersion} ${l.source.eventType} ${l.source.stream}@${l.source.revision}`,
      ),
    ).toEqual([
      '2025-02-15 override residual 49.99×0.05=2.50 USD g1 2026.1 SubscriptionRenewed subscription-SUB-1@1',
      '2025-03-01 directSale one-off 12.50×0.20=2.50 USD gnull 2026.1 SaleMade sale-S-2@0',
    ]);
    expect(
      s.lines.every((l: any) => /^[0-9]+$/.test(l.source.position) && l.recordedAt <= new Date().toISOString()),
    ).toBe(true);
    expect(s.movement).toEqual([row('USD', '2.50', '0.00', '2.50', '5.00')]);
    expect(s.closing).toEqual([row('USD', '5.00', '0.00', '2.50', '7.50')]);
  });

  it('is a CSV file with Accept: text/csv, one row per balance and line', async () => {
    const answer = await ledger.send('GET', `/people/dan/statement?${PERIOD}`, { headers: { accept: 'text/csv' } });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/csv; charset=utf-8');
    const rows = (answer.body as string).trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'record,occurredAt,recordedAt,kind,rule,currency,amount,baseAmount,rate,level,planVersion,eventType,eventId,stream,revision,position,thenAmount,fixedAmount,product,step,cap,uncappedAmount',
    );
    expect(rows.filter((r) => r.startsWith('opening,')).map((r) => r.split(',').slice(3, 7).join(' '))).toEqual([
      'one-off  USD 0.00',
      'residual  USD 2.50',
      'passive  USD 0.00',
      'total  USD 2.50',
    ]);
    expect(
      rows
        .filter((r) => r.startsWith('line,'))
        .map((r) =>
          r
            .split(',')
            .slice(3, 13)
            .filter((_, i) => i !== 9)
            .join(' '),
        ),
    ).toEqual([
      'residual override USD 2.50 49.99 0.05 1 2026.1 SubscriptionRenewed',
      'one-off directSale USD 2.50 12.50 0.20  2026.1 SaleMade',
    ]);
    expect(rows.filter((r) => r.startsWith('closing,')).map((r) => r.split(',')[6])).toEqual([
      '2.50',
      '5.00',
      '0.00',
      '7.50',
    ]);
  });

  it('is a printable HTML page with Accept: text/html', async () => {
    const answer = await ledger.send('GET', `/people/dan/statement?${PERIOD}`, {
      headers: { accept: 'text/html,application/xhtml+xml;q=0.9' },
    });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('<h1>Income statement: Dan Weber (dan)</h1>');
    expect(answer.body).toContain('<td class="n"><b>7.50</b></td>');
    expect(answer.body).toContain('@media print');
    expect(answer.body).not.toContain('<script');
  });

  it('answers 406 for a format it does not serve, and refuses a bad period, asOf or compareWith with 400', async () => {
    expect(
      (await ledger.send('GET', `/people/dan/statement?${PERIOD}`, { headers: { accept: 'application/xml' } })).body,
    ).toMatchObject({ status: 406, title: 'Not Acceptable', code: 'NOT_ACCEPTABLE' });
    const refusals = await Promise.all(
      [
        '/people/dan/statement',
        '/people/dan/statement?from=2025-01-01T00:00:00Z',
        '/people/dan/statement?from=2025-02-01T00:00:00Z&to=2025-02-01T00:00:00Z',
        `/people/dan/statement?${PERIOD}&asOf=yesterday`,
        `/people/dan/statement?${PERIOD}&asOf=-1`,
        `/people/dan/statement?${PERIOD}&compareWith=now`,
        `/people/dan/statement?${PERIOD}&asOf=1&compareWith=then`,
      ].map(async (path) => [path, (await ledger.get(path)).status]),
    );
    expect(refusals.filter(([, status]) => status !== 400)).toEqual([]);
  });

  it('refuses a knowledge point the ledger has not reached with 422, and an unknown person with 404', async () => {
    const head = BigInt((await ledger.get('/projections')).body.serving.checkpoint);
    expect((await ledger.get(`/people/dan/statement?${PERIOD}&asOf=${head + 1000n}`)).body).toMatchObject({
      status: 422,
      code: 'AS_OF_IN_FUTURE',
    });
    expect((await ledger.get(`/people/dan/statement?${PERIOD}&asOf=2999-01-01T00:00:00Z`)).body).toMatchObject({
      status: 422,
      code: 'AS_OF_IN_FUTURE',
    });
    expect((await ledger.get(`/people/nobody/statement?${PERIOD}`)).body).toMatchObject({
      status: 404,
      code: 'PERSON_UNKNOWN',
    });
  });

  describe('given facts recorded after the statement was issued', () => {
    let before: any;
    let recordedBy: string;

    beforeAll(async () => {
      before = (await ledger.get(`/people/dan/statement?${PERIOD}`)).body;
      recordedBy = before.lines
        .map((l: any) => l.recordedAt)
        .sort()
        .at(-1);
      await new Promise((resolve) => setTimeout(resolve, 5)); // later facts are recorded in a later millisecond
      await postAll(ledger, [
        // a sale dated inside the period, recorded late
        {
          path: '/sales',
          body: {
            saleId: 'S-LATE',
            repId: 'dan',
            customerId: 'C-9',
            amount: '20.00',
            currency: 'USD',
            kind: 'single',
            occurredAt: '2025-06-01T10:00:00Z',
          },
        },
        // S-2 refunded in part in 2026: its reversing line is dated after the period
        {
          path: '/sales/S-2/refunds',
          body: {
            refundId: 'R-1',
            amount: '5.00',
            currency: 'USD',
            reason: 'damaged',
            refundedAt: '2026-02-01T10:00:00Z',
          },
        },
      ]);
    });

    it('reproduces the statement as of the position it answered with, exactly', async () => {
      expect(before.position).toBe(issuedAt);
      const again = (await ledger.get(`/people/dan/statement?${PERIOD}&asOf=${before.position}`)).body;
      expect({ ...again, asOf: null }).toEqual(before);
      expect(again.asOf).toEqual({ position: issuedAt });
      expect((await ledger.get(`/people/dan/statement?${PERIOD}`)).body.position).not.toBe(issuedAt); // today's is later
    });

    it('reproduces it as of a recorded time too', async () => {
      const again = (await ledger.get(`/people/dan/statement?${PERIOD}&asOf=${recordedBy}`)).body;
      expect(again.lines).toEqual(before.lines);
      expect(again.closing).toEqual(before.closing);
    });

    it("compares it with today's version: lines added, lines reversed since, balances", async () => {
      const s = (await ledger.get(`/people/dan/statement?${PERIOD}&asOf=${issuedAt}&compareWith=now`)).body;
      expect(s.closing).toEqual([row('USD', '5.00', '0.00', '2.50', '7.50')]);
      const c = s.comparison;
      expect(c.added.map((l: any) => `${l.source.stream} ${l.rule} ${l.amount}`)).toEqual([
        'sale-S-LATE directSale 4.00',
      ]);
      // 5.00 of 12.50 refunded: 0.4 of the 2.50 line
      expect(
        c.reversed.map(
          (r: any) =>
            `${r.line.source.stream} ${r.line.amount} ← ${r.reversedBy.map((l: any) => `${l.amount} on ${l.occurredAt.slice(0, 10)}`).join(', ')}`,
        ),
      ).toEqual(['sale-S-2 2.50 ← -1.00 on 2026-02-01']);
      expect(c.repriced).toEqual([]);
      expect(c.dropped).toEqual([]);
      expect(c.opening).toEqual([]);
      expect(c.closing).toEqual([{ currency: 'USD', kind: 'one-off', then: '2.50', now: '6.50', difference: '4.00' }]);
    });

    it('carries the comparison into the CSV', async () => {
      const csv = (
        await ledger.send('GET', `/people/dan/statement?${PERIOD}&asOf=${issuedAt}&compareWith=now`, {
          headers: { accept: 'text/csv' },
        })
      ).body as string;
      const rows = csv.trimEnd().split('\r\n');
      expect(
        rows
          .filter((r) => /^(added|reversed),/.test(r))
          .map((r) => {
            const c = r.split(',');
            return `${c[0]} ${c[6]} ${c[13]} then ${c[16]}`;
          }),
      ).toEqual(['added 4.00 sale-S-LATE then ', 'reversed -1.00 sale-S-2 then 2.50']);
    });
  });
});

describe('a statement issued before a rule change', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map(removeDir));
  });

  it('is reproduced to the cent after the rebuild, from the log, and compared with the re-priced figures', async () => {
    const dir = tempDir();
    dirs.push(dir);
    // given a statement issued under the first plan
    const first = await startTestApp({ dir, overrides: { GENERATIONS_KEPT: '0' } });
    const issuedAt = (await postAll(first, sampleNetwork())).body.position;
    const issued = (await first.get(`/people/dan/statement?${PERIOD}&asOf=${issuedAt}&minPosition=${issuedAt}`)).body;
    await first.stop();

    // when direct sales pay 0.30 from March 2025 and the service rebuilds (the old generation's files pruned)
    const plan = JSON.parse(readFileSync('plans/default.plan.json', 'utf8'));
    const v1 = plan.versions[0];
    plan.versions.push({
      ...v1,
      version: '2027.1',
      effectiveFrom: '2025-03-01T00:00:00Z',
      rules: { ...v1.rules, directSale: { default: { kind: 'one-off', pays: { rate: '0.30' } } } },
    });
    const planFile = join(dir, 'changed.plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    // (and a refold's scratch file left behind by a process that died, which the next start removes)
    mkdirSync(join(dir, 'read-models', 'scratch'), { recursive: true });
    writeFileSync(join(dir, 'read-models', 'scratch', 'left-behind.sqlite'), '');
    const second = await startTestApp({ dir, overrides: { PLAN_FILE: planFile, GENERATIONS_KEPT: '0' } });
    for (let i = 0; i < 400 && (await second.get('/projections')).body.serving.generation !== 2; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect((await second.get('/projections')).body.serving.generation).toBe(2);
    expect(existsSync(join(dir, 'read-models', 'scratch', 'left-behind.sqlite'))).toBe(false);

    // then the statement as of then is the one issued, folded again under the plan that served then
    const again = (await second.get(`/people/dan/statement?${PERIOD}&asOf=${issuedAt}`)).body;
    expect(again.source).toEqual({ generation: 1, planFingerprint: issued.source.planFingerprint, refolded: true });
    expect({ ...again, source: issued.source }).toEqual(issued);
    // and today's figures differ only by the re-priced direct sale
    const compared = (await second.get(`/people/dan/statement?${PERIOD}&asOf=${issuedAt}&compareWith=now`)).body
      .comparison;
    expect(compared.now.generation).toBe(2);
    expect(
      compared.repriced.map(
        (r: any) =>
          `${r.then.rate}→${r.now.rate} ${r.then.amount}→${r.now.amount} (${r.difference}) ${r.now.planVersion}`,
      ),
    ).toEqual(['0.20→0.30 2.50→3.75 (1.25) 2027.1']);
    expect([compared.added, compared.reversed, compared.dropped]).toEqual([[], [], []]);
    expect(compared.closing).toEqual([
      { currency: 'USD', kind: 'one-off', then: '2.50', now: '3.75', difference: '1.25' },
    ]);
    expect(readdirSync(join(dir, 'read-models', 'scratch'))).toEqual([]); // the refold cleaned up after itself
    await second.stop();
  });
});
