// The people directory and income by month: the queries the console is built on, over HTTP.
// dan's lines are the hand-computed ones of docs/compensation-plan.md's worked example: S-1 override 2.50
// (2025-01-15), renewal override 2.50 (2025-02-15), S-2 direct sale 2.50 (2025-03-01), the 12-month
// renewal override 2.50 passive (2026-01-15).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { removeDir, sampleNetwork, startTestApp, withSampleNetwork, type TestApp } from '../support/test-app.js';

describe('the people directory', () => {
  let ledger: TestApp;
  let head: string;

  withSampleNetwork((app, position) => ((ledger = app), (head = position)));

  const everyone = () => sampleNetwork().filter((r) => r.path === '/reps');

  it('lists everyone in id order with their names when nothing is searched for', async () => {
    const answer = await ledger.get(`/people?minPosition=${head}`);
    expect(answer.status).toBe(200);
    const ids = everyone()
      .map((r) => String(r.body.repId))
      .sort();
    expect(answer.body.people.map((p: any) => p.personId)).toEqual(ids);
    expect(answer.body.people.find((p: any) => p.personId === 'ben')).toEqual({
      personId: 'ben',
      name: 'Ben Okafor',
      sponsorId: 'ana',
      recruitedAt: '2024-01-02T09:00:00.000Z',
    });
    expect(answer.body.nextCursor).toBeNull();
  });

  it('finds people by part of their id or their name, in either case', async () => {
    const byName = await ledger.get(`/people?search=okaf&minPosition=${head}`);
    expect(byName.body.people.map((p: any) => p.personId)).toEqual(['ben']);
    const byId = await ledger.get(`/people?search=EV&minPosition=${head}`);
    expect(byId.body.people.map((p: any) => p.personId)).toEqual(['eve']);
    const wildcard = await ledger.get(`/people?search=${encodeURIComponent('%')}&minPosition=${head}`);
    expect(wildcard.body.people).toEqual([]);
  });

  it('pages with a cursor, every person once', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    for (let pages = 0; cursor !== null && pages < 20; pages++) {
      const answer = await ledger.get(`/people?limit=2${cursor === '' ? '' : `&cursor=${cursor}`}`);
      expect(answer.body.people.length).toBeLessThanOrEqual(2);
      seen.push(...answer.body.people.map((p: any) => p.personId));
      cursor = answer.body.nextCursor;
    }
    expect(seen).toEqual(
      everyone()
        .map((r) => String(r.body.repId))
        .sort(),
    );
  });

  it('refuses a cursor it did not give out and a limit out of range', async () => {
    const cursor = await ledger.get('/people?cursor=bm90IGFuIGlkIQ');
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('INVALID_PARAMETER');
    expect((await ledger.get('/people?limit=0')).body.code).toBe('VALIDATION_FAILED');
    expect((await ledger.get('/people?limit=201')).body.code).toBe('VALIDATION_FAILED');
  });

  it('answers one person by id, and 404 for someone unknown', async () => {
    const dan = await ledger.get(`/people/dan?minPosition=${head}`);
    expect(dan.body).toMatchObject({ personId: 'dan', name: 'Dan Weber', sponsorId: 'cleo', position: head });
    const nobody = await ledger.get('/people/nobody');
    expect(nobody.status).toBe(404);
    expect(nobody.body.code).toBe('PERSON_UNKNOWN');
  });
});

describe("a person's income by month", () => {
  let ledger: TestApp;
  let head: string;

  withSampleNetwork((app, position) => ((ledger = app), (head = position)));

  const month = (m: string, oneOff: string, residual: string, passive: string, recurring: string, total: string) => ({
    month: m,
    currency: 'USD',
    oneOff,
    residual,
    passive,
    recurring,
    total,
  });

  it("splits dan's income into calendar months and kinds, as the worked example computes by hand", async () => {
    const answer = await ledger.get(`/people/dan/income/monthly?minPosition=${head}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      personId: 'dan',
      position: head,
      months: [
        month('2025-01', '0.00', '2.50', '0.00', '2.50', '2.50'),
        month('2025-02', '0.00', '2.50', '0.00', '2.50', '2.50'),
        month('2025-03', '2.50', '0.00', '0.00', '0.00', '2.50'),
        month('2026-01', '0.00', '0.00', '2.50', '2.50', '2.50'),
      ],
    });
  });

  it('gives, for every person and month, what the income query gives for that month', async () => {
    for (const rep of sampleNetwork().filter((r) => r.path === '/reps')) {
      const personId = String(rep.body.repId);
      const { months } = (await ledger.get(`/people/${personId}/income/monthly?minPosition=${head}`)).body;
      for (const m of months) {
        const [year, mm] = m.month.split('-').map(Number);
        const next = mm === 12 ? `${year + 1}-01` : `${year}-${String(mm + 1).padStart(2, '0')}`;
        const range = `from=${m.month}-01T00:00:00Z&to=${next}-01T00:00:00Z`;
        const { totals } = (await ledger.get(`/people/${personId}/income?${range}`)).body;
        const same = totals.find((t: any) => t.currency === m.currency);
        expect({ ...m, month: undefined, recurring: undefined }).toEqual({
          ...same,
          month: undefined,
          recurring: undefined,
        });
      }
    }
  });

  it('keeps to a date range, and answers 404 for an unknown person and 400 for a bad date', async () => {
    const range = await ledger.get('/people/dan/income/monthly?from=2025-02-01T00:00:00Z&to=2025-04-01T00:00:00Z');
    expect(range.body.months.map((m: any) => m.month)).toEqual(['2025-02', '2025-03']);
    expect((await ledger.get('/people/nobody/income/monthly')).body.code).toBe('PERSON_UNKNOWN');
    const bad = await ledger.get('/people/dan/income/monthly?from=2025-02-01');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('who a key is, and what it may see of the directory', () => {
  const secrets = { admin: 'x-console-0123456789abcdef', dan: 'd-console-0123456789abcdef' };
  const keys = `admin:admin:${secrets.admin},dan:read=dan:${secrets.dan},writer:write:w-console-0123456789abcdef`;
  let ledger: TestApp;
  const as = (key: keyof typeof secrets | null, path: string) =>
    ledger.send('GET', path, { headers: key === null ? {} : { authorization: `Bearer ${secrets[key]}` } });

  beforeAll(async () => {
    ledger = await startTestApp({ overrides: { API_KEYS: keys } });
  });
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it('tells a key its name and scopes, never its secret', async () => {
    const admin = await as('admin', '/access/me');
    expect(admin.body).toEqual({
      accessControl: true,
      key: 'admin',
      scopes: { write: false, admin: true, read: 'none', people: [] },
    });
    const dan = await as('dan', '/access/me');
    expect(dan.body.scopes).toEqual({ write: false, admin: false, read: 'some', people: ['dan'] });
    expect(JSON.stringify(dan.body)).not.toContain(secrets.dan);
  });

  it('answers 401 without a key, and the people list only to a key that reads everyone', async () => {
    expect((await as(null, '/access/me')).status).toBe(401);
    expect((await as('dan', '/people')).body.code).toBe('FORBIDDEN');
    expect((await as('dan', '/people/ana/income/monthly')).body.code).toBe('FORBIDDEN');
    expect((await as('dan', '/people/dan')).body.code).toBe('PERSON_UNKNOWN');
  });
});

describe('with access control off', () => {
  it('says so, and that anyone may do anything', async () => {
    const ledger = await startTestApp();
    try {
      expect((await ledger.get('/access/me')).body).toEqual({
        accessControl: false,
        key: null,
        scopes: { write: true, admin: true, read: 'all', people: [] },
      });
    } finally {
      await ledger.stop();
      await removeDir(ledger.dir);
    }
  });
});

describe('the source event of a line', () => {
  let ledger: TestApp;
  let head: string;

  withSampleNetwork((app, position) => ((ledger = app), (head = position)));

  it('answers the event behind a line, with its data, as the events query has it', async () => {
    const { lines } = (await ledger.get(`/people/dan/history?minPosition=${head}`)).body;
    const { events } = (await ledger.get('/people/dan/events')).body;
    for (const line of lines) {
      const answer = await ledger.get(`/people/dan/lines/${line.source.position}/event`);
      expect(answer.status).toBe(200);
      const same = events.find((e: any) => e.position === line.source.position);
      expect(answer.body).toEqual({
        personId: 'dan',
        position: same.position,
        eventId: same.eventId,
        type: same.type,
        stream: same.stream,
        revision: same.revision,
        data: same.data,
        metadata: same.metadata,
      });
    }
  });

  it("answers 404 at a position where the person has no line, so no one else's facts are read", async () => {
    const { lines } = (await ledger.get('/people/ana/history')).body;
    const danPositions = new Set(
      (await ledger.get('/people/dan/history')).body.lines.map((l: any) => l.source.position),
    );
    const notDans = lines.map((l: any) => l.source.position).find((p: string) => !danPositions.has(p));
    const answer = await ledger.get(`/people/dan/lines/${notDans}/event`);
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('LINE_UNKNOWN');
    expect((await ledger.get('/people/dan/lines/x1/event')).body.code).toBe('INVALID_PARAMETER');
  });
});
