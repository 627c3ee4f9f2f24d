import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstDifference, parsePlan, versionAt, type Plan } from './plan.js';
import { PlanFileError, loadPlanFile } from './plan-file.js';

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
