// Restarts and rebuilds: the read model neither loses nor double-counts, and a rebuild from the
// log equals the incrementally built read model exactly.
import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NO_STREAM } from '../../src/event-store/event-store.port.js';
import { eventIdFor } from '../../src/shared/ids.js';
import { ReadModel } from '../../src/income/read-model/read-model.js';
import {
  openTestStore,
  postAll,
  removeDir,
  sampleNetwork,
  startTestApp,
  tempDir,
  type TestApp,
} from '../support/test-app.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

async function everyonesIncome(ledger: TestApp, minPosition: string): Promise<unknown[]> {
  return Promise.all(
    ['ana', 'ben', 'cleo', 'dan', 'eve', 'fay'].map(
      async (p) => (await ledger.get(`/people/${p}/income?minPosition=${minPosition}`)).body.totals,
    ),
  );
}

/** Everyone's income when the same requests go to a fresh ledger with no interruption. */
async function uninterruptedIncome(requests: ReturnType<typeof sampleNetwork>): Promise<unknown[]> {
  const reference = await startTestApp();
  dirs.push(reference.dir);
  const last = await postAll(reference, requests);
  const totals = await everyonesIncome(reference, last.body.position);
  await reference.stop();
  return totals;
}

/** Waits for a rebuild to end and answers its final progress. */
export async function waitForRebuild(ledger: TestApp, id: string): Promise<any> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const progress = (await ledger.get(`/projections/rebuilds/${id}`)).body;
    if (progress.state !== 'running') return progress;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`rebuild ${id} still running after 10 s`);
}

async function rebuildOver(ledger: TestApp, body: object): Promise<any> {
  const started = await ledger.post('/projections/rebuilds', body);
  expect(started.status).toBe(202);
  return waitForRebuild(ledger, started.body.id);
}

function digestOf(file: string): string {
  const readModel = new ReadModel(file);
  try {
    return readModel.contentDigest();
  } finally {
    readModel.close();
  }
}

describe('a restart', () => {
  it('keeps every figure, counting nothing twice', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const requests = sampleNetwork();
    const first = await startTestApp({ dir });
    await postAll(first, requests.slice(0, 8));
    const mid = await first.get('/projections');
    await first.stop();

    const second = await startTestApp({ dir });
    const last = await postAll(second, requests.slice(8));
    const afterRestart = await everyonesIncome(second, last.body.position);
    await second.stop();

    expect(afterRestart).toEqual(await uninterruptedIncome(requests));
    expect(mid.body.serving.checkpoint).toBe(mid.body.head);
  });

  it('resumes from the checkpoint, folding the events appended while it was down', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const requests = sampleNetwork();
    const first = await startTestApp({ dir });
    await postAll(first, requests.slice(0, 7));
    await first.stop();

    // appended straight to the log while the service was down, as another writer would
    const writer = await startTestApp({ storeDir: dir });
    dirs.push(writer.dir);
    const last = await postAll(writer, requests.slice(7));
    await writer.stop();

    const second = await startTestApp({ dir });
    const totals = await everyonesIncome(second, last.body.position);
    await second.stop();
    expect(totals).toEqual(await uninterruptedIncome(requests));
  });
});

describe('a read model written by an older version of the service', () => {
  it('is set aside on start, and a new generation folds the whole log: the same figures, nothing lost', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const requests = sampleNetwork();
    const first = await startTestApp({ dir });
    const last = await postAll(first, requests);
    await first.get(`/people/dan/income?minPosition=${last.body.position}`);
    await first.stop();
    // an older layout: the schema version the file records is not this service's
    const old = new Database(join(dir, 'read-models', 'generation-1.sqlite'));
    old.pragma('user_version = 1');
    old.close();

    const second = await startTestApp({ dir });
    const status = (await second.get('/projections')).body;
    expect(status.serving.generation).toBe(2);
    expect(status.generations.map((g: any) => `${g.id} ${g.status}`)).toEqual(['1 abandoned', '2 current']);
    expect(await everyonesIncome(second, last.body.position)).toEqual(await uninterruptedIncome(requests));
    await second.stop();
  });
});

describe('a rebuild', () => {
  it('folds the log into a new generation equal, row for row, to the incrementally built one, then serves it', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const ledger = await startTestApp({ dir });
    const last = await postAll(ledger, sampleNetwork());
    const before = await everyonesIncome(ledger, last.body.position);
    const rebuild = await rebuildOver(ledger, {});
    expect(rebuild).toMatchObject({ state: 'succeeded', dryRun: false, generation: 2 });
    const status = (await ledger.get('/projections')).body;
    expect(status.serving.generation).toBe(2);
    expect(status.generations.map((g: any) => [g.id, g.status])).toEqual([
      [1, 'retired'],
      [2, 'current'],
    ]);
    expect(await everyonesIncome(ledger, last.body.position)).toEqual(before);
    await ledger.stop();
    expect(digestOf(join(dir, 'read-models', 'generation-2.sqlite'))).toBe(
      digestOf(join(dir, 'read-models', 'generation-1.sqlite')),
    );
  });

  it('runs while the service takes commands, and the new generation carries on with them', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const requests = sampleNetwork();
    const ledger = await startTestApp({ dir });
    await postAll(ledger, requests.slice(0, 10));
    const started = await ledger.post('/projections/rebuilds', {});
    expect(started.status).toBe(202);
    const last = await postAll(ledger, requests.slice(10));
    await waitForRebuild(ledger, started.body.id);
    expect(await everyonesIncome(ledger, last.body.position)).toEqual(await uninterruptedIncome(requests));
    await ledger.stop();
  });

  it('refuses a second rebuild while one runs, with 409', async () => {
    const ledger = await startTestApp();
    dirs.push(ledger.dir);
    const store = await openTestStore(ledger.dir);
    // more events than the projector folds in one batch (2,000), so the rebuild is still running when the second request comes
    const recruit = (i: number) => {
      const repId = `rep-${i}`;
      const data = { repId, sponsorId: null, name: repId, recruitedAt: '2024-01-01T00:00:00.000Z' };
      const metadata = {
        recordedAt: '2024-01-01T00:00:00.000Z',
        correlationId: repId,
        causationId: repId,
        businessKey: `rep:${repId}`,
      };
      return store.append(
        `rep-${repId}`,
        [{ id: eventIdFor('RepRecruited', `rep:${repId}`), type: 'RepRecruited', data, metadata }],
        NO_STREAM,
      );
    };
    // 100 appends in flight at a time: one by one, the EventStoreDB stand-in took most of the minute under load
    for (let from = 0; from < 6000; from += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, k) => recruit(from + k)));
    }
    await store.close();
    const answers = await Promise.all([
      ledger.post('/projections/rebuilds', {}),
      ledger.post('/projections/rebuilds', { dryRun: true }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    expect(answers.find((a) => a.status === 409)!.body.code).toBe('REBUILD_IN_PROGRESS');
    expect(await waitForRebuild(ledger, answers.find((a) => a.status === 202)!.body.id)).toMatchObject({
      state: 'succeeded',
    });
    await ledger.stop();
  }, 60_000);
});

describe('an interrupted subscription sale', () => {
  it('leaves a claim that a later renewal cannot use and a later sale can take over, with the projection healthy', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const ledger = await startTestApp({ dir });
    await ledger.post('/reps', { repId: 'ana', name: 'Ana', recruitedAt: '2024-01-01T00:00:00Z' });
    // The process died after claiming SUB-1 for S-1 and before recording S-1 (written as the handler would).
    const store = await openTestStore(dir);
    await store.append(
      'subscription-SUB-1',
      [
        {
          id: eventIdFor('SubscriptionStarted', 'subscription:SUB-1/S-1'),
          type: 'SubscriptionStarted',
          data: {
            subscriptionId: 'SUB-1',
            saleId: 'S-1',
            repId: 'ana',
            currency: 'USD',
            startedAt: '2025-01-15T10:00:00.000Z',
          },
          metadata: {
            recordedAt: '2025-01-15T10:00:00.000Z',
            correlationId: 'crash',
            causationId: 'crash',
            businessKey: 'subscription:SUB-1/S-1',
          },
        },
      ],
      NO_STREAM,
    );
    await store.close();
    const sale = (saleId: string, extra: object) => ({
      saleId,
      repId: 'ana',
      customerId: 'C-1',
      amount: '30.00',
      currency: 'USD',
      occurredAt: '2025-01-15T10:00:00Z',
      ...extra,
    });
    const renewal = { renewalId: 'R-1', amount: '30.00', currency: 'USD', renewedAt: '2025-02-15T10:00:00Z' };

    expect((await ledger.post('/subscriptions/SUB-1/renewals', renewal)).body.code).toBe('SUBSCRIPTION_UNKNOWN'); // claimed, sale not recorded
    expect(
      (await ledger.post('/sales', sale('S-2', { kind: 'subscription', subscriptionId: 'SUB-1' }))).body.code,
    ).toBe('SUBSCRIPTION_ALREADY_STARTED');
    expect((await ledger.post('/sales', sale('S-1', { kind: 'single' }))).status).toBe(201); // S-1 retried otherwise
    expect((await ledger.post('/subscriptions/SUB-1/renewals', renewal)).body.code).toBe('SUBSCRIPTION_UNKNOWN'); // the claim is an orphan
    expect((await ledger.post('/sales', sale('S-2', { kind: 'subscription', subscriptionId: 'SUB-1' }))).status).toBe(
      201,
    ); // takes it over
    const renewed = await ledger.post('/subscriptions/SUB-1/renewals', renewal);
    expect(renewed.status).toBe(201);

    const income = await ledger.get(`/people/ana/income?minPosition=${renewed.body.position}`);
    expect(income.body.totals).toEqual([
      { currency: 'USD', residual: '3.00', passive: '0.00', oneOff: '12.00', total: '15.00' },
    ]);
    expect((await ledger.get('/health')).status).toBe(200);
    await ledger.stop();
  });
});

describe('a read model kept while the event log is replaced', () => {
  it('stops the projection with a message saying to rebuild, rather than skip events silently', async () => {
    const dir = tempDir();
    const emptyLog = tempDir();
    dirs.push(dir, emptyLog);
    const first = await startTestApp({ dir });
    await postAll(first, sampleNetwork().slice(0, 3));
    await first.stop();

    const second = await startTestApp({ dir, storeDir: emptyLog });
    let projection: any;
    for (let attempt = 0; attempt < 50 && projection?.status !== 'failed'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      projection = (await second.get('/projections')).body.serving;
    }
    expect(projection).toMatchObject({ status: 'failed', error: expect.stringContaining('npm run rebuild') });
    expect((await second.get('/health')).status).toBe(503);
    await second.stop();
  });
});
