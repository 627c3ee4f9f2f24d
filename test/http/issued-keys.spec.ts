// Keys issued over the API through the real app over HTTP: an admin issues, lists and revokes keys; a
// secret is shown once and works at once; revoking is immediate; every issue and revocation is audited in
// the log and survives a restart; keys from configuration keep working and cannot be revoked here.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeEventStoreDb, type FakeEventStoreDb } from '../doubles/fake-eventstoredb-server.js';
import { ALICE_AND_BOB, removeDir, startTestApp, tempDir, type Answer, type TestApp } from '../support/test-app.js';
import { secretDigestOf } from '../../src/access/key-ring.js';

const SECRETS = {
  admin: 'x-0123456789abcdefghijklmnop',
  writer: 'w-0123456789abcdefghijklmnop',
  reader: 'r-0123456789abcdefghijklmnop',
};
const API_KEYS = `admin:admin:${SECRETS.admin},writer:write:${SECRETS.writer},reader:read:${SECRETS.reader}`;

let ledger: TestApp;
let position = '0';

const call = (app: TestApp, secret: string | null, method: string, path: string, body?: unknown): Promise<Answer> =>
  app.send(method, path, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(secret === null ? {} : { authorization: `Bearer ${secret}` }),
    },
  });
const as = (secret: string | null, method: string, path: string, body?: unknown) =>
  call(ledger, secret, method, path, body);
const issue = (name: string, scopes: string, by = SECRETS.admin) => as(by, 'POST', '/access/keys', { name, scopes });
const revoke = (name: string, by = SECRETS.admin) => as(by, 'POST', `/access/keys/${name}/revocation`);
const listed = async (app = ledger) => (await call(app, SECRETS.admin, 'GET', '/access/keys')).body.keys;

function expectProblem(answer: Answer, status: number, code: string): void {
  expect([answer.status, answer.body.code]).toEqual([status, code]);
  expect(answer.contentType).toBe('application/problem+json; charset=utf-8');
}

beforeAll(async () => {
  ledger = await startTestApp({ overrides: { API_KEYS } });
  // Given alice, who recruited bob, and a sale by bob: both earn from it.
  for (const { path, body } of ALICE_AND_BOB) {
    const answer = await as(SECRETS.writer, 'POST', path, body);
    expect(answer.status).toBe(201);
    position = answer.body.position;
  }
});
afterAll(async () => {
  await ledger.stop();
  await removeDir(ledger.dir);
});

describe('an admin issues a key, which works at once, is listed without its secret, and is revoked at once', () => {
  it('issue → use → list → revoke → 401', async () => {
    // When the admin issues a write key
    const issued = await issue('billing-2', 'write');
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ name: 'billing-2', scopes: 'write', source: 'api', issuedBy: 'admin' });
    expect(issued.body.revokedAt).toBeNull();
    const secret: string = issued.body.secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43,}$/); // base64url of at least 32 random bytes

    // Then it records a fact at once
    const recorded = await as(secret, 'POST', '/reps', {
      repId: 'cara',
      name: 'Cara',
      recruitedAt: '2024-03-01T00:00:00Z',
    });
    expect(recorded.status).toBe(201);

    // And the list shows who issued it when, but neither its secret nor its digest
    const listing = await as(SECRETS.admin, 'GET', '/access/keys');
    expect(listing.status).toBe(200);
    const entry = listing.body.keys.find((k: { name: string }) => k.name === 'billing-2');
    expect(entry).toEqual({
      name: 'billing-2',
      scopes: 'write',
      source: 'api',
      issuedBy: 'admin',
      issuedAt: issued.body.issuedAt,
      revokedBy: null,
      revokedAt: null,
    });
    expect(JSON.stringify(listing.body)).not.toContain(secret);
    expect(JSON.stringify(listing.body)).not.toContain(secretDigestOf(secret));
    expect(JSON.stringify(listing.body)).not.toContain(SECRETS.admin);

    // When the admin revokes it, the next request with it is 401
    const revoked = await revoke('billing-2');
    expect(revoked.status).toBe(201);
    expect(revoked.body).toMatchObject({ name: 'billing-2', revokedBy: 'admin', issuedAt: issued.body.issuedAt });
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expectProblem(
      await as(secret, 'POST', '/reps', { repId: 'dan', name: 'Dan', recruitedAt: '2024-03-01T00:00:00Z' }),
      401,
      'UNAUTHENTICATED',
    );
    // A revocation retried answers 200 with the first revocation's audit, and writes nothing
    const again = await revoke('billing-2');
    expect([again.status, again.body.revokedAt]).toEqual([200, revoked.body.revokedAt]);
    expect((await listed()).find((k: { name: string }) => k.name === 'billing-2')).toEqual(revoked.body);
  });

  it('the answer that shows the secret is not to be cached', async () => {
    const response = await fetch(`${ledger.url}/access/keys`, {
      method: 'POST',
      body: JSON.stringify({ name: 'no-cache', scopes: 'read' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRETS.admin}` },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('keys from configuration are listed as such and keep working', async () => {
    const keys = await listed();
    expect(keys.filter((k: { source: string }) => k.source === 'configuration')).toEqual(
      ['admin', 'writer', 'reader'].map((name) => expect.objectContaining({ name, issuedBy: null })),
    );
    expect((await as(SECRETS.reader, 'GET', `/people/alice/income?minPosition=${position}`)).status).toBe(200);
  });
});

describe('a key issued for one person', () => {
  it('reads that person and nobody else (403)', async () => {
    const issued = await issue('rep-alice', 'read=alice');
    expect([issued.status, issued.body.scopes]).toEqual([201, 'read=alice']);
    const alices = await as(issued.body.secret, 'GET', `/people/alice/income?minPosition=${position}`);
    expect([alices.status, alices.body.personId]).toEqual([200, 'alice']);
    const bobs = await as(issued.body.secret, 'GET', `/people/bob/income?minPosition=${position}`);
    expectProblem(bobs, 403, 'FORBIDDEN');
    expect(JSON.stringify(bobs.body)).not.toContain('100.00');
    expectProblem(await as(issued.body.secret, 'GET', '/access/keys'), 403, 'FORBIDDEN');
    expectProblem(await issue('escalated', 'admin', issued.body.secret), 403, 'FORBIDDEN');
  });

  it('scopes are written in the canonical order of API_KEYS', async () => {
    const issued = await issue('ops-2', 'admin+read+write');
    expect([issued.status, issued.body.scopes]).toEqual([201, 'write+read+admin']);
  });
});

describe('refusals, which change nothing', () => {
  it.each([
    ['a write key', SECRETS.writer],
    ['a read key', SECRETS.reader],
  ])('%s cannot issue, list or revoke keys (403)', async (_what, secret) => {
    const before = await listed();
    expectProblem(await issue('sneaky', 'read', secret), 403, 'FORBIDDEN');
    expectProblem(await as(secret, 'GET', '/access/keys'), 403, 'FORBIDDEN');
    expectProblem(await revoke('rep-alice', secret), 403, 'FORBIDDEN');
    expect(await listed()).toEqual(before);
  });

  it('without a key: 401', async () => {
    expectProblem(await issue('sneaky', 'read', null as unknown as string), 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['an issued name', 'rep-alice'],
    ['a name from configuration', 'writer'],
  ])('%s is not issued again: 409 API_KEY_NAME_TAKEN', async (_what, name) => {
    const before = await listed();
    const refused = await issue(name, 'read');
    expectProblem(refused, 409, 'API_KEY_NAME_TAKEN');
    expect(refused.body.name).toBe(name);
    expect(await listed()).toEqual(before);
  });

  it('a revoked name is not issued again', async () => {
    expect((await issue('short-lived', 'read')).status).toBe(201);
    expect((await revoke('short-lived')).status).toBe(201);
    expectProblem(await issue('short-lived', 'read'), 409, 'API_KEY_NAME_TAKEN');
  });

  it('a key from configuration cannot be revoked here: 409 API_KEY_CONFIGURED, and it keeps working', async () => {
    expectProblem(await revoke('writer'), 409, 'API_KEY_CONFIGURED');
    expect(
      (await as(SECRETS.writer, 'POST', '/reps', { repId: 'eve', name: 'Eve', recruitedAt: '2024-03-01T00:00:00Z' }))
        .status,
    ).toBe(201);
  });

  it('an unknown key: 404 API_KEY_UNKNOWN', async () => {
    expectProblem(await revoke('nobody'), 404, 'API_KEY_UNKNOWN');
  });

  it.each([
    [{ name: 'k1', scopes: 'reed' }, 'scopes', /the scope "reed" is not one of/],
    [{ name: 'k1', scopes: 'read=' }, 'scopes', /read=<personId> needs a person id/],
    [{ name: 'k1', scopes: '' }, 'scopes', /is not one of/],
    [{ name: 'k1', scopes: ['read'] }, 'scopes', /string/],
    [{ name: 'bad name', scopes: 'read' }, 'name', /1 to 64/],
    [{ name: '..', scopes: 'read' }, 'name', /not \. or \.\./],
    [{ name: 'x'.repeat(65), scopes: 'read' }, 'name', /1 to 64/],
    [{ name: 'k1' }, 'scopes', /is required/],
    [{ name: 'k1', scopes: 'read', secret: 'mine-0123456789abcdefghijkl' }, 'secret', /should not exist/],
  ])('%j: 400 VALIDATION_FAILED naming %s', async (body, field, problem) => {
    const refused = await as(SECRETS.admin, 'POST', '/access/keys', body);
    expectProblem(refused, 400, 'VALIDATION_FAILED');
    const named = refused.body.errors.find((e: { field: string }) => e.field === field);
    expect(named.problems.join(' ')).toMatch(problem);
    expect((await listed()).map((k: { name: string }) => k.name)).not.toContain('k1');
  });

  it('a path name that is not a key name: 400 INVALID_PARAMETER', async () => {
    expectProblem(await revoke('a%20b'), 400, 'INVALID_PARAMETER');
  });
});

describe('the audit trail is the log', () => {
  it('the income fold passes over key events: the projection keeps up and income is unchanged', async () => {
    const before = await as(SECRETS.reader, 'GET', `/people/alice/income?minPosition=${position}`);
    expect((await issue('fold-check', 'read')).status).toBe(201);
    const sale = await as(SECRETS.writer, 'POST', '/sales', {
      saleId: 'S-2',
      repId: 'alice',
      customerId: 'C-2',
      amount: '50.00',
      currency: 'USD',
      kind: 'single',
      occurredAt: '2025-02-15T10:00:00Z',
    });
    expect(sale.status).toBe(201);
    const bobs = await as(SECRETS.reader, 'GET', `/people/bob/income?minPosition=${sale.body.position}`);
    expect(bobs.status).toBe(200);
    expect((await as(SECRETS.reader, 'GET', `/people/alice/income`)).body.totals).not.toEqual(before.body.totals);
  });

  it('issued keys, revocations and their audit survive a restart on the same files', async () => {
    const kept = await issue('survivor', 'read=bob');
    const dropped = await issue('dropped', 'read');
    expect((await revoke('dropped')).status).toBe(201);
    const audit = await listed();
    await ledger.stop();
    ledger = await startTestApp({ dir: ledger.dir, overrides: { API_KEYS } });
    expect(await listed()).toEqual(audit);
    expect((await as(kept.body.secret, 'GET', `/people/bob/income?minPosition=${position}`)).status).toBe(200);
    expectProblem(await as(dropped.body.secret, 'GET', `/people/bob/income`), 401, 'UNAUTHENTICATED');
    expectProblem(await issue('survivor', 'read'), 409, 'API_KEY_NAME_TAKEN');
  });
});

// Several instances share one log on EventStoreDB (one process owns an embedded SQLite log): here both run on
// one test-only fake EventStoreDB server, whichever store the rest of this suite runs on.
describe('another instance on the same log', () => {
  let shared: FakeEventStoreDb;
  let here: TestApp;
  let other: TestApp;
  beforeAll(async () => {
    shared = await startFakeEventStoreDb();
    const overrides = { API_KEYS, EVENTSTORE_CONNECTION_STRING: shared.connectionString };
    here = await startTestApp({ overrides });
    other = await startTestApp({ overrides });
    const alice = { repId: 'alice', name: 'Alice', recruitedAt: '2024-01-01T00:00:00Z' };
    expect((await call(here, SECRETS.writer, 'POST', '/reps', alice)).status).toBe(201);
  });
  afterAll(async () => {
    for (const app of [here, other]) {
      await app.stop();
      await removeDir(app.dir);
    }
    await shared.stop();
  });

  /** Asks the other instance until it answers `status` (it reads the key ring stream every second). */
  async function untilOther(secret: string, status: number): Promise<number> {
    let answer = 0;
    for (let i = 0; i < 100 && answer !== status; i++) {
      answer = (await call(other, secret, 'GET', '/people/alice/income')).status;
      if (answer !== status) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return answer;
  }

  it('admits a key issued here, and refuses it once revoked here', async () => {
    const issued = await call(here, SECRETS.admin, 'POST', '/access/keys', { name: 'roaming', scopes: 'read' });
    expect(issued.status).toBe(201);
    expect(await untilOther(issued.body.secret, 200)).toBe(200);
    expect((await call(here, SECRETS.admin, 'POST', '/access/keys/roaming/revocation')).status).toBe(201);
    expect(await untilOther(issued.body.secret, 401)).toBe(401);
    expect((await listed(other)).find((k: { name: string }) => k.name === 'roaming').revokedBy).toBe('admin');
  });
});

describe('with access control off', () => {
  it('keys are not issued: there is no admin key to audit (409 ACCESS_CONTROL_OFF)', async () => {
    const open = await startTestApp();
    try {
      const refused = await call(open, null, 'POST', '/access/keys', { name: 'k', scopes: 'read' });
      expectProblem(refused, 409, 'ACCESS_CONTROL_OFF');
      expect((await call(open, null, 'GET', '/access/keys')).body.keys).toEqual([]);
    } finally {
      await open.stop();
      await removeDir(open.dir);
    }
  });
});

describe('secrets never reach a log line', () => {
  it("the service's output at debug level holds neither an issued secret nor its digest", async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['dist/main.js'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'debug',
        API_KEYS,
        EVENT_STORE_PATH: join(dir, 'events.sqlite'),
        READ_MODEL_DIR: join(dir, 'read-models'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      let url: string | undefined;
      for (let i = 0; i < 400 && url === undefined; i++) {
        url = /listening on (http:\/\/[0-9.]+:[0-9]+)/.exec(output)?.[1];
        if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(url).toBeDefined();
      const send = (secret: string, method: string, path: string, body?: unknown) =>
        fetch(url + path, {
          method,
          body: body === undefined ? undefined : JSON.stringify(body),
          headers: {
            authorization: `Bearer ${secret}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
        });
      const issued = (await (
        await send(SECRETS.admin, 'POST', '/access/keys', { name: 'logged', scopes: 'read' })
      ).json()) as {
        secret: string;
      };
      expect((await send(issued.secret, 'GET', '/people/alice/income')).status).toBe(404);
      expect((await send(SECRETS.admin, 'GET', '/access/keys')).status).toBe(200);
      expect((await send(SECRETS.admin, 'POST', '/access/keys/logged/revocation')).status).toBe(201);
      expect((await send(issued.secret, 'GET', '/people/alice/income')).status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the last log lines arrive
      expect(output).toContain('access control on: admin (admin)'); // the log was captured
      expect(output).not.toContain(issued.secret);
      expect(output).not.toContain(secretDigestOf(issued.secret));
      expect(output).not.toContain(SECRETS.admin);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await removeDir(dir);
    }
  }, 30_000);
});
