// What GET /projections and GET /projections/rebuilds/{id} say about generations and rebuilds: a
// finished rebuild keeps how many events it folded, a generation whose files were deleted is `pruned`,
// and every plan is named by its versions as well as by its hash.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { openTestStore, postAll, removeDir, sampleNetwork, startTestApp, type TestApp } from '../support/test-app.js';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) {
    await app.stop();
    await removeDir(app.dir);
  }
});

const defaultPlan = () => JSON.parse(readFileSync('plans/default.plan.json', 'utf8')) as { versions: any[] };

async function ledgerWithSample(overrides: Record<string, string> = {}): Promise<TestApp> {
  const ledger = await startTestApp({ overrides });
  apps.push(ledger);
  await postAll(ledger, sampleNetwork());
  return ledger;
}

async function rebuilt(ledger: TestApp, body: object): Promise<any> {
  const started = await ledger.post('/projections/rebuilds', body);
  expect(started.status).toBe(202);
  for (let attempt = 0; attempt < 400; attempt++) {
    const progress = (await ledger.get(`/projections/rebuilds/${started.body.id}`)).body;
    if (progress.state !== 'running') return progress;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`rebuild ${started.body.id} still running`);
}

/** The events of the log as read, and as the store counts them (EventStoreDB cannot: null). */
async function eventsInLog(ledger: TestApp): Promise<{ read: number; counted: number | null }> {
  const store = await openTestStore(ledger.dir);
  try {
    return { read: (await store.readAll({ maxCount: 100_000 })).length, counted: await store.countEvents() };
  } finally {
    await store.close();
  }
}

describe('a finished rebuild', () => {
  it.each([
    ['a rebuild', { dryRun: false }],
    ['a dry run', { dryRun: true }],
  ])('%s keeps the events it folded and the events of the log', async (_, body) => {
    const ledger = await ledgerWithSample();
    const outcome = await rebuilt(ledger, body);
    const events = await eventsInLog(ledger);
    expect(events.read).toBeGreaterThanOrEqual(sampleNetwork().length); // a subscription sale writes two events
    expect(outcome).toMatchObject({ state: 'succeeded', eventsDone: events.read, eventsTotal: events.counted });
  });
});

describe('a rebuild that is not there', () => {
  it.each(['', '/report'])(
    'GET /projections/rebuilds/{id}%s: an unknown id is 404, a malformed one 400',
    async (tail) => {
      // given a ledger that has run no rebuild
      const ledger = await startTestApp();
      apps.push(ledger);
      // when a rebuild is asked for by an id it never gave, and by an id no rebuild can have
      const unknown = await ledger.get(`/projections/rebuilds/00000000-0000-4000-8000-000000000000${tail}`);
      const malformed = await ledger.get(`/projections/rebuilds/${'x'.repeat(65)}${tail}`);
      // then the first is REBUILD_UNKNOWN, the second INVALID_PARAMETER, each as problem+json
      expect([unknown.status, unknown.body.code]).toEqual([404, 'REBUILD_UNKNOWN']);
      expect([malformed.status, malformed.body.code]).toEqual([400, 'INVALID_PARAMETER']);
      expect(malformed.contentType).toContain('application/problem+json');
    },
  );
});

describe('generations', () => {
  it('whose files were deleted to keep GENERATIONS_KEPT are pruned, not abandoned', async () => {
    const ledger = await ledgerWithSample({ GENERATIONS_KEPT: '0' });
    expect((await rebuilt(ledger, {})).state).toBe('succeeded');
    const { generations } = (await ledger.get('/projections')).body;
    expect(generations.map((g: any) => `${g.id} ${g.status}`)).toEqual(['1 pruned', '2 current']);
  });
});

describe('plans', () => {
  it('are named by their versions: serving, configured, each generation and each rebuild', async () => {
    const ledger = await ledgerWithSample();
    const candidate = defaultPlan();
    candidate.versions.push({
      ...candidate.versions[0],
      version: 'candidate-2',
      effectiveFrom: '2030-01-01T00:00:00Z',
    });
    const whatIf = await rebuilt(ledger, { dryRun: true, plan: candidate });
    const versions = defaultPlan().versions.map((v) => v.version);
    const status = (await ledger.get('/projections')).body;
    expect(status.serving.planVersions).toEqual(versions);
    expect(status.configuredPlanVersions).toEqual(versions);
    expect(status.generations.map((g: any) => g.planVersions)).toEqual([versions, [...versions, 'candidate-2']]);
    expect(whatIf.planVersions).toEqual([...versions, 'candidate-2']);
  });
});
