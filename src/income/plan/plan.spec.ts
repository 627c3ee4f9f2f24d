import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstDifference, parsePlan, versionAt, type Plan } from './plan.js';
import { PlanFileError, identifyPlan, loadPlanFile } from './plan-file.js';

const defaultRules = () => JSON.parse(readFileSync('plans/default.plan.json', 'utf8')).versions[0].rules;
const rules = (directSale = '0.20') => ({
  ...defaultRules(),
  directSale: { default: { kind: 'one-off', pays: { rate: directSale } } },
});
const version = (id: string, effectiveFrom: string, directSale?: string) => ({
  version: id,
  effectiveFrom,
  rules: rules(directSale),
});
const plan = (...versions: object[]): Plan => {
  const result = parsePlan({ versions });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.plan;
};

describe('the compensation plan file', () => {
  it('loads the default plan shipped with the service', () => {
    const loaded = loadPlanFile('plans/default.plan.json');
    expect(
      loaded.plan.versions.map((v) => [
        v.version,
        v.rules.override.default.sale.pays.map((r) => ('rate' in r ? r.rate.toString() : r.fixed)),
      ]),
    ).toEqual([['2026.1', ['0.05', '0.03', '0.02']]]);
    expect(loaded.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names every field that is wrong', () => {
    const broken = {
      versions: [
        {
          ...version('', '2025-01-01T00:00:00Z'),
          rules: {
            ...rules(),
            directSale: { default: { kind: 'one-off', pays: { rate: 0.2 } } },
            override: {
              default: { ...defaultRules().override.default, sale: { kind: 'oneoff', pays: [{ rate: '2' }] } },
            },
          },
        },
        version('2026.1', '2024-12-31T00:00:00Z'),
      ],
    };
    const result = parsePlan(broken);
    expect(result.ok ? [] : result.problems).toEqual([
      'versions[0].version: must be 1 to 64 of A-Z a-z 0-9 . _ : -',
      'versions[0].rules.directSale.default.pays.rate: must be a decimal string such as "0.05"',
      'versions[0].rules.override.default.sale.kind: must be "one-off", "residual" or "passive"',
      'versions[0].rules.override.default.sale.pays[0].rate: must be at most 1',
    ]);
    expect(
      parsePlan({ versions: [version('a', '2025-01-01T00:00:00Z'), version('b', '2024-12-31T00:00:00Z')] }),
    ).toEqual({
      ok: false,
      problems: ['versions[1].effectiveFrom: must be later than the previous version'],
    });
    expect(parsePlan({ versions: [] })).toEqual({
      ok: false,
      problems: ['versions: must be a list of 1 to 100 plan versions'],
    });
  });

  it('refuses a file that is not JSON, saying which file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'plan-')), 'broken.json');
    writeFileSync(path, '{ "versions": ');
    expect(() => loadPlanFile(path)).toThrow(PlanFileError);
    expect(() => loadPlanFile(path)).toThrow(/broken\.json is invalid/);
  });

  it('refuses a missing file in one line saying which file and how to fix it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'plan-')), 'missing.json');
    expect(() => loadPlanFile(path)).toThrow(
      `compensation plan ${path} does not exist (fix the file, or point PLAN_FILE or --plan at a valid plan)`,
    );
  });

  it('identifies a plan by its content, not by the layout of its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    const body = { description: 'x', versions: [version('v1', '2025-01-01T00:00:00Z')] };
    writeFileSync(join(dir, 'a.json'), JSON.stringify(body));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(body, null, 4));
    expect(loadPlanFile(join(dir, 'a.json')).fingerprint).toBe(loadPlanFile(join(dir, 'b.json')).fingerprint);
  });
});

describe('plan versions', () => {
  const twoVersions = plan(version('v1', '2025-01-01T00:00:00Z'), version('v2', '2025-07-01T00:00:00+02:00', '0.25'));

  it('prices each business time with the version in force then; the first covers everything before it', () => {
    expect(
      [
        '2024-06-01T00:00:00.000Z',
        '2025-06-30T21:59:59.999Z',
        '2025-06-30T22:00:00.000Z',
        '2030-01-01T00:00:00.000Z',
      ].map((t) => versionAt(twoVersions, t).version),
    ).toEqual(['v1', 'v1', 'v2', 'v2']);
  });

  it('finds the earliest business time a new plan re-prices', () => {
    const added = plan(
      version('v1', '2025-01-01T00:00:00Z'),
      version('v2', '2025-07-01T00:00:00+02:00', '0.25'),
      version('v3', '2027-01-01T00:00:00Z', '0.30'),
    );
    expect(firstDifference(twoVersions, added)).toBe('2027-01-01T00:00:00.000Z');
    expect(firstDifference(twoVersions, twoVersions)).toBeNull();
    expect(
      firstDifference(plan(version('v1', '2025-01-01T00:00:00Z')), plan(version('v1', '2025-01-01T00:00:00Z', '0.21'))),
    ).toBe('');
  });
});

describe('the rule language', () => {
  const withRules = (extra: Record<string, unknown>) => ({
    versions: [{ version: 'v1', effectiveFrom: '2025-01-01T00:00:00Z', rules: { ...rules(), ...extra } }],
  });
  const problems = (json: unknown) => {
    const result = parsePlan(json);
    return result.ok ? [] : result.problems;
  };

  it('loads the example plan with every rule', () => {
    const { plan } = loadPlanFile('plans/examples/every-rule.plan.json');
    expect(Object.keys(plan.versions[0]!.rules).sort()).toEqual(
      ['affiliate', 'caps', 'directSale', 'fastStart', 'override', 'renewal', 'renewalAmount'].sort(),
    );
  });

  it('names every problem of steps, fixed amounts, caps, fast start and products by its field path', () => {
    expect(
      problems(
        withRules({
          renewal: {
            default: {
              age: 'renewals',
              steps: [
                { from: 0, kind: 'residual', pays: { rate: '0.10' } },
                { from: 0, kind: 'passive', pays: { fixed: { USD: '1.001', XXX: '1' } } },
              ],
              until: { weeks: 3 },
            },
            products: { 'bad code!': { age: 'calendarMonths', steps: [] } },
          },
          fastStart: { default: { withinDays: 0, rep: { kind: 'one-off', pays: { rate: '0.05', fixed: {} } } } },
          caps: { default: { perLine: { USD: '-1' }, perYear: { USD: '1.00' } } },
          renewalAmount: { default: { maxRatioToSale: '0' } },
          bonus: {},
        }),
      ),
    ).toEqual([
      'versions[0].rules.bonus: is not a field of this rule',
      'versions[0].rules.renewal.default.steps[1].pays.fixed.USD: has more than 2 decimals, the minor units of USD',
      'versions[0].rules.renewal.default.steps[1].pays.fixed.XXX: is not an ISO 4217 currency',
      'versions[0].rules.renewal.default.until: must be { "calendarMonths": N } or { "renewals": N }',
      'versions[0].rules.renewal.products: "bad code!" is not a product code (1 to 64 of A-Z a-z 0-9 . _ : -)',
      'versions[0].rules.renewal.products.bad code!.steps: must be a list of 1 to 20 entries',
      'versions[0].rules.fastStart.default.withinDays: must be a whole number from 1 to 3650',
      'versions[0].rules.fastStart.default.rep.pays: must be { "rate": "0.05" } or { "fixed": { "USD": "5.00" } }',
      'versions[0].rules.caps.default.perYear: is not a field of this rule',
      'versions[0].rules.caps.default.perLine.USD: must be greater than zero',
      'versions[0].rules.renewalAmount.default.maxRatioToSale: must be greater than zero',
    ]);
  });

  it('refuses steps that do not start at the first age or do not increase', () => {
    const steps = (age: string, ...from: number[]) =>
      withRules({
        renewal: { default: { age, steps: from.map((f) => ({ from: f, kind: 'residual', pays: { rate: '0.1' } })) } },
      });
    expect(problems(steps('renewals', 1, 4, 4))).toEqual([
      'versions[0].rules.renewal.default.steps[2].from: must be greater than the previous step',
    ]);
    expect(problems(steps('calendarMonths', 1))).toEqual([
      'versions[0].rules.renewal.default.steps[0].from: must be 0, so that every calendarMonths age has a step',
    ]);
  });

  it('reads a plan in the earlier five-number form as the same rules: the same fingerprint as the default plan', () => {
    const legacy = {
      versions: [
        {
          version: '2026.1',
          effectiveFrom: '2000-01-01T00:00:00Z',
          rules: {
            directSale: { rate: '0.20' },
            renewal: { rate: '0.10' },
            override: { ratesByGeneration: ['0.05', '0.03', '0.02'] },
            affiliate: { rate: '0.08' },
            residualTurnsPassive: { afterCalendarMonths: 12 },
          },
        },
      ],
    };
    expect(identifyPlan(plan(...legacy.versions)).fingerprint).toBe(
      loadPlanFile('plans/default.plan.json').fingerprint,
    );
  });

  it('reads the stored plans, old field names included (override.ratesByGeneration), to the fingerprints they had before upline depth was named level', () => {
    // Recorded before the rename: the catalogue and every read model identify their plan by it, so a
    // changed fingerprint would call for a rebuild that re-prices nothing. Plan files are immutable; the
    // ranks example gained its August version (compression) in a branch merged with the rename; its fingerprint is
    // that file's under the code before the rename (dca64c8).
    const before: Record<string, string> = {
      'plans/default.plan.json': '516c5c78dfb00fff883ec17ff7d055110db0a4301b3176b216d8a8cc52c877ce',
      'plans/pay-cycle-example.plan.json': 'c3925e11e06f1cc32acc234a633a191d20ba63fb4a6b4e7bf0609c7ae77a5ae0',
      'plans/ranks-example.plan.json': 'f2e09c5c6887ad498142306b7ac30114f5a18f598bfc8f166dfa6b305348f2b3',
      'plans/compression-example.plan.json': 'ca0e281a0a07fab7dce78affb17803b2fab9cf14408d68bef1cd69009f0e663e',
      'plans/examples/every-rule.plan.json': 'b3ace410e6a8b95151724c9b89f0465e960fb18568fa7c1a0a80e82ee8748895',
    };
    expect(readFileSync('plans/pay-cycle-example.plan.json', 'utf8')).toContain('"ratesByGeneration"');
    for (const [path, fingerprint] of Object.entries(before))
      expect([path, loadPlanFile(path).fingerprint]).toEqual([path, fingerprint]);
  });

  it('reads its own canonical form back as the same plan', () => {
    const loaded = loadPlanFile('plans/examples/every-rule.plan.json');
    const again = parsePlan(JSON.parse(loaded.json));
    expect(again.ok && identifyPlan(again.plan).fingerprint).toBe(loaded.fingerprint);
  });

  it('sees a change of any pricing rule, and not a change of the renewal amount check, which prices nothing', () => {
    const base = loadPlanFile('plans/examples/every-rule.plan.json').plan;
    const json = () => JSON.parse(readFileSync('plans/examples/every-rule.plan.json', 'utf8'));
    const edited = (edit: (rules: any) => void) => {
      const file = json();
      edit(file.versions[0].rules);
      const result = parsePlan(file);
      if (!result.ok) throw new Error(result.problems.join('; '));
      return result.plan;
    };
    const edits: ((rules: any) => void)[] = [
      (r) => (r.caps.products.PRO.perSubscription.USD = '60.00'),
      (r) => (r.fastStart.default.withinDays = 31),
      (r) => (r.renewal.products.PRO.until = { renewals: 5 }),
      (r) => (r.override.products.PRO.sale.kind = 'passive'),
      (r) => (r.affiliate.pays.fixed.EUR = '4.50'),
      (r) => (r.directSale.products.NEW = { kind: 'one-off', pays: { rate: '0.10' } }),
    ];
    for (const edit of edits) expect(firstDifference(base, edited(edit))).toBe('');
    expect(
      firstDifference(
        base,
        edited((r) => (r.renewalAmount.default.maxRatioToSale = '3')),
      ),
    ).toBeNull();
  });

  it('re-prices from the beginning when a plan starts keeping fold state (a first lifetime cap, a first renewal count), whenever dated', () => {
    const base = plan(version('v1', '2025-01-01T00:00:00Z'));
    const later = (rules: object) =>
      plan(version('v1', '2025-01-01T00:00:00Z'), {
        ...version('v2', '2030-01-01T00:00:00Z'),
        rules: { ...defaultRules(), ...rules },
      });
    const counted = { age: 'renewals', steps: [{ from: 1, kind: 'residual', pays: { rate: '0.1' } }] };
    expect(firstDifference(base, later({ caps: { default: { perLine: { USD: '1.00' } } } }))).toBe(
      '2030-01-01T00:00:00.000Z',
    );
    expect(firstDifference(base, later({ caps: { default: { perSubscription: { USD: '1.00' } } } }))).toBe('');
    expect(firstDifference(base, later({ renewal: { default: counted } }))).toBe('');
  });
});
