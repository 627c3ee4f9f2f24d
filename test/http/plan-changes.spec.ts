// Rule changes: a what-if under a candidate plan, and a restart with a changed plan file.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postAll, removeDir, sampleNetwork, startTestApp, tempDir, type TestApp } from '../support/test-app.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

const defaultPlan = () => JSON.parse(readFileSync('plans/default.plan.json', 'utf8'));
/** The default plan with a second version from `effectiveFrom` paying `directSale` instead of 0.20. */
function withVersion(effectiveFrom: string, directSale: string) {
  const plan = defaultPlan();
  const first = plan.versions[0];
  plan.versions.push({
    ...first,
    version: '2027.1',
    effectiveFrom,
    rules: { ...first.rules, directSale: { default: { kind: 'one-off', pays: { rate: directSale } } } },
  });
  return plan;
}

async function waitFor(ledger: TestApp, id: string): Promise<any> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const progress = (await ledger.get(`/projections/rebuilds/${id}`)).body;
    if (progress.state !== 'running') return progress;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`rebuild ${id} still running`);
}

describe('a what-if (dry run)', () => {
  it('under the current plan reports no difference for anyone', async () => {
    const ledger = await startTestApp();
    dirs.push(ledger.dir);
    await postAll(ledger, sampleNetwork());
    const started = await ledger.post('/projections/rebuilds', { dryRun: true });
    expect(started.status).toBe(202);
    expect(await waitFor(ledger, started.body.id)).toMatchObject({ state: 'succeeded', dryRun: true });
    const report = (await ledger.get(`/projections/rebuilds/${started.body.id}/report`)).body;
    expect(report.rows.length).toBeGreaterThan(0);
    expect(report.rows.filter((r: any) => Number(r.difference) !== 0)).toEqual([]);
    expect(report.companyWide.map((c: any) => [c.currency, c.difference])).toEqual([
      ['EUR', '0.00'],
      ['JPY', '0'],
      ['KWD', '0.000'],
      ['USD', '0.00'],
    ]);
    expect((await ledger.get('/projections')).body.serving.generation).toBe(1); // no switch
    await ledger.stop();
  });

  it('under a candidate plan reports, per person and kind, old, new and difference, as JSON and CSV', async () => {
    const ledger = await startTestApp();
    dirs.push(ledger.dir);
    await postAll(ledger, sampleNetwork());
    const started = await ledger.post('/projections/rebuilds', {
      dryRun: true,
      plan: withVersion('2025-03-01T00:00:00Z', '0.30'),
    });
    await waitFor(ledger, started.body.id);
    const report = (await ledger.get(`/projections/rebuilds/${started.body.id}/report`)).body;
    // from March 2025 direct sales pay 0.30: dan 12.50 → 3.75, cleo 1250 JPY → 375, ben and ana 10.125 KWD → 3.038 (3.0375, half to even)
    expect(
      report.rows
        .filter((r: any) => Number(r.difference) !== 0)
        .map((r: any) => `${r.personId} ${r.currency} ${r.kind} ${r.old} → ${r.new} (${r.difference})`),
    ).toEqual([
      'ana KWD one-off 2.025 → 3.038 (1.013)',
      'ben KWD one-off 2.025 → 3.038 (1.013)',
      'cleo JPY one-off 250 → 375 (125)',
      'dan USD one-off 2.50 → 3.75 (1.25)',
    ]);
    expect(report.companyWide.find((c: any) => c.currency === 'KWD')).toEqual({
      currency: 'KWD',
      old: '5.568',
      new: '7.594',
      difference: '2.026',
    });
    const csv = await ledger.send('GET', `/projections/rebuilds/${started.body.id}/report`, {
      headers: { accept: 'text/csv' },
    });
    expect(csv.contentType).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('personId,currency,kind,old,new,difference');
    expect(csv.body).toContain('dan,USD,one-off,2.50,3.75,1.25');
    await ledger.stop();
  });

  it('refuses an invalid candidate plan, naming the field', async () => {
    const ledger = await startTestApp();
    dirs.push(ledger.dir);
    const plan = withVersion('2025-03-01T00:00:00Z', '1.5');
    const answer = await ledger.post('/projections/rebuilds', { dryRun: true, plan });
    expect([answer.status, answer.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(answer.body.errors[0].problems).toEqual([
      'versions[1].rules.directSale.default.pays.rate: must be at most 1',
    ]);
    expect((await ledger.get('/projections/rebuilds/nope')).status).toBe(404);
    await ledger.stop();
  });
});

describe('a restart with a changed plan', () => {
  async function restartWith(plan: object, mode: 'auto' | 'manual') {
    const dir = tempDir();
    dirs.push(dir);
    const first = await startTestApp({ dir });
    const last = await postAll(first, sampleNetwork());
    await first.get(`/people/dan/income?minPosition=${last.body.position}`);
    await first.stop();
    const planFile = join(dir, 'changed.plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const second = await startTestApp({ dir, overrides: { PLAN_FILE: planFile, PLAN_CHANGE_REBUILD: mode } });
    return { ledger: second, last: last.body.position as string };
  }

  it('adopts a version dated after every folded event without a rebuild: it changes nothing yet', async () => {
    const { ledger } = await restartWith(withVersion('2030-01-01T00:00:00Z', '0.30'), 'auto');
    const status = (await ledger.get('/projections')).body;
    expect(status).toMatchObject({ planChange: null, rebuild: null, serving: { generation: 1 } });
    expect(status.serving.planFingerprint).toBe(status.configuredPlan);
    await ledger.stop();
  });

  /** The default plan with a second version from `effectiveFrom` that adds `rules` (new kinds of rule). */
  function withRules(effectiveFrom: string, rules: object) {
    const plan = defaultPlan();
    const first = plan.versions[0];
    plan.versions.push({ ...first, version: '2027.1', effectiveFrom, rules: { ...first.rules, ...rules } });
    return plan;
  }
  const newKinds = JSON.parse(readFileSync('plans/examples/every-rule.plan.json', 'utf8')).versions[0].rules;

  it('adopts in place a version of new kinds of rule that need no fold state, dated after every folded event', async () => {
    const { caps: _caps, renewal: _counted, override: _countedToo, ...stateless } = newKinds;
    const perLine = { caps: { default: { perLine: { USD: '30.00' } } } };
    const { ledger } = await restartWith(withRules('2030-01-01T00:00:00Z', { ...stateless, ...perLine }), 'auto');
    const status = (await ledger.get('/projections')).body;
    expect(status).toMatchObject({ planChange: null, rebuild: null, serving: { generation: 1 } });
    expect(status.serving.planFingerprint).toBe(status.configuredPlan);
    await ledger.stop();
  });

  it('needs a rebuild for a first lifetime cap even dated after every folded event: only a rebuild gathers what was earned', async () => {
    const lifetime = { caps: { default: { perCustomer: { USD: '100.00' } } } };
    const { ledger } = await restartWith(withRules('2030-01-01T00:00:00Z', lifetime), 'manual');
    expect((await ledger.get('/projections')).body.planChange).toMatchObject({
      repricesFrom: '',
      action: 'waiting-for-operator',
    });
    await ledger.stop();
  });

  it('needs a rebuild for a new cap dated before folded events, and then serves the capped lines', async () => {
    const caps = { caps: { default: { perLine: { USD: '1.00' } } } };
    const { ledger, last } = await restartWith(withRules('2025-03-01T00:00:00Z', caps), 'manual');
    expect((await ledger.get('/projections')).body.planChange).toMatchObject({
      repricesFrom: '2025-03-01T00:00:00.000Z',
      action: 'waiting-for-operator',
    });
    const started = await ledger.post('/projections/rebuilds', {});
    expect(await waitFor(ledger, started.body.id)).toMatchObject({ state: 'succeeded' });
    // dan's single sale of 12.50 USD (after March 2025) paid 2.50; now cut to 1.00
    const lines = (await ledger.get(`/people/dan/history?minPosition=${last}`)).body.lines;
    expect(lines.find((l: any) => l.rule === 'directSale')).toMatchObject({
      amount: '1.00',
      cap: 'perLine',
      uncappedAmount: '2.50',
      planVersion: '2027.1',
    });
    await ledger.stop();
  });

  it('keeps serving the old figures, says so, and waits for an operator in manual mode', async () => {
    const { ledger, last } = await restartWith(withVersion('2025-03-01T00:00:00Z', '0.30'), 'manual');
    const status = (await ledger.get('/projections')).body;
    expect(status.planChange).toMatchObject({
      repricesFrom: '2025-03-01T00:00:00.000Z',
      action: 'waiting-for-operator',
    });
    expect((await ledger.get(`/people/dan/income?minPosition=${last}`)).body.totals[0].oneOff).toBe('2.50');
    const started = await ledger.post('/projections/rebuilds', {});
    expect(await waitFor(ledger, started.body.id)).toMatchObject({ state: 'succeeded' });
    expect((await ledger.get(`/people/dan/income?minPosition=${last}`)).body.totals[0].oneOff).toBe('3.75');
    expect((await ledger.get('/projections')).body.planChange).toBeNull();
    await ledger.stop();
  });

  it('rebuilds at once in auto mode, then serves the new figures', async () => {
    const { ledger, last } = await restartWith(withVersion('2025-03-01T00:00:00Z', '0.30'), 'auto');
    const { rebuild } = (await ledger.get('/projections')).body;
    if (rebuild !== null) await waitFor(ledger, rebuild.id);
    const status = (await ledger.get('/projections')).body;
    expect(status).toMatchObject({ planChange: null, serving: { generation: 2 } });
    const lines = (await ledger.get(`/people/dan/history?minPosition=${last}`)).body.lines;
    expect(lines.find((l: any) => l.rule === 'directSale')).toMatchObject({
      amount: '3.75',
      rate: '0.30',
      planVersion: '2027.1',
    });
    await ledger.stop();
  });
});

describe('a plan that is not valid', () => {
  /** Runs a built entry point (npm test builds first) with PLAN_FILE set; its exit code and output. */
  const run = (script: string, dir: string, args: string[] = []): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [script, ...args], {
        env: {
          PATH: process.env.PATH ?? '',
          HOST: '127.0.0.1',
          PORT: '0',
          EVENT_STORE_PATH: join(dir, 'events.sqlite'),
          READ_MODEL_DIR: join(dir, 'read-models'),
          PLAN_FILE: join(dir, 'bad.plan.json'),
          LOG_LEVEL: 'silent',
        },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => resolve({ code, output }));
    });

  it('is refused at start and by npm run rebuild -- --plan FILE, with every problem named by its field path', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const plan = defaultPlan();
    plan.versions[0].rules.renewal.default.steps[1].from = 0;
    plan.versions[0].rules.caps = { default: { perLine: { USD: '1.001' } } };
    writeFileSync(join(dir, 'bad.plan.json'), JSON.stringify(plan));
    const problems = [
      'versions[0].rules.renewal.default.steps[1].from: must be greater than the previous step',
      'versions[0].rules.caps.default.perLine.USD: has more than 2 decimals, the minor units of USD',
    ];
    for (const [script, args] of [
      ['dist/main.js', []],
      ['dist/cli/rebuild.js', ['--plan', join(dir, 'bad.plan.json')]],
    ] as const) {
      const { code, output } = await run(script, dir, [...args]);
      expect(code).toBe(1);
      for (const problem of problems) expect(output).toContain(problem);
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    }
  }, 30_000);
});
