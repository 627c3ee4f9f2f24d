// Every command-line tool answers --help, takes its options the way `npm run X -- …` passes them, and
// refuses bad input, a bad plan or a bad setting in one line (what, where, how to fix), exit code 1, no
// stack trace. The tools run as built (dist/, and the bench's dist-bench/, by `npm test`'s pretest step).
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runNode, type CliRun } from '../support/cli-process.js';
import { removeDir, tempDir } from '../support/test-app.js';

const dir = tempDir('cli-');
afterAll(() => removeDir(dir));
const tool = (name: string) => resolve(name.startsWith('bench/') ? 'dist-bench' : 'dist', name);
/** In a folder of its own (reports/ land there), on files of its own, with no service on PORT 1. */
const isolated = (name: string, args: string[], env: Record<string, string> = {}) =>
  runNode(
    tool(name),
    args,
    {
      EVENT_STORE_PATH: join(dir, 'events.sqlite'),
      READ_MODEL_DIR: join(dir, 'read-models'),
      PLAN_FILE: resolve('plans/default.plan.json'),
      PORT: '1',
      ...env,
    },
    dir,
  );
const oneLine = (run: CliRun) => [run.code, run.stderr.trim().split('\n')];

describe('--help', () => {
  it.each([
    ['rebuild', 'cli/rebuild.js'],
    ['copy-log', 'cli/copy-log.js'],
    ['seed', 'cli/seed.js'],
    ['bench', 'bench/src/bench.js'],
  ])('npm run %s -- --help says how to use it, and exits 0', async (name, script) => {
    const run = await runNode(tool(script), ['--help']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(new RegExp(`^npm run ${name} -- `));
  });
});

describe('npm run rebuild', () => {
  it('takes --dry-run and --plan as npm passes them, even with a -- between them', async () => {
    const run = await isolated('cli/rebuild.js', ['--dry-run', '--', '--plan', resolve('plans/default.plan.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/rebuild [0-9a-f-]+: succeeded/);
    expect(readdirSync(join(dir, 'reports')).filter((f) => f.endsWith('.csv'))).toHaveLength(1);
    // the progress bar: drawn first at 0 %, last at 100 %, never cli-progress's "LLs" for an unknown ETA
    const bar = run.stderr.split('\n').filter((line) => line.includes(' events/s '));
    expect(bar[0]).toMatch(/ 0% \| 0\/0 events /);
    expect(bar.at(-1)).toMatch(/ 100% \| 0\/0 events \| .* 0 s left$/);
    expect(run.stderr).not.toContain('LLs');
  });

  it('refuses an option it does not know, in one line', async () => {
    expect(oneLine(await isolated('cli/rebuild.js', ['--plann', 'x.json']))).toEqual([
      1,
      ["npm run rebuild: Unknown option '--plann' (`npm run rebuild -- --help` lists what it takes)"],
    ]);
  });

  it('refuses a candidate plan that is invalid or missing, in one line naming the file', async () => {
    const bad = join(dir, 'candidate.json');
    writeFileSync(bad, JSON.stringify({ versions: [] }));
    expect(oneLine(await isolated('cli/rebuild.js', ['--plan', bad]))).toEqual([
      1,
      [
        `npm run rebuild: compensation plan ${bad} is invalid: versions: must be a list of 1 to 100 plan versions (fix the file, or point PLAN_FILE or --plan at a valid plan)`,
      ],
    ]);
    expect(oneLine(await isolated('cli/rebuild.js', ['--plan', join(dir, 'gone.json')]))).toEqual([
      1,
      [expect.stringMatching(/^npm run rebuild: compensation plan .*gone\.json does not exist \(fix the file/)],
    ]);
  });

  it('refuses a bad setting in one line', async () => {
    expect(oneLine(await isolated('cli/rebuild.js', [], { GENERATIONS_KEPT: 'lots' }))).toEqual([
      1,
      ['npm run rebuild: GENERATIONS_KEPT must be a whole number from 0 to 100 (got "lots")'],
    ]);
  });
});

describe('the service given a bad setting at start', () => {
  it('says what PORT must be, once', async () => {
    expect(oneLine(await isolated('main.js', [], { PORT: 'abc' }))).toEqual([
      1,
      ['residual-ledger will not start: PORT must be a whole number from 0 to 65535 (got "abc")'],
    ]);
  });

  it('names a missing PLAN_FILE, and how to fix it', async () => {
    const missing = join(dir, 'no-such.plan.json');
    const run = await isolated('main.js', [], { PLAN_FILE: missing, PORT: '0' });
    expect(oneLine(run)).toEqual([
      1,
      [
        `residual-ledger will not start: compensation plan ${missing} does not exist (fix the file, or point PLAN_FILE or --plan at a valid plan)`,
      ],
    ]);
    expect(run.stdout).toBe('');
  });
});

describe('npm run copy-log given one store', () => {
  it('says it needs two, with an example', async () => {
    const run = await isolated('cli/copy-log.js', [join(dir, 'events.sqlite')]);
    expect(oneLine(run)).toEqual([
      1,
      [expect.stringMatching(/^npm run copy-log: give two stores, FROM and TO \(got 1\): npm run copy-log -- /)],
    ]);
    expect(existsSync(join(dir, 'events.sqlite.owner.sqlite'))).toBe(false);
  });
});
