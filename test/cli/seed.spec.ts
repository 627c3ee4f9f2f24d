// `npm run seed` (dist/cli/seed.js) against a real service process: it finds the service by HOST and
// PORT, seeds a store that already has data (refusing, and saying what to do, when an id is taken; under
// --prefix beside it), seeds twice without recording anything twice, and says so when its key cannot read.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { runNode } from '../support/cli-process.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { removeDir, sampleNetwork, tempDir } from '../support/test-app.js';

const WRITER = 'writer-0123456789abcdefghijklmnop';
const dir = tempDir('seed-');
let open: ServiceProcess;
let guarded: ServiceProcess;

const at = (service: ServiceProcess) => ({ HOST: '127.0.0.1', PORT: new URL(service.url).port });
const seed = (service: ServiceProcess, args: string[] = [], env: Record<string, string> = {}) =>
  runNode('dist/cli/seed.js', args, { ...at(service), ...env });

async function post(service: ServiceProcess, path: string, body: object): Promise<number> {
  const answer = await fetch(service.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return answer.status;
}

/** The income lines the seed printed: person, currency, residual, passive, one-off, total. */
const printed = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => /^ {2}\S+ +[A-Z]{3} /.test(line))
    .map((line) => line.trim().split(/ +/));

beforeAll(async () => {
  const files = (name: string) => ({
    EVENT_STORE_PATH: join(dir, name, 'events.sqlite'),
    READ_MODEL_DIR: join(dir, name, 'read-models'),
  });
  [open, guarded] = await Promise.all([
    startService(files('open')),
    startService({ ...files('guarded'), API_KEYS: `billing:write:${WRITER}` }),
  ]);
}, 60_000);

afterAll(async () => {
  for (const service of [open, guarded]) {
    service.child.kill('SIGTERM');
    await service.exited;
  }
  await removeDir(dir);
});

describe('npm run seed after the README walk-through', () => {
  it('refuses in one line when an id is taken, naming it and what to do, and records nothing', async () => {
    // given the walk-through's ana and ben
    expect(await post(open, '/reps', { repId: 'ana', name: 'Ana', recruitedAt: '2025-01-01T09:00:00Z' })).toBe(201);
    expect(
      await post(open, '/reps', { repId: 'ben', sponsorId: 'ana', name: 'Ben', recruitedAt: '2025-01-02T09:00:00Z' }),
    ).toBe(201);
    // when the seed runs, finding the service by HOST and PORT
    const run = await seed(open);
    // then
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^npm run seed: POST \/reps answered 409 REP_ID_REUSED: .*npm run seed -- --prefix sample-$/,
      ),
    ]);
    expect((await fetch(`${open.url}/people/cleo/income`)).status).toBe(404);
  });

  it('seeds the sample network beside them under --prefix, printing what the API answers', async () => {
    const run = await seed(open, ['--prefix', 'sample-']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const lines = printed(run.stdout);
    const people = [...new Set(lines.map(([person]) => person))];
    expect(people).toEqual(['sample-ana', 'sample-ben', 'sample-cleo', 'sample-dan', 'sample-eve', 'sample-fay']);
    const fromApi = [];
    for (const person of people) {
      const income = (await (await fetch(`${open.url}/people/${person}/income`)).json()) as { totals: any[] };
      for (const t of income.totals) fromApi.push([person, t.currency, t.residual, t.passive, t.oneOff, t.total]);
    }
    expect(lines).toEqual(fromApi);
    expect(run.stdout.match(/^201 POST .* recorded$/gm)).toHaveLength(sampleNetwork().length);
  });

  it('seeded again, records nothing new: every command is answered as a retry', async () => {
    const run = await seed(open, ['--prefix', 'sample-']);
    expect(run.code).toBe(0);
    expect(run.stdout.match(/^200 POST .* already recorded$/gm)).toHaveLength(sampleNetwork().length);
    expect(run.stdout).not.toMatch(/^201 /m);
  });
});

describe('npm run seed with a key that can write but not read', () => {
  it('records the network, then says in one line that the key cannot read, and exits 1', async () => {
    const run = await seed(guarded, [], { LEDGER_API_KEY: WRITER });
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^201 POST /gm)).toHaveLength(sampleNetwork().length);
    expect(run.stderr.trim()).toBe(
      'npm run seed: the sample network is recorded, but the key cannot read income (403 FORBIDDEN): set LEDGER_API_KEY to a key with the write and read scopes to see the figures',
    );
  });
});

describe('npm run seed given what it does not take', () => {
  it('says what is wrong in one line, and where the options are listed', async () => {
    const run = await seed(open, ['--sponsor', 'x']);
    expect([run.code, run.stderr.trim()]).toEqual([
      1,
      "npm run seed: Unknown option '--sponsor' (`npm run seed -- --help` lists what it takes)",
    ]);
  });
});
