// Statements cost far more than other reads. One key flooding statements that each fold the log
// again (asOf a point a generation no longer serving answered) gets its share and 429s past it,
// while another key's cheap reads keep being answered.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { STATEMENTS_PER_CALLER_MAX } from '../../src/income/statement/statement-limits.js';
import { seedNetwork } from '../support/seed-log.js';
import { openTestStore, removeDir, startTestApp, tempDir, type TestApp } from '../support/test-app.js';

const REPS = 1500;
const FLOOD_CONNECTIONS = 8;
const FLOOD_ROUNDS = 3;
const SECRETS = {
  flooder: 'f-0123456789abcdefghijklmnop',
  other: 'o-0123456789abcdefghijklmnop',
  admin: 'x-0123456789abcdefghijklmnop',
};
const dir = tempDir('fair-reads-');
let ledger: TestApp;
let beforeSwitch: string;

const get = (key: keyof typeof SECRETS, path: string) =>
  fetch(ledger.url + path, { headers: { authorization: `Bearer ${SECRETS[key]}` } });

async function seed(): Promise<void> {
  const store = await openTestStore(dir);
  const network = { reps: REPS, recruitedAt: '2024-01-01T00:00:00.000Z', soldAt: '2024-06-01T00:00:00.000Z' };
  await seedNetwork(store, { ...network, amountOf: (i) => `${(i % 97) + 1}.50` });
  await store.close();
}

beforeAll(async () => {
  await seed();
  ledger = await startTestApp({
    dir,
    overrides: {
      API_KEYS: `flooder:read:${SECRETS.flooder},other:read:${SECRETS.other},admin:admin:${SECRETS.admin}`,
      RATE_LIMIT_PER_MINUTE: '0',
      GENERATIONS_KEPT: '0', // the generation before the switch is pruned: statements as of then are refolds
    },
  });
  beforeSwitch = ((await (await get('admin', '/projections')).json()) as { head: string }).head;
  expect((await get('other', `/people/r0/income?minPosition=${beforeSwitch}`)).status).toBe(200);
  // a rebuild: statements asOf a point before its switch are folded again from the log
  const started = await fetch(`${ledger.url}/projections/rebuilds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRETS.admin}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const { id } = (await started.json()) as { id: string };
  for (let state = 'running'; state === 'running'; await new Promise((resolve) => setTimeout(resolve, 50)))
    state = ((await (await get('admin', `/projections/rebuilds/${id}`)).json()) as { state: string }).state;
}, 120_000);

afterAll(async () => {
  await ledger?.stop();
  await removeDir(dir);
});

describe('a key flooding statements', () => {
  it('given statements that fold the log again, when one key sends many at once, then it gets its share and 429s with Retry-After, and another key is answered throughout', async () => {
    const statement = `/people/r1/statement?from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z&asOf=${beforeSwitch}`;
    const refused: { status: number; retryAfter: string | null; code: string }[] = [];
    const floodStatuses: number[] = [];
    let flooding = true;
    const flood = Promise.all(
      Array.from({ length: FLOOD_CONNECTIONS }, async () => {
        for (let round = 0; round < FLOOD_ROUNDS; round++) {
          const answer = await get('flooder', statement);
          floodStatuses.push(answer.status);
          const body = (await answer.json()) as { code: string };
          if (answer.status !== 200)
            refused.push({ status: answer.status, retryAfter: answer.headers.get('retry-after'), code: body.code });
        }
      }),
    ).finally(() => (flooding = false));
    const otherStatuses: number[] = [];
    for (let i = 0; flooding; i++) otherStatuses.push((await get('other', `/people/r${i % REPS}/income`)).status);
    await flood;

    expect(floodStatuses).toContain(200);
    expect(refused.length).toBeGreaterThan(0);
    expect(floodStatuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(STATEMENTS_PER_CALLER_MAX);
    for (const answer of refused) expect(answer).toEqual({ status: 429, retryAfter: '1', code: 'TOO_MANY_STATEMENTS' });
    expect(otherStatuses.length).toBeGreaterThan(0);
    expect(new Set(otherStatuses)).toEqual(new Set([200]));
  }, 120_000);
});
