// One process at a time owns the read model folder (and the embedded event store, for writing). A
// second one, the rebuild CLI or another service, is refused with the owner's pid, host and start time,
// exits non-zero and touches nothing; a lock left by a process that was killed is taken over, by one
// taker only. The service and the CLI run as child processes (dist/, built by `npm test`'s pretest step).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ReadModelCatalog } from '../../src/income/generations/catalog.js';
import { readModelLockPath } from '../../src/ownership/data-ownership.js';
import { runNode } from '../support/cli-process.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { removeDir, sampleNetwork, tempDir } from '../support/test-app.js';

const dir = tempDir('data-owner-');
const data = { EVENT_STORE_PATH: join(dir, 'events.sqlite'), READ_MODEL_DIR: join(dir, 'read-models') };
let service: ServiceProcess;

const run = (script: string, args: readonly string[], env: Record<string, string>) => runNode(script, args, env);

/** The catalogue as a reader sees it: every generation with its status, and the running rebuild. */
function catalogue(): unknown {
  const catalog = new ReadModelCatalog(data.READ_MODEL_DIR);
  try {
    return { generations: catalog.generations(), rebuild: catalog.runningRebuild() };
  } finally {
    catalog.close();
  }
}

beforeAll(async () => {
  service = await startService(data);
  for (const request of sampleNetwork().slice(0, 5)) {
    const answer = await fetch(service.url + request.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body),
    });
    expect(answer.status).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  if (service.child.exitCode === null && service.child.signalCode === null) {
    service.child.kill('SIGTERM');
    await service.exited;
  }
  await removeDir(dir);
});

describe('data a live service owns', () => {
  it('refuses the rebuild CLI that cannot reach the service (PORT wrong), naming the owner; the catalogue is untouched', async () => {
    const before = catalogue();
    const refused = await run('dist/cli/rebuild.js', [], { ...data, PORT: '1' });
    expect(refused.code).toBe(1);
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `the read model folder ${data.READ_MODEL_DIR} is in use by service pid ${service.child.pid} on host ${hostname()} since 20`,
    );
    expect(lines[0]).toContain('no service answers at http://127.0.0.1:1');
    expect(lines[0]).toContain('PORT');
    expect(catalogue()).toEqual(before);
  });

  it('refuses a second service on the same files, naming the owner', async () => {
    const second = await run('dist/main.js', [], { ...data, PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toMatch(
      new RegExp(
        `^residual-ledger will not start: the read model folder .* is in use by service pid ${service.child.pid} on host `,
      ),
    );
  });

  it('refuses a second service on the same event store with a read model folder of its own', async () => {
    const second = await run('dist/main.js', [], { ...data, READ_MODEL_DIR: join(dir, 'other'), PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `the event store ${data.EVENT_STORE_PATH} is in use by service pid ${service.child.pid}`,
    );
  });

  it('is taken over once the owner is killed: the rebuild CLI runs, and says whose lock it took', async () => {
    const { pid } = service.child;
    service.child.kill('SIGKILL');
    await service.exited;
    const rebuilt = await run('dist/cli/rebuild.js', [], { ...data, PORT: '1' });
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toContain(`took over from service pid ${pid} on host ${hostname()}`);
    expect(rebuilt.stdout).toMatch(/rebuild [0-9a-f-]+: succeeded, generation 2/);
  });
});

describe('a lock that several processes take at once', () => {
  it('goes to exactly one of them', async () => {
    const lock = readModelLockPath(join(dir, 'contended'));
    const taker = `
      import { DataLock } from '${join(process.cwd(), 'dist/ownership/data-lock.js')}';
      try {
        const lock = DataLock.acquire(${JSON.stringify(lock)}, { role: 'taker', since: 'now' }, 'the folder', 'wait');
        console.log('owner');
        setTimeout(() => lock.release(), 8000);
      } catch (error) {
        console.log(error.name);
      }`;
    const takers = await Promise.all(Array.from({ length: 6 }, () => run('--input-type=module', ['-e', taker], {})));
    const outcomes = takers.map((t) => t.stdout.trim()).sort();
    expect(outcomes).toEqual([
      'DataOwnedError',
      'DataOwnedError',
      'DataOwnedError',
      'DataOwnedError',
      'DataOwnedError',
      'owner',
    ]);
  }, 30_000);
});
