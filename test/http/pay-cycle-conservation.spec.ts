// What must hold of the pay cycle (issue 9), as a property over HTTP: random months of facts for a small
// network under plans/pay-cycle-example.plan.json (50.00 USD to qualify, 5 holding days, 25.00 minimum
// payout), with late facts, refunds, holds, payouts and restarts under re-pricing plans between closes.
// Every figure is read from the API's answers. fast-check prints the seed and path of a failing run.
import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minorUnitsOfAmount } from '../../src/shared/money.js';
import { post, refund, renewal, rep, sale, waitForRebuild } from '../support/pay-cycle-given.js';
import { postAll, removeDir, startTestApp, type SampleRequest, type TestApp } from '../support/test-app.js';

const PLAN_FILE = 'plans/pay-cycle-example.plan.json';
const MONTHS = ['2025-03', '2025-04', '2025-05', '2025-06'] as const;
const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4'];
const OPERATOR = 'ops-prop';

const saleArb = fc.record({
  op: fc.constant('sale' as const),
  seller: fc.nat(),
  cents: fc.integer({ min: 1_000, max: 20_000 }),
  day: fc.integer({ min: 1, max: 28 }),
  subscription: fc.boolean(),
});

/** A fact or an operator's act in one month; the numbers pick among what exists then. */
const opArb = fc.oneof(
  { weight: 4, arbitrary: saleArb },
  fc.record({
    op: fc.constant('lateSale' as const),
    seller: fc.nat(),
    cents: fc.integer({ min: 1_000, max: 20_000 }),
    back: fc.nat(),
    day: fc.integer({ min: 1, max: 28 }),
  }),
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('renewal' as const), pick: fc.nat(), day: fc.integer({ min: 1, max: 28 }) }),
  },
  fc.record({
    op: fc.constant('refund' as const),
    pick: fc.nat(),
    full: fc.boolean(),
    // dated in the sale's own month (a late fact once that month is closed), or in this one
    inSaleMonth: fc.boolean(),
    day: fc.integer({ min: 1, max: 28 }),
  }),
  fc.record({ op: fc.constant('hold' as const), person: fc.nat() }),
  fc.record({ op: fc.constant('lift' as const), pick: fc.nat(), forfeit: fc.boolean() }),
);

/** Rates a re-pricing plan may take: the direct commission and the three override levels. */
const repricingArb = fc.record({
  directSale: fc.constantFrom('0.15', '0.20', '0.25'),
  overrides: fc.constantFrom(['0.05', '0.03', '0.02'], ['0.06', '0.04', '0.01'], ['0.10', '0.00', '0.00']),
});

const monthArb = fc.record({
  ops: fc.array(opArb, { minLength: 2, maxLength: 9 }),
  /** Before this month closes: a restart under a re-pricing plan (it rebuilds), or none. */
  restart: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: repricingArb }),
  /** Which rows of the payout batch are recorded as paid after the close. */
  payouts: fc.oneof(fc.constant('all' as const), fc.array(fc.boolean(), { maxLength: 5 })),
});

const scenarioArb = fc.record({
  sponsors: fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), // p(i+1)'s sponsor: one of p0..pi
  months: fc.array(monthArb, { minLength: MONTHS.length, maxLength: MONTHS.length }),
});

type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;
type Month = typeof monthArb extends fc.Arbitrary<infer T> ? T : never;

interface SaleMade {
  readonly saleId: string;
  readonly month: number;
  readonly occurredAt: string;
  readonly cents: number;
  refundedCents: number;
  readonly subscriptionId: string | null;
}

/** What the facts posted so far hold: the scenario's numbers pick among these, so every command is valid. */
class Model {
  readonly sales: SaleMade[] = [];
  readonly holds: { holdId: string; personId: string; lifted: boolean }[] = [];
  private count = 0;

  /** The month the facts are posted in (index into MONTHS). */
  month = 0;

  /** The request an op makes in this month, or null when there is nothing it could apply to. */
  request(op: Op): SampleRequest | null {
    const id = `${++this.count}`;
    switch (op.op) {
      case 'sale':
        return this.sell(id, PEOPLE[op.seller % PEOPLE.length]!, op.cents, this.month, op.day, op.subscription);
      case 'lateSale':
        if (this.month === 0) return null;
        return this.sell(id, PEOPLE[op.seller % PEOPLE.length]!, op.cents, op.back % this.month, op.day, false);
      case 'renewal':
        return this.renew(id, op.pick, op.day);
      case 'refund':
        return this.refund(id, op);
      case 'hold': {
        const hold = { holdId: `H-${id}`, personId: PEOPLE[op.person % PEOPLE.length]!, lifted: false };
        this.holds.push(hold);
        return {
          path: `/people/${hold.personId}/holds`,
          body: { holdId: hold.holdId, reason: 'review', operator: OPERATOR },
        };
      }
      case 'lift': {
        const standing = this.holds.filter((h) => !h.lifted);
        const hold = standing[op.pick % Math.max(1, standing.length)];
        if (hold === undefined) return null;
        hold.lifted = true;
        const outcome = op.forfeit ? 'forfeit' : 'release';
        return {
          path: `/people/${hold.personId}/holds/${hold.holdId}/lift`,
          body: { outcome, reason: 'decided', operator: OPERATOR },
        };
      }
      default: {
        const never: never = op;
        throw new Error(`unknown op ${JSON.stringify(never)}`);
      }
    }
  }

  private sell(id: string, seller: string, cents: number, month: number, day: number, subscription: boolean) {
    const subscriptionId = subscription ? `SUB-${id}` : null;
    const made = { saleId: `S-${id}`, month, occurredAt: at(month, day, 10), cents, refundedCents: 0, subscriptionId };
    this.sales.push(made);
    return sale(made.saleId, seller, dollars(cents), made.occurredAt, subscriptionId ?? undefined);
  }

  private renew(id: string, pick: number, day: number): SampleRequest | null {
    const subscriptions = this.sales.filter((s) => s.subscriptionId !== null);
    const sold = subscriptions[pick % Math.max(1, subscriptions.length)];
    if (sold === undefined) return null;
    const renewedAt = latest(sold.occurredAt, at(this.month, day, 11));
    return renewal(sold.subscriptionId!, `R-${id}`, dollars(sold.cents), renewedAt);
  }

  private refund(id: string, op: Extract<Op, { op: 'refund' }>): SampleRequest | null {
    const refundable = this.sales.filter((s) => s.subscriptionId === null && s.refundedCents < s.cents);
    const sold = refundable[op.pick % Math.max(1, refundable.length)];
    if (sold === undefined) return null;
    const left = sold.cents - sold.refundedCents;
    const cents = op.full ? left : Math.max(1, Math.floor(left / 2));
    sold.refundedCents += cents;
    const refundedAt = op.inSaleMonth
      ? sold.occurredAt.replace('T10:', 'T12:')
      : latest(sold.occurredAt, at(this.month, op.day, 12));
    return refund(sold.saleId, `F-${id}`, dollars(cents), refundedAt);
  }
}

const at = (month: number, day: number, hour: number) =>
  `${MONTHS[month]}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
const latest = (a: string, b: string) => (a > b ? a.replace('T10:', 'T11:') : b);
const dollars = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const minor = (amount: string) => minorUnitsOfAmount(amount, 'USD');

/** What one run read from the API: each close's sealed statements and status, and the payouts recorded. */
interface Observed {
  readonly sealed: Map<string, { statements: string; status: string }>;
  readonly batches: Map<string, string[]>;
  /** `period person` of every payout recorded, with its amount in minor units. */
  readonly recorded: Map<string, bigint>;
}

async function readSealed(ledger: TestApp, period: string) {
  const statements = await ledger.get(`/periods/${period}/statements`);
  const status = await ledger.get(`/periods/${period}`);
  expect([statements.status, status.status]).toEqual([200, 200]);
  return { statements: JSON.stringify(statements.body), status: JSON.stringify(status.body) };
}

type Repricing = { readonly directSale: string; readonly overrides: readonly string[] };

/** Restarts the service under a plan with other rates (a rebuild): every sealed statement reads the same after. */
async function restartRepriced(ledger: TestApp, rates: Repricing, observed: Observed): Promise<TestApp> {
  const before = new Map<string, { statements: string; status: string }>();
  for (const period of observed.sealed.keys()) before.set(period, await readSealed(ledger, period));
  const plan = JSON.parse(readFileSync(PLAN_FILE, 'utf8'));
  plan.versions[0].rules.directSale.rate = rates.directSale;
  plan.versions[0].rules.override.ratesByGeneration = rates.overrides;
  const planFile = join(ledger.dir, `repriced-${observed.sealed.size}.plan.json`);
  writeFileSync(planFile, JSON.stringify(plan));
  await ledger.stop();
  const overrides = { PLAN_FILE: planFile, PLAN_CHANGE_REBUILD: 'auto' };
  const restarted = await startTestApp({ dir: ledger.dir, overrides });
  await waitForRebuild(restarted);
  for (const [period, sealed] of before) expect(await readSealed(restarted, period)).toEqual(sealed);
  return restarted;
}

/** Closes the month, reads what it sealed and its payout batch, and records the payouts the scenario picks. */
async function closeAndPay(ledger: TestApp, period: string, payouts: Month['payouts'], observed: Observed) {
  const close = await ledger.post(`/periods/${period}/close`, { operator: OPERATOR });
  expect(close.status).toBe(201);
  observed.sealed.set(period, await readSealed(ledger, period));
  const batch = await ledger.get(`/periods/${period}/payout-batch`);
  expect(batch.status).toBe(200);
  const rows = batch.body
    .split('\r\n')
    .slice(1)
    .filter((row: string) => row.length > 0);
  observed.batches.set(period, rows);
  for (const [i, row] of rows.entries()) {
    if (payouts !== 'all' && payouts[i] !== true) continue;
    const [personId, amount, currency, reference] = row.split(',');
    const body = { personId, amount, currency, providerReference: `PP-${reference}`, operator: OPERATOR };
    await postAll(ledger, [{ path: `/periods/${period}/payouts`, body }]);
    observed.recorded.set(`${period} ${personId}`, minor(amount));
  }
}

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** The service a run is using, and its folder: removed after each run, passed or failed. */
interface Live {
  ledger: TestApp | null;
  dir: string | null;
}

/** Runs a scenario on a fresh service: the reps, then each month's facts, a restart if any, its close and payouts. */
async function run(scenario: Scenario, live: Live): Promise<{ ledger: TestApp; observed: Observed }> {
  let ledger = await startTestApp({ overrides: { PLAN_FILE } });
  Object.assign(live, { ledger, dir: ledger.dir });
  await post(
    ledger,
    PEOPLE.map((p, i) => rep(p, i === 0 ? null : PEOPLE[scenario.sponsors[i - 1]! % i]!)),
  );
  const observed: Observed = { sealed: new Map(), batches: new Map(), recorded: new Map() };
  const model = new Model();
  for (const [m, month] of scenario.months.entries()) {
    model.month = m;
    const requests = month.ops.map((op) => model.request(op)).filter((r): r is SampleRequest => r !== null);
    if (requests.length > 0) await post(ledger, requests);
    if (month.restart !== null && observed.sealed.size > 0) {
      live.ledger = null; // stopped by the restart
      ledger = await restartRepriced(ledger, month.restart, observed);
      live.ledger = ledger;
    }
    await closeAndPay(ledger, MONTHS[m]!, month.payouts, observed);
  }
  return { ledger, observed };
}

async function tearDown(live: Live): Promise<void> {
  const { ledger, dir } = live;
  Object.assign(live, { ledger: null, dir: null });
  await ledger?.stop();
  if (dir !== null) await removeDir(dir);
}

describe('the pay cycle conserves money (property, over HTTP)', () => {
  const live: Live = { ledger: null, dir: null };
  afterEach(() => tearDown(live));

  it('pays, holds and carries exactly what was earned and adjusted; seals for good; never pays a negative', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        try {
          const { ledger, observed } = await run(scenario, live);
          await checkSealedForGood(ledger, observed);
          await checkConservation(ledger, observed);
        } finally {
          await tearDown(live);
        }
      }),
      { numRuns: 8 },
    );
  }, 600_000);
});

/** Every sealed statement and its close read now as they were read right after the close. */
async function checkSealedForGood(ledger: TestApp, observed: Observed): Promise<void> {
  for (const [period, sealed] of observed.sealed) expect(await readSealed(ledger, period)).toEqual(sealed);
}

interface Statement {
  personId: string;
  currency: string;
  qualified: boolean;
  opening: string;
  earned: string;
  adjustments: { amount: string }[];
  closing: string;
  paidBefore: string;
  forfeited: string;
  heldForRefundWindow: string;
  held: string;
  carried: string;
  payable: string;
}

const statementsOf = (observed: Observed, period: string): Statement[] =>
  JSON.parse(observed.sealed.get(period)!.statements).statements;

/** Per person and currency (`person currency`), the sealed statement of every closed period, in order. */
function statementChains(observed: Observed): Map<string, (Statement | undefined)[]> {
  const chains = new Map<string, (Statement | undefined)[]>();
  for (const [m, period] of MONTHS.entries()) {
    for (const s of statementsOf(observed, period)) {
      const key = `${s.personId} ${s.currency}`;
      const chain = chains.get(key) ?? MONTHS.map(() => undefined);
      chain[m] = s;
      chains.set(key, chain);
    }
  }
  return chains;
}

const sum = (amounts: readonly bigint[]) => amounts.reduce((a, b) => a + b, 0n);

async function checkConservation(ledger: TestApp, observed: Observed): Promise<void> {
  for (const [key, chain] of statementChains(observed)) {
    const [personId] = key.split(' ') as [string];
    // a period without a statement had nothing to say: its closing is zero
    for (const [m, s] of chain.entries()) {
      if (s === undefined) continue;
      expect([key, minor(s.opening)]).toEqual([key, m === 0 ? 0n : minor(chain[m - 1]?.closing ?? '0.00')]);
      expect([key, minor(s.payable) >= 0n, minor(s.held) >= 0n, minor(s.heldForRefundWindow) >= 0n]).toEqual([
        key,
        true,
        true,
        true,
      ]);
    }
    const everything = sum(
      chain.map((s) => (s === undefined ? 0n : minor(s.earned) + sum(s.adjustments.map((a) => minor(a.amount))))),
    );
    const last = chain[chain.length - 1] ?? blank();
    const payables = sum(chain.map((s) => (s === undefined ? 0n : minor(s.payable))));
    const paid = payoutsOf(observed, personId);
    // nothing created, nothing lost: what was paid (recorded, or in a batch still to be paid), forfeited,
    // held and carried is everything earned and adjusted up to the last close
    expect([key, minor(last.closing)]).toEqual([key, everything]);
    expect([key, minor(last.paidBefore) + minor(last.payable)]).toEqual([key, payables]);
    expect([key, paid.recorded + paid.outstanding]).toEqual([key, payables]);
    const kept = minor(last.forfeited) + minor(last.heldForRefundWindow) + minor(last.held) + minor(last.carried);
    expect([key, paid.recorded + paid.outstanding + kept]).toEqual([key, everything]);
  }
  await checkAgainstHistory(ledger, observed);
}

const blank = (): Statement => ({
  personId: '',
  currency: 'USD',
  qualified: false,
  opening: '0.00',
  earned: '0.00',
  adjustments: [],
  closing: '0.00',
  paidBefore: '0.00',
  forfeited: '0.00',
  heldForRefundWindow: '0.00',
  held: '0.00',
  carried: '0.00',
  payable: '0.00',
});

/** A person's payouts: recorded from the batches, and the rows of the batches not recorded (yet). */
function payoutsOf(observed: Observed, personId: string): { recorded: bigint; outstanding: bigint } {
  let recorded = 0n;
  let outstanding = 0n;
  for (const [period, rows] of observed.batches) {
    for (const row of rows) {
      const [person, amount] = row.split(',') as [string, string];
      if (person !== personId) continue;
      const made = observed.recorded.get(`${period} ${person}`);
      if (made === undefined) outstanding += minor(amount);
      else recorded += made;
    }
  }
  return { recorded, outstanding };
}

/**
 * The last close's closing is the ledger by event up to its end (every fact was known to it), less the
 * overrides dated in a period whose sealed statement left the person unqualified (docs/pay-cycle.md).
 */
async function checkAgainstHistory(ledger: TestApp, observed: Observed): Promise<void> {
  const qualified = new Set<string>();
  for (const period of MONTHS)
    for (const s of statementsOf(observed, period)) if (s.qualified) qualified.add(`${period} ${s.personId}`);
  const lastClose = statementsOf(observed, MONTHS[MONTHS.length - 1]!);
  const end = JSON.parse(observed.sealed.get(MONTHS[MONTHS.length - 1]!)!.status).to;
  for (const personId of PEOPLE) {
    const history = await ledger.get(`/people/${personId}/history?to=${end}&limit=1000`);
    expect(history.status).toBe(200);
    expect(history.body.nextCursor).toBeNull();
    const counted = history.body.lines.filter(
      (l: any) => l.rule !== 'override' || qualified.has(`${l.occurredAt.slice(0, 7)} ${personId}`),
    );
    const closing = lastClose.find((s) => s.personId === personId)?.closing ?? '0.00';
    expect([personId, minor(closing)]).toEqual([personId, sum(counted.map((l: any) => minor(l.amount)))]);
  }
}
