// The pay cycle's answers are what the OpenAPI document says they are: a month closed under a plan with every
// period rule that adds a field (a reporting currency, caps per period, dynamic compression, ranks), a late fact in
// it, and each pay-cycle route's JSON answer checked field by field against its declared schema, both ways.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DeclaredFields } from '../support/declared-fields.js';
import { removeDir, startTestApp, tempDir, type TestApp } from '../support/test-app.js';

function everyRulePlan() {
  const plan = JSON.parse(readFileSync('plans/pay-cycle-example.plan.json', 'utf8'));
  plan.versions[0].periodRules.activity = {
    minimumPersonalVolume: { USD: '50.00' },
    reportingCurrency: { currency: 'USD', rates: { EUR: '1.10' } },
    compression: 'dynamic',
  };
  plan.versions[0].periodRules.periodCaps = { override: { USD: '8.00' } };
  plan.versions[0].periodRules.ranks = [{ name: 'Associate', personalVolume: { USD: '50.00' }, overrideLevels: 1 }];
  plan.versions[0].periodRules.payout = {};
  return plan;
}

const rep = (repId: string, sponsorId: string | null) => ({
  repId,
  sponsorId,
  name: repId.toUpperCase(),
  recruitedAt: '2025-01-01T09:00:00Z',
});
const sale = (saleId: string, repId: string, amount: string, currency: string, occurredAt: string) => ({
  saleId,
  repId,
  customerId: `C-${saleId}`,
  amount,
  currency,
  kind: 'single',
  occurredAt,
});

let ledger: TestApp;
let document: OpenAPIObject;
let fields: DeclaredFields;
const answers: { route: [method: 'get' | 'post', path: string, status?: string]; body: unknown }[] = [];

async function answered(method: 'get' | 'post', path: string, route: string, status = 200): Promise<unknown> {
  const answer = method === 'get' ? await ledger.get(path) : await ledger.post(path, { operator: 'ops-jane' });
  expect([path, answer.status]).toEqual([path, status]);
  answers.push({ route: [method, route, String(status)], body: answer.body });
  return answer.body;
}

beforeAll(async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'every-rule.plan.json'), JSON.stringify(everyRulePlan()));
  ledger = await startTestApp({ dir, overrides: { PLAN_FILE: join(dir, 'every-rule.plan.json') } });
  document = (await ledger.get('/docs-json')).body as OpenAPIObject;
  fields = new DeclaredFields(document);
  // given ana <- ben <- cleo <- dan: ben below the minimum (his override compresses up), ana's overrides capped,
  // and ana, an Associate (1 level), not paid dan's sale at paid level 2
  for (const r of [rep('ana', null), rep('ben', 'ana'), rep('cleo', 'ben'), rep('dan', 'cleo')])
    expect((await ledger.post('/reps', r)).status).toBe(201);
  for (const s of [
    sale('A-1', 'ana', '60.00', 'USD', '2025-03-02T10:00:00Z'),
    sale('A-2', 'ben', '10.00', 'EUR', '2025-03-03T10:00:00Z'),
    sale('A-3', 'cleo', '300.00', 'USD', '2025-03-05T10:00:00Z'),
    sale('A-4', 'dan', '200.00', 'USD', '2025-03-10T10:00:00Z'),
  ])
    expect((await ledger.post('/sales', s)).status).toBe(201);
  // when March is previewed, closed, and then a fact dated in it is recorded late
  await answered('get', '/periods/2025-03', '/periods/{period}');
  await answered('get', '/people/cleo/periods/2025-03', '/people/{personId}/periods/{period}');
  await answered('get', '/people/ana/periods/2025-03', '/people/{personId}/periods/{period}');
  await answered('get', '/people/ben/periods/2025-03', '/people/{personId}/periods/{period}');
  await answered('get', '/periods/2025-03/close-preview', '/periods/{period}/close-preview');
  await answered('post', '/periods/2025-03/close', '/periods/{period}/close', 201);
  await answered('post', '/periods/2025-03/close', '/periods/{period}/close', 200);
  const late = await ledger.post('/sales', sale('A-5', 'dan', '100.00', 'USD', '2025-03-20T10:00:00Z'));
  expect(late.status).toBe(201);
  await answered(
    'get',
    `/people/ben/periods/2025-04?minPosition=${late.body.position}`,
    '/people/{personId}/periods/{period}',
  );
  // cleo is paid dan's late sale (level 1): a coming adjustment (ana, an Associate, is not paid it at level 2)
  await answered(
    'get',
    `/people/cleo/periods/2025-04?minPosition=${late.body.position}`,
    '/people/{personId}/periods/{period}',
  );
  await answered(
    'get',
    `/people/ana/periods/2025-04?minPosition=${late.body.position}`,
    '/people/{personId}/periods/{period}',
  );
  await answered('get', '/people/ana/periods/2025-03', '/people/{personId}/periods/{period}');
  await answered('get', '/periods/2025-03', '/periods/{period}');
  await answered('get', '/periods/2025-03/statements', '/periods/{period}/statements');
  await answered('get', '/periods/2025-04/close-preview', '/periods/{period}/close-preview');
}, 60_000);
afterAll(async () => {
  await ledger.stop();
  await removeDir(ledger.dir);
});

describe("the pay cycle's answers in the OpenAPI document", () => {
  it('declare every field each answer has, each of its declared type, and no required field it lacks', () => {
    const mismatches = answers.flatMap(({ route, body }) =>
      fields.mismatches(fields.answerSchema(...route), body).map((m) => `${route[0]} ${route[1]} ${m}`),
    );
    expect(mismatches).toEqual([]);
  });

  it('declare no field that none of the answers has', () => {
    expect(answers.length).toBeGreaterThan(0);
    const roots = answers.map(({ route }) => fields.answerSchema(...route));
    // Only a re-pricing since the last close (a plan change) fills an adjustment's `plan`.
    expect(fields.unseen(roots)).toEqual(['PlanChangeFingerprints.from', 'PlanChangeFingerprints.to']);
  });
});

/** The codes a route's 422 answer lists (none when it has no 422 answer). */
function unprocessable(path: string): string[] {
  const response = document.paths[path]!.post!.responses['422'] as unknown as
    | undefined
    | {
        content: { 'application/problem+json': { schema: { allOf: { properties?: { code: { enum: string[] } } }[] } } };
      };
  return response?.content['application/problem+json'].schema.allOf[1]!.properties!.code.enum ?? [];
}

describe("the pay cycle's commands in the OpenAPI document", () => {
  it('list OCCURRED_IN_FUTURE only where the command posts a fact dated by the caller', () => {
    // a fact carries its business time (recruitedAt, occurredAt...); a close, a hold, a payout is dated by the ledger
    const FACTS = [
      '/reps',
      '/sales',
      '/subscriptions/{subscriptionId}/renewals',
      '/affiliate-conversions',
      '/sales/{saleId}/refunds',
      '/subscriptions/{subscriptionId}/cancellation',
    ];
    const PAY_CYCLE = [
      '/periods/{period}/close',
      '/periods/{period}/payouts',
      '/people/{personId}/holds',
      '/people/{personId}/holds/{holdId}/lift',
    ];
    const declares = (path: string) => [path, unprocessable(path).includes('OCCURRED_IN_FUTURE')];
    expect(FACTS.map(declares)).toEqual(FACTS.map((path) => [path, true]));
    expect(PAY_CYCLE.map(declares)).toEqual(PAY_CYCLE.map((path) => [path, false]));
  });
});
