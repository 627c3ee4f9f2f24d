// A close that died after writing some of its sealed chunks, then retried: the orphan chunks move the
// head of the log, yet the retried close seals exactly the bytes the preview showed (the kill -9 fault
// test, test/faults/close-kill.spec.ts, hits this only when its kill lands between two chunks).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PayCycleLog } from '../../src/income/pay-cycle/pay-cycle-log.js';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

const PLAN_FILE = 'plans/pay-cycle-example.plan.json';

const FACTS = [
  { path: '/reps', body: { repId: 'ana', sponsorId: null, name: 'Ana', recruitedAt: '2025-01-01T09:00:00Z' } },
  { path: '/reps', body: { repId: 'ben', sponsorId: 'ana', name: 'Ben', recruitedAt: '2025-01-01T09:00:00Z' } },
  {
    path: '/sales',
    body: {
      saleId: 'S-1',
      repId: 'ben',
      customerId: 'C-1',
      amount: '80.00',
      currency: 'USD',
      kind: 'single',
      occurredAt: '2025-03-05T10:00:00Z',
    },
  },
];

describe('a close retried after dying between its sealed chunks', () => {
  let ledger: TestApp;

  beforeAll(async () => {
    ledger = await startTestApp({ overrides: { PLAN_FILE } });
    for (const fact of FACTS) expect((await ledger.post(fact.path, fact.body)).status).toBe(201);
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it('seals the statements of the preview under the same asOfPosition and digest', async () => {
    // given a preview of March, and the first chunk of a close attempt that never recorded its close
    const preview = await ledger.get('/periods/2025-03/close-preview');
    expect(preview.status).toBe(200);
    const context = { correlationId: 'killed-close' };
    await ledger.app.get(PayCycleLog).appendChunk('2025-03', 'killed-attempt', 0, preview.body.statements, context);
    // when the close is retried
    const closed = await ledger.post('/periods/2025-03/close', { operator: 'ops' });
    // then it seals what the preview showed, and the orphan chunk is not part of it
    expect(closed.status).toBe(201);
    expect(closed.body.statementDigest).toBe(preview.body.statementDigest);
    const status = await ledger.get('/periods/2025-03');
    expect(status.body.close.asOfPosition).toBe(preview.body.asOfPosition);
    const sealed = await ledger.get('/periods/2025-03/statements');
    expect(sealed.body.statements).toEqual(preview.body.statements);
  });
});
