// Periods in a named time zone over HTTP: the pay-cycle example plan paying in Europe/Berlin, whose
// summer time starts on 30 March 2025, so that April begins at 22:00 UTC on 31 March.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, startTestApp, tempDir, type TestApp } from '../support/test-app.js';

const examplePlan = () => JSON.parse(readFileSync('plans/pay-cycle-example.plan.json', 'utf8'));

function inZone(timeZone: string) {
  const plan = examplePlan();
  plan.versions[0].periodRules.timeZone = timeZone;
  return plan;
}

const sale = (saleId: string, amount: string, occurredAt: string) => ({
  saleId,
  repId: 'ana',
  customerId: `C-${saleId}`,
  amount,
  currency: 'USD',
  kind: 'single',
  occurredAt,
});

describe('a programme paying in Europe/Berlin', () => {
  let ledger: TestApp;
  let position: string;

  beforeAll(async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'berlin.plan.json'), JSON.stringify(inZone('Europe/Berlin')));
    ledger = await startTestApp({ dir, overrides: { PLAN_FILE: join(dir, 'berlin.plan.json') } });
    const rep = { repId: 'ana', sponsorId: null, name: 'Ana', recruitedAt: '2025-01-01T09:00:00Z' };
    expect((await ledger.post('/reps', rep)).status).toBe(201);
    // 23:30 on 31 March in Berlin (summer time, +02:00), and 00:30 on 1 April
    expect((await ledger.post('/sales', sale('B-1', '60.00', '2025-03-31T21:30:00Z'))).status).toBe(201);
    const april = await ledger.post('/sales', sale('B-2', '70.00', '2025-03-31T22:30:00Z'));
    expect(april.status).toBe(201);
    position = april.body.position;
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it("cuts periods at Berlin's midnights, in winter and in summer time", async () => {
    const march = await ledger.get(`/people/ana/periods/2025-03?minPosition=${position}`);
    expect(march.status).toBe(200);
    expect([march.body.from, march.body.to]).toEqual(['2025-02-28T23:00:00.000Z', '2025-03-31T22:00:00.000Z']);
    const status = await ledger.get('/periods/2025-04');
    expect([status.body.from, status.body.to]).toEqual(['2025-03-31T22:00:00.000Z', '2025-04-30T22:00:00.000Z']);
  });

  it('puts each line in the period of its business time in Berlin', async () => {
    const sourcesIn = async (period: string) =>
      (await ledger.get(`/people/ana/periods/${period}?minPosition=${position}`)).body.lines.map(
        (l: any) => l.source.stream,
      );
    expect(await sourcesIn('2025-03')).toEqual(['sale-B-1']);
    expect(await sourcesIn('2025-04')).toEqual(['sale-B-2']);
  });

  it('seals at the close only the lines dated before the end of March in Berlin', async () => {
    const preview = await ledger.get('/periods/2025-03/close-preview');
    expect(preview.status).toBe(200);
    const projected = await ledger.get(`/people/ana/periods/2025-03?minPosition=${position}`);
    expect(preview.body.statements.map((s: any) => [s.personId, s.earned])).toEqual([
      ['ana', projected.body.totals[0].earned],
    ]);
    expect(preview.body.to).toBe('2025-03-31T22:00:00.000Z');
  });
});

describe('a time zone name ICU does not know', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await removeDir(dir);
  });

  it('is refused in a candidate plan, naming the field', async () => {
    const ledger = await startTestApp();
    dirs.push(ledger.dir);
    const answer = await ledger.post('/projections/rebuilds', { dryRun: true, plan: inZone('Europe/Atlantis') });
    expect([answer.status, answer.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(answer.body.errors[0].problems).toEqual([
      'versions[0].periodRules.timeZone: must be "UTC", a fixed offset such as "+02:00", or an IANA time zone name such as "Europe/Berlin"',
    ]);
    await ledger.stop();
  });

  it('is refused at start', async () => {
    const dir = tempDir();
    dirs.push(dir);
    writeFileSync(join(dir, 'bad.plan.json'), JSON.stringify(inZone('Europe/Atlantis')));
    await expect(startTestApp({ dir, overrides: { PLAN_FILE: join(dir, 'bad.plan.json') } })).rejects.toThrow(
      'versions[0].periodRules.timeZone: must be "UTC", a fixed offset',
    );
  });
});
