// Restarts and rebuilds: the read model neither loses nor double-counts, and a rebuild from the
// log equals the incrementally built read model exactly.
import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadPlanFile } from '../../src/income/plan/plan-file.js';
import { ReadModel } from '../../src/income/projection/read-model.js';
import { rebuildReadModel } from '../../src/income/projection/rebuild.js';
import { openTestStore, postAll, removeDir, sampleNetwork, startTestApp, tempDir, type TestApp } from '../support/test-app.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

async function everyonesIncome(ledger: TestApp, minPosition: string): Promise<unknown[]> {
  return Promise.all(['ana', 'ben', 'cleo', 'dan', 'eve', 'fay'].map(async (p) => (await ledger.get(`/people/${p}/income?minPosition=${minPosition}`)).body.totals));
}

function digestOf(dir: string): string {
  const readModel = new ReadModel(join(dir, 'read-models.sqlite'));
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

    const reference = await startTestApp();
    dirs.push(reference.dir);
    const referenceLast = await postAll(reference, requests);
    expect(afterRestart).toEqual(await everyonesIncome(reference, referenceLast.body.position));
    await reference.stop();
    expect(mid.body.projections[0].checkpoint).toBe(mid.body.projections[0].head);
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
    const reference = await startTestApp();
    dirs.push(reference.dir);
    const referenceLast = await postAll(reference, requests);
    expect(totals).toEqual(await everyonesIncome(reference, referenceLast.body.position));
    await reference.stop();
  });
});

describe('a rebuild', () => {
  it('replays the log into read models equal to the incrementally built ones, row for row', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const ledger = await startTestApp({ dir });
    const last = await postAll(ledger, sampleNetwork());
    await ledger.get(`/people/ana/income?minPosition=${last.body.position}`);
    await ledger.stop();
    const incremental = digestOf(dir);

    const store = await openTestStore(dir);
    const readModel = new ReadModel(join(dir, 'read-models.sqlite'));
    const result = await rebuildReadModel(store, readModel, loadPlanFile('plans/default.plan.json'));
    readModel.close();
    await store.close();

    // 15 commands: the two subscription sales each wrote SubscriptionStarted and SaleMade
    expect(result).toEqual({ events: 17, position: last.body.position });
    expect(digestOf(dir)).toBe(incremental);
  });

  it('runs while the service serves, which then carries on from the rebuilt checkpoint', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const requests = sampleNetwork();
    const ledger = await startTestApp({ dir });
    await postAll(ledger, requests.slice(0, 10));

    const store = await openTestStore(dir);
    const readModel = new ReadModel(join(dir, 'read-models.sqlite'));
    await rebuildReadModel(store, readModel, loadPlanFile('plans/default.plan.json'));
    readModel.close();
    await store.close();

    const last = await postAll(ledger, requests.slice(10));
    const totals = await everyonesIncome(ledger, last.body.position);
    await ledger.stop();

    const reference = await startTestApp();
    dirs.push(reference.dir);
    const referenceLast = await postAll(reference, requests);
    expect(totals).toEqual(await everyonesIncome(reference, referenceLast.body.position));
    await reference.stop();
  });
});
