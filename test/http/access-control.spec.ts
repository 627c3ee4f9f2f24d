// Access control through the real app over HTTP: API keys with scopes (write, read, read=<person>, admin),
// 401 without a valid key, 403 outside the key's scope, per-key rate limits, security headers, and keys
// that never reach a log or an error message.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pinoHttp } from 'pino-http';
import { AccessAudit } from '../../src/access/access-audit.js';
import { requestLogOptions } from '../../src/app.module.js';
import { ConfigError, loadAppConfig } from '../../src/config/app-config.js';
import { startService } from '../support/service-process.js';
import { ALICE_AND_BOB, removeDir, startTestApp, tempDir, type Answer, type TestApp } from '../support/test-app.js';

const SECRETS = {
  writer: 'w-0123456789abcdefghijklmnop',
  reader: 'r-0123456789abcdefghijklmnop',
  alice: 'a-0123456789abcdefghijklmnop',
  admin: 'x-0123456789abcdefghijklmnop',
  ops: 'o-0123456789abcdefghijklmnop',
};
const API_KEYS = [
  `writer:write:${SECRETS.writer}`,
  `reader:read:${SECRETS.reader}`,
  `alice:read=alice:${SECRETS.alice}`,
  `admin:admin:${SECRETS.admin}`,
  `ops:admin+read+write:${SECRETS.ops}`,
].join(',');
type KeyName = keyof typeof SECRETS;

let ledger: TestApp;
let position = '0';

const as = (key: KeyName | null, method: string, path: string, body?: unknown): Promise<Answer> =>
  ledger.send(method, path, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key === null ? {} : { authorization: `Bearer ${SECRETS[key]}` }),
    },
  });

beforeAll(async () => {
  ledger = await startTestApp({ overrides: { API_KEYS } });
  // Given alice, who recruited bob, and a sale by bob: both earn from it.
  for (const { path, body } of ALICE_AND_BOB) {
    const answer = await as('writer', 'POST', path, body);
    expect(answer.status).toBe(201);
    position = answer.body.position;
  }
});
afterAll(async () => {
  await ledger.stop();
  await removeDir(ledger.dir);
});

function expectProblem(answer: Answer, status: number, code: string): void {
  expect([answer.status, answer.body.code]).toEqual([status, code]);
  expect(answer.contentType).toBe('application/problem+json; charset=utf-8');
  expect(JSON.stringify(answer.body)).not.toMatch(/stack|at .*\.js:\d+/);
}

const newRep = (repId: string) => ({ repId, name: repId, recruitedAt: '2024-03-01T00:00:00Z' });

describe('without a valid key', () => {
  it.each([
    ['a command', 'POST', '/reps', newRep('x1')],
    ['a query', 'GET', '/people/alice/income', undefined],
    ['an operation', 'GET', '/projections', undefined],
  ])('%s answers 401 UNAUTHENTICATED with WWW-Authenticate: Bearer', async (_what, method, path, body) => {
    const answer = await as(null, method, path, body);
    expectProblem(answer, 401, 'UNAUTHENTICATED');
    const raw = await fetch(ledger.url + path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(raw.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it.each([
    ['a wrong key', { authorization: 'Bearer w-0123456789abcdefghijklmnoX' }],
    ['a prefix of a real key', { authorization: `Bearer ${SECRETS.ops.slice(0, 20)}` }],
    ['a real key with something after it', { authorization: `Bearer ${SECRETS.ops}x` }],
    ['another scheme', { authorization: `Basic ${Buffer.from(`ops:${SECRETS.ops}`).toString('base64')}` }],
    ['a bearer without a key', { authorization: 'Bearer ' }],
    ['two keys at once', { authorization: `Bearer ${SECRETS.ops}`, 'x-api-key': SECRETS.ops }],
  ])('%s answers 401 and writes nothing', async (_what, headers) => {
    const answer = await ledger.send('POST', '/reps', {
      body: JSON.stringify(newRep('x2')),
      headers: { 'content-type': 'application/json', ...headers },
    });
    expectProblem(answer, 401, 'UNAUTHENTICATED');
    expect(JSON.stringify(answer.body)).not.toContain(SECRETS.ops.slice(0, 20));
    expect((await as('reader', 'GET', '/people/x2/income')).body.code).toBe('PERSON_UNKNOWN');
  });

  it('the key may also come as x-api-key', async () => {
    const answer = await ledger.send('GET', `/people/alice/income?minPosition=${position}`, {
      headers: { 'x-api-key': SECRETS.reader },
    });
    expect(answer.status).toBe(200);
  });
});

describe('a key outside its scope answers 403 FORBIDDEN', () => {
  it.each([
    ['a write key', 'writer', 'GET', '/people/alice/income'],
    ['a write key', 'writer', 'GET', '/projections'],
    ['a read key', 'reader', 'POST', '/reps'],
    ['a read key', 'reader', 'POST', '/sales/S-1/refunds'],
    ['a read key', 'reader', 'GET', '/projections'],
    ['an admin key', 'admin', 'POST', '/reps'],
    ['an admin key', 'admin', 'GET', '/people/alice/history'],
    ['a person-scoped read key', 'alice', 'POST', '/reps'],
    ['a person-scoped read key', 'alice', 'GET', '/projections'],
  ] as const)('%s (%s) on %s %s', async (_what, key, method, path) => {
    const answer = await as(key, method, path, method === 'POST' ? newRep('x3') : undefined);
    expectProblem(answer, 403, 'FORBIDDEN');
    expect(answer.body.detail).toContain(`"${key}"`);
  });

  it('and a refused command writes nothing', async () => {
    await as('reader', 'POST', '/reps', newRep('x4'));
    expect((await as('reader', 'GET', '/people/x4/income')).body.code).toBe('PERSON_UNKNOWN');
  });
});

describe("a key scoped to alice reads alice's statement and nobody else's", () => {
  it.each(['income', 'history', 'events', 'downline', 'statement?from=2024-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&'])(
    "GET /people/bob/%s → 403; alice's → 200",
    async (query) => {
      const withPosition = (person: string) =>
        `/people/${person}/${query}${query.endsWith('&') ? '' : '?'}minPosition=${position}`;
      const bobs = await as('alice', 'GET', withPosition('bob'));
      expectProblem(bobs, 403, 'FORBIDDEN');
      expect(JSON.stringify(bobs.body)).not.toContain('100.00');
      const alices = await as('alice', 'GET', withPosition('alice'));
      expect([alices.status, alices.body.personId]).toEqual([200, 'alice']);
    },
  );

  it("alice's key sees her override on bob's sale, in her own history", async () => {
    const history = await as('alice', 'GET', `/people/alice/history?minPosition=${position}`);
    expect(history.body.lines.length).toBeGreaterThan(0);
    expect(history.body.lines.every((line: { source: { stream: string } }) => line.source.stream === 'sale-S-1')).toBe(
      true,
    );
  });

  it('ids that merely look like alice are other people', async () => {
    for (const path of [
      '/people/Alice/income',
      '/people/alice2/income',
      '/people/alic/history',
      '/people/alice%20/income',
    ]) {
      expectProblem(await as('alice', 'GET', path), 403, 'FORBIDDEN');
    }
  });

  it('an unscoped read key reads everyone', async () => {
    for (const person of ['alice', 'bob'])
      expect((await as('reader', 'GET', `/people/${person}/history?minPosition=${position}`)).status).toBe(200);
  });
});

describe('admin routes', () => {
  it('an admin key reads the projection status and starts a dry-run rebuild', async () => {
    expect((await as('admin', 'GET', '/projections')).status).toBe(200);
    const started = await as('admin', 'POST', '/projections/rebuilds', { dryRun: true });
    expect(started.status).toBe(202);
    expect((await as('admin', 'GET', `/projections/rebuilds/${started.body.id}`)).status).toBe(200);
    expectProblem(await as('reader', 'GET', `/projections/rebuilds/${started.body.id}`), 403, 'FORBIDDEN');
  });

  it('a key with admin+read+write may do all three', async () => {
    expect((await as('ops', 'POST', '/reps', newRep('cara'))).status).toBe(201);
    expect((await as('ops', 'GET', '/people/alice/income')).status).toBe(200);
    expect((await as('ops', 'GET', '/projections')).status).toBe(200);
  });
});

describe('public routes and headers', () => {
  it('health and liveness answer without a key (orchestrators probe them)', async () => {
    expect((await ledger.get('/health/live')).status).toBe(200);
    expect([200, 503]).toContain((await ledger.get('/health')).status);
  });

  it('the OpenAPI UI loads without a key, under a CSP that lets its own scripts run', async () => {
    const page = await fetch(`${ledger.url}/docs`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const html = await page.text();
    for (const src of html.matchAll(/<script src="([^"]+)"/g)) {
      const script = await fetch(new URL(src[1]!, `${ledger.url}/docs`));
      expect([src[1], script.status]).toEqual([src[1], 200]);
    }
    expect((await fetch(`${ledger.url}/docs-json`)).status).toBe(200);
  });

  it.each([
    ['a JSON answer', 'reader', `/people/alice/income`],
    ['a problem answer', null, '/people/alice/income'],
    ['a 404', 'reader', '/nowhere'],
  ] as const)('%s carries the security headers', async (_what, key, path) => {
    const response = await fetch(ledger.url + path, {
      headers: key === null ? {} : { authorization: `Bearer ${SECRETS[key]}` },
    });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('every route declares who may call it, and only health is public', () => {
    const routes = ledger.app.get(AccessAudit).routes;
    expect(routes.filter((r) => r.access === undefined)).toEqual([]);
    expect(
      routes
        .filter((r) => r.access === 'public')
        .map((r) => r.route)
        .sort(),
    ).toEqual(['GET /health', 'GET /health/live']);
    expect(routes).toEqual(
      expect.arrayContaining([
        { route: 'POST /reps', access: 'write' },
        { route: 'POST /subscriptions/:subscriptionId/cancellation', access: 'write' },
        { route: 'GET /people/:personId/history', access: 'read' },
        { route: 'POST /projections/rebuilds', access: 'admin' },
      ]),
    );
  });
});

describe('rate limit per key', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({ overrides: { API_KEYS, RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await limited.stop();
    await removeDir(limited.dir);
  });

  it('the request after the limit answers 429 RATE_LIMITED with Retry-After; another key is not affected', async () => {
    const call = (key: KeyName) =>
      fetch(`${limited.url}/projections`, { headers: { authorization: `Bearer ${SECRETS[key]}` } });
    for (let i = 0; i < 3; i++) expect((await call('admin')).status).toBe(200);
    const refused = await call('admin');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(((await refused.json()) as { code: string }).code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('ops')).status).toBe(200);
  });

  it('counts requests with a wrong key against the client address, so guessing keys is slowed too', async () => {
    const guess = (n: number) =>
      fetch(`${limited.url}/people/alice/income`, {
        headers: { authorization: `Bearer wrong-guess-${n}-0123456789abcdef` },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await guess(i)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('configuration', () => {
  it('refuses a non-loopback bind address without keys, and accepts it with keys', () => {
    expect(() => loadAppConfig({ HOST: '0.0.0.0' }, {})).toThrow(/HOST="0.0.0.0".*no API keys/);
    expect(() => loadAppConfig({ HOST: '10.0.0.5' }, {})).toThrow(ConfigError);
    expect(loadAppConfig({ HOST: '0.0.0.0', API_KEYS }, {}).HOST).toBe('0.0.0.0');
  });

  it('refuses malformed keys at start, naming the entry and never printing a secret', () => {
    const secret = 'SuperSecretValue-0123456789';
    const load = () => loadAppConfig({ API_KEYS: `good:read:${secret},bad:reed:${secret}x,short:write:abc` }, {});
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/entry 2 \("bad"\): the scope "reed"/);
    expect(load).toThrow(/entry 3 \("short"\): the secret must be/);
    expect(load).not.toThrow(secret);
    expect(load).not.toThrow(/abc/);
  });
});

describe('keys are never logged', () => {
  it('the running service writes one line per request, its credentials [Redacted]', async () => {
    // given the built service at LOG_LEVEL=info with access control on
    const dir = tempDir();
    const service = await startService({
      LOG_LEVEL: 'info',
      API_KEYS,
      EVENT_STORE_PATH: join(dir, 'events.sqlite'),
      READ_MODEL_DIR: join(dir, 'read-models'),
    });
    try {
      // when a reader asks for a person's income with each way of sending a key
      await fetch(`${service.url}/people/alice/income`, { headers: { authorization: `Bearer ${SECRETS.reader}` } });
      await fetch(`${service.url}/people/alice/income`, { headers: { 'x-api-key': SECRETS.ops } });
      const completed = () =>
        service
          .output()
          .split('\n')
          .filter((line) => line.includes('"request completed"') && line.includes('/people/alice/income'));
      for (let waited = 0; completed().length < 2 && waited < 5_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // then each request has its line, with its status, and no secret anywhere in the output
      const lines = completed().map((line) => JSON.parse(line) as { res: { statusCode: number } });
      expect(lines.map((line) => line.res.statusCode)).toEqual([404, 404]);
      expect(service.output()).toContain('[Redacted]');
      expect(service.output()).not.toContain(SECRETS.reader);
      expect(service.output()).not.toContain(SECRETS.ops);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
      await removeDir(dir);
    }
  });

  it('request logs show [Redacted] for Authorization and x-api-key', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const logger = pinoHttp({ ...requestLogOptions(loadAppConfig({ LOG_LEVEL: 'info' }, {})) }, sink);
    const server: Server = createServer((req, res) => {
      logger(req, res);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await fetch(`http://127.0.0.1:${port}/`, { headers: { authorization: `Bearer ${SECRETS.ops}` } });
    await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-api-key': SECRETS.admin } });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const log = lines.join('');
    expect(lines.length).toBe(2);
    expect(log).toContain('[Redacted]');
    expect(log).not.toContain(SECRETS.ops);
    expect(log).not.toContain(SECRETS.admin);
  });
});

describe('npm run rebuild against a service with access control on', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp({ overrides: { API_KEYS } });
  });
  afterAll(async () => {
    await service.stop();
    await removeDir(service.dir);
  });

  /** Runs the built CLI (npm test builds first) against the test service; its exit code and output. */
  const rebuildCli = (env: Record<string, string>): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['dist/cli/rebuild.js'], {
        env: {
          PATH: process.env.PATH ?? '',
          HOST: '127.0.0.1',
          PORT: new URL(service.url).port,
          API_KEYS,
          LOG_LEVEL: 'silent',
          ...env,
        },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => resolve({ code, output }));
    });

  it('presents the first admin key of API_KEYS, or LEDGER_API_KEY, and is refused with a key that lacks admin', async () => {
    expect(existsSync('dist/cli/rebuild.js')).toBe(true);
    const withAdmin = await rebuildCli({});
    expect([withAdmin.code, withAdmin.output]).toEqual([0, expect.stringMatching(/rebuild .*: succeeded/)]);
    const withReader = await rebuildCli({ LEDGER_API_KEY: SECRETS.reader });
    expect([withReader.code, withReader.output]).toEqual([1, expect.stringContaining('403 FORBIDDEN')]);
    expect(withReader.output).not.toContain(SECRETS.reader);
  }, 60_000);
});
