// A sale is "single" or "subscription"; "one-off" is a kind of income only. Clients in the field still post
// kind "one-off": it is a deprecated alias of "single", read as it at the edge, while the log keeps storing
// the word it always held (docs/api.md, Renamed; docs/events.md, SaleMade).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openTestStore, removeDir, startTestApp, type Answer, type TestApp } from '../support/test-app.js';

let ledger: TestApp;
beforeAll(async () => {
  ledger = await startTestApp();
  await ledger.post('/reps', { repId: 'ana', name: 'Ana', recruitedAt: '2024-01-01T00:00:00Z' });
  await ledger.post('/reps', { repId: 'ben', sponsorId: 'ana', name: 'Ben', recruitedAt: '2024-02-01T00:00:00Z' });
});
afterAll(async () => {
  await ledger.stop();
  await removeDir(ledger.dir);
});

const sale = (saleId: string, kind: unknown, overrides: Record<string, unknown> = {}) => ({
  saleId,
  repId: 'ben',
  customerId: 'C-1',
  amount: '12.50',
  currency: 'USD',
  kind,
  occurredAt: '2025-03-01T10:00:00Z',
  ...overrides,
});

/** The sale's event as the person's events answer shows it. */
async function shownSale(personId: string, saleId: string, position: string): Promise<any> {
  const { events } = (await ledger.get(`/people/${personId}/events?minPosition=${position}`)).body;
  return events.find((e: any) => e.stream === `sale-${saleId}`);
}

/** The sale's event as the log holds it, read past the service. */
async function storedSale(saleId: string): Promise<any> {
  const store = await openTestStore(ledger.dir);
  try {
    return (await store.readStream(`sale-${saleId}`, { fromRevision: 0, maxCount: 1 }))[0];
  } finally {
    await store.close();
  }
}

async function headOfLog(): Promise<string> {
  return (await ledger.get('/projections')).body.head;
}

describe('the deprecated sale kind "one-off"', () => {
  it('given a client that posts kind "one-off", when the sale is recorded, then it is a single sale, paid the same', async () => {
    const old = await ledger.post('/sales', sale('S-OLD', 'one-off'));
    const single = await ledger.post('/sales', sale('S-NEW', 'single'));
    expect([old.status, single.status]).toEqual([201, 201]);
    const [shownOld, shownNew] = [
      await shownSale('ben', 'S-OLD', single.body.position),
      await shownSale('ben', 'S-NEW', single.body.position),
    ];
    expect(shownOld.data.kind).toBe('single');
    expect({ ...shownOld.data, saleId: 'S-NEW' }).toEqual(shownNew.data);
    expect(shownOld.lines.map((l: any) => [l.rule, l.kind, l.amount])).toEqual(
      shownNew.lines.map((l: any) => [l.rule, l.kind, l.amount]),
    );
    const source = (await ledger.get(`/people/ben/lines/${old.body.position}/event`)).body;
    expect(source.data).toEqual(shownOld.data);
  });

  it('then the log stores it as every single sale was always stored, kind "one-off", whichever word was posted', async () => {
    const [old, single] = [await storedSale('S-OLD'), await storedSale('S-NEW')];
    expect([old.data.kind, single.data.kind]).toEqual(['one-off', 'one-off']);
    expect(Object.keys(single.data)).toEqual(Object.keys(old.data));
  });

  it('given a sale posted with one word, when it is retried with the other, then it is the identical retry (200)', async () => {
    const first = await ledger.post('/sales', sale('S-RETRY', 'one-off'));
    const retried = await ledger.post('/sales', sale('S-RETRY', 'single'));
    const back = await ledger.post('/sales', sale('S-RETRY', 'one-off'));
    expect([first.status, retried.status, back.status]).toEqual([201, 200, 200]);
    expect(retried.body).toEqual(first.body);
    expect(back.body).toEqual(first.body);
  });
});

describe('a kind that is neither', () => {
  const refused = async (body: object): Promise<Answer> => {
    const before = await headOfLog();
    const answer = await ledger.post('/sales', body);
    expect(await headOfLog()).toBe(before);
    expect([answer.status, answer.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(answer.contentType).toBe('application/problem+json; charset=utf-8');
    return answer;
  };
  const problemsOf = (answer: Answer, field: string): string[] =>
    answer.body.errors.find((e: { field: string }) => e.field === field)?.problems ?? [];

  it.each(['lifetime', 'One-off', 'one_off', 'SINGLE', 7, null])(
    'is refused: %p gets 400 VALIDATION_FAILED naming kind, in the new words, and writes nothing',
    async (kind) => {
      const answer = await refused(sale('S-BAD', kind));
      expect(problemsOf(answer, 'kind')).toEqual(['kind must be one of the following values: single, subscription']);
    },
  );

  it('given the old word with a subscriptionId, then it is refused as a single sale with one', async () => {
    const answer = await refused(sale('S-BAD', 'one-off', { subscriptionId: 'SUB-9' }));
    expect(problemsOf(answer, 'subscriptionId')).toEqual(['subscriptionId must be absent for a single sale']);
  });
});

describe('the OpenAPI document', () => {
  it('lists "single" and "subscription" as the kinds of a sale, and "one-off" apart, deprecated', async () => {
    const document = (await ledger.get('/docs-json')).body;
    const { kind } = document.components.schemas.RecordSaleRequest.properties;
    expect(kind.oneOf).toEqual([
      { type: 'string', enum: ['single', 'subscription'] },
      expect.objectContaining({ type: 'string', enum: ['one-off'], deprecated: true }),
    ]);
  });
});
