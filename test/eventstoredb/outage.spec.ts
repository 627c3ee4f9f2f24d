// The service on the EventStoreDB adapter when the server is down at start or goes away mid-run:
// commands answer 503 (never 500), the health check turns unready, and everything resumes, with
// no event lost or folded twice, when the server is back. Uses the test-only fake EventStoreDB.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startFakeEventStoreDb, type FakeEventStoreDb } from '../doubles/fake-eventstoredb-server.js';
import { postAll, removeDir, sampleNetwork, startTestApp, type TestApp } from '../support/test-app.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function appOn(fake: FakeEventStoreDb): Promise<TestApp> {
  const app = await startTestApp({
    overrides: { EVENTSTORE_CONNECTION_STRING: fake.connectionString, READ_WAIT_MS_MAX: '3000' },
  });
  cleanups.push(async () => {
    await app.stop();
    await removeDir(app.dir);
  });
  return app;
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ana = { repId: 'ana', name: 'Ana', recruitedAt: '2024-01-01T00:00:00Z' };

describe('EventStoreDB outages', () => {
  it('answers 503 while the server is away mid-run, then carries on', async () => {
    const fake = await startFakeEventStoreDb();
    cleanups.push(() => fake.stop());
    const ledger = await appOn(fake);
    const requests = sampleNetwork();
    await postAll(ledger, requests.slice(0, 7));

    await fake.stop();
    const refused = await ledger.post(requests[7]!.path, requests[7]!.body);
    expect([refused.status, refused.body.code]).toEqual([503, 'STORE_UNAVAILABLE']);
    expect(refused.contentType).toContain('application/problem+json');
    expect(
      (
        await eventually(
          () => ledger.get('/health'),
          (a) => a.status === 503,
        )
      ).status,
    ).toBe(503);

    await fake.restart();
    const retried = await eventually(
      () => ledger.post(requests[7]!.path, requests[7]!.body),
      (a) => a.status === 201,
    );
    expect(retried.status).toBe(201);
    const last = await postAll(ledger, requests.slice(8));
    const eve = await ledger.get(`/people/eve/income?minPosition=${last.body.position}`);
    expect(eve.body.totals).toEqual([
      { currency: 'USD', residual: '5.00', passive: '5.00', oneOff: '10.00', total: '20.00' },
    ]);
    expect(
      (
        await eventually(
          () => ledger.get('/health'),
          (a) => a.status === 200,
        )
      ).status,
    ).toBe(200);
  });

  it('starts while the server is down, unready and answering 503, and serves once it is up', async () => {
    const fake = await startFakeEventStoreDb();
    cleanups.push(() => fake.stop());
    await fake.stop();
    const ledger = await appOn(fake);
    expect((await ledger.get('/health')).status).toBe(503);
    expect((await ledger.post('/reps', ana)).status).toBe(503);

    await fake.restart();
    const recruited = await eventually(
      () => ledger.post('/reps', ana),
      (a) => a.status === 201,
    );
    expect(recruited.status).toBe(201);
    const income = await eventually(
      () => ledger.get(`/people/ana/income?minPosition=${recruited.body.position}`),
      (a) => a.status === 200,
      35_000,
    );
    expect(income.body).toMatchObject({ personId: 'ana', totals: [] });
  }, 45_000);

  it('resubscribes after the server drops the subscription, folding every event once', async () => {
    const fake = await startFakeEventStoreDb();
    cleanups.push(() => fake.stop());
    const ledger = await appOn(fake);
    const requests = sampleNetwork();
    await postAll(ledger, requests.slice(0, 9));
    fake.dropSubscriptions('consumer-too-slow');
    const last = await postAll(ledger, requests.slice(9));
    const dan = await eventually(
      () => ledger.get(`/people/dan/income?minPosition=${last.body.position}`),
      (a) => a.status === 200,
      20_000,
    );
    expect(dan.body.totals).toEqual([
      { currency: 'USD', residual: '5.00', passive: '2.50', oneOff: '2.50', total: '10.00' },
    ]);
  }, 30_000);
});
