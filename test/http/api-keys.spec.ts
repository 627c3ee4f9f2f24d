// API keys issued, listed and revoked by an admin over the API, without a restart: the secret shown once
// and stored as a digest, effective at once, surviving restarts, revoked at once, every change audited.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore } from '../../src/event-store/event-store.port.js';
import { removeDir, startTestApp, tempDir, type TestApp } from '../support/test-app.js';

const ADMIN = 'x-keys-0123456789abcdefghij';
const READER = 'r-keys-0123456789abcdefghij';
const API_KEYS = `admin:admin:${ADMIN},reader:read:${READER}`;

let dir: string;
let ledger: TestApp;

const call = (secret: string, method: string, path: string, body?: unknown) =>
  ledger.send(method, path, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {
      authorization: `Bearer ${secret}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
  });

beforeAll(async () => {
  dir = tempDir('ledger-keys-');
  ledger = await startTestApp({ dir, overrides: { API_KEYS } });
});
afterAll(async () => {
  await ledger.stop();
  await removeDir(dir);
});

describe('issuing a key', () => {
  let secret: string;

  it('answers its secret once, and the key works at once with its scopes', async () => {
    const issued = await call(ADMIN, 'POST', '/access/keys', { name: 'rep-ana', scopes: 'read=ana' });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ name: 'rep-ana', scopes: 'read=ana', source: 'issued', issuedBy: 'admin' });
    secret = issued.body.secret;
    expect(secret.length).toBeGreaterThanOrEqual(24);
    const me = await call(secret, 'GET', '/access/me');
    expect(me.body).toEqual({
      accessControl: true,
      key: 'rep-ana',
      scopes: { write: false, admin: false, read: 'some', people: ['ana'] },
    });
    expect((await call(secret, 'GET', '/people/ben/income')).body.code).toBe('FORBIDDEN');
  });

  it('keeps only its digest: the log and the list never hold the secret', async () => {
    const events = await ledger.app.get(EventStore).readStream('apikeys-registry');
    expect(events.map((e) => e.type)).toEqual(['ApiKeyIssued']);
    expect(JSON.stringify(events)).not.toContain(secret);
    expect((events[0]!.data as any).digest).toBe(createHash('sha256').update(secret).digest('hex'));
    const list = await call(ADMIN, 'GET', '/access/keys');
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toContain(ADMIN);
    expect(list.body.keys.map((k: any) => `${k.name} ${k.source} ${k.scopes}`)).toEqual([
      'admin configuration admin',
      'reader configuration read',
      'rep-ana issued read=ana',
    ]);
  });

  it('survives a restart', async () => {
    await ledger.stop();
    ledger = await startTestApp({ dir, overrides: { API_KEYS } });
    expect((await call(secret, 'GET', '/access/me')).body.key).toBe('rep-ana');
  });

  it('revokes it at once, audited with who and when, and a revoked key stays refused after a restart', async () => {
    const revoked = await call(ADMIN, 'DELETE', '/access/keys/rep-ana');
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ name: 'rep-ana', revokedBy: 'admin', revokedAt: expect.any(String) });
    expect((await call(secret, 'GET', '/access/me')).status).toBe(401);
    expect((await call(ADMIN, 'DELETE', '/access/keys/rep-ana')).status).toBe(200);
    await ledger.stop();
    ledger = await startTestApp({ dir, overrides: { API_KEYS } });
    expect((await call(secret, 'GET', '/access/me')).status).toBe(401);
    const types = (await ledger.app.get(EventStore).readStream('apikeys-registry')).map((e) => e.type);
    expect(types).toEqual(['ApiKeyIssued', 'ApiKeyRevoked']);
  });
});

describe('refusals', () => {
  it('refuses a name used before, a key from configuration, an unknown key and bad scopes', async () => {
    expect((await call(ADMIN, 'POST', '/access/keys', { name: 'rep-ana', scopes: 'read' })).body.code).toBe(
      'KEY_NAME_TAKEN',
    );
    expect((await call(ADMIN, 'POST', '/access/keys', { name: 'reader', scopes: 'read' })).body.code).toBe(
      'KEY_NAME_TAKEN',
    );
    expect((await call(ADMIN, 'DELETE', '/access/keys/reader')).body.code).toBe('KEY_FROM_CONFIGURATION');
    expect((await call(ADMIN, 'DELETE', '/access/keys/nobody')).status).toBe(404);
    const bad = await call(ADMIN, 'POST', '/access/keys', { name: 'x', scopes: 'everything' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('lets only an admin key issue, list or revoke', async () => {
    expect((await call(READER, 'GET', '/access/keys')).status).toBe(403);
    expect((await call(READER, 'POST', '/access/keys', { name: 'mine', scopes: 'admin' })).status).toBe(403);
  });

  it('issues nothing with access control off', async () => {
    const open = await startTestApp();
    try {
      const answer = await open.post('/access/keys', { name: 'first', scopes: 'admin' });
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('ACCESS_CONTROL_OFF');
    } finally {
      await open.stop();
      await removeDir(open.dir);
    }
  });
});
