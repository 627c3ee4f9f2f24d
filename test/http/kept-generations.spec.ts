// A statement as of a point that a generation no longer serving answered is read from that
// generation's file while it is kept (GENERATIONS_KEPT), not folded again from the log: the same
// statement, to the cent, in the time of a query.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postAll, removeDir, sampleNetwork, startTestApp, tempDir } from '../support/test-app.js';

const PERIOD = 'from=2025-02-01T00:00:00Z&to=2026-01-01T00:00:00Z';
const dir = tempDir();
afterAll(() => removeDir(dir));

describe('a statement as of a point a kept generation served', () => {
  it('given a statement issued before a rule change and a rebuild, when asked again, then the kept generation answers it as issued, without a refold', async () => {
    const first = await startTestApp({ dir });
    const issuedAt = (await postAll(first, sampleNetwork())).body.position;
    const issued = (await first.get(`/people/dan/statement?${PERIOD}&asOf=${issuedAt}&minPosition=${issuedAt}`)).body;
    await first.stop();
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
    const second = await startTestApp({ dir, overrides: { PLAN_FILE: planFile } });
    for (let i = 0; i < 400 && (await second.get('/projections')).body.serving.generation !== 2; i++)
      await new Promise((r) => setTimeout(r, 25));

    const again = (await second.get(`/people/dan/statement?${PERIOD}&asOf=${issuedAt}`)).body;
    const today = (await second.get(`/people/dan/statement?${PERIOD}`)).body;

    expect((await second.get('/projections')).body.serving.generation).toBe(2);
    expect(again.source).toEqual({ generation: 1, planFingerprint: issued.source.planFingerprint, refolded: false });
    expect(again).toEqual(issued);
    expect(today.closing).not.toEqual(issued.closing); // re-priced since: the answer above is not today's
    const scratch = join(dir, 'read-models', 'scratch');
    expect(existsSync(scratch) ? readdirSync(scratch) : []).toEqual([]);
    await second.stop();
  });
});
