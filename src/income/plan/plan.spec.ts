import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlan } from './plan.js';
import { PlanFileError, loadPlanFile } from './plan-file.js';

const valid = {
  version: 'test.1',
  rules: {
    directSale: { rate: '0.20' },
    renewal: { rate: '0.10' },
    override: { ratesByGeneration: ['0.05', '0.03', '0.02'] },
    affiliate: { rate: '0.08' },
    residualTurnsPassive: { afterCalendarMonths: 12 },
  },
};

describe('the compensation plan file', () => {
  it('loads the default plan shipped with the service', () => {
    const loaded = loadPlanFile('plans/default.plan.json');
    expect(loaded.plan.version).toBe('2026.1');
    expect(loaded.plan.overrideRates.map(String)).toEqual(['0.05', '0.03', '0.02']);
    expect(loaded.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names every field that is wrong', () => {
    const broken = { ...valid, version: '', rules: { ...valid.rules, renewal: { rate: 0.1 }, override: { ratesByGeneration: ['0.05', '2'] } } };
    const result = parsePlan(broken);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([
      'version: must be 1 to 64 of A-Z a-z 0-9 . _ : -',
      'rules.renewal.rate: must be a decimal string such as "0.05"',
      'rules.override.ratesByGeneration[1]: must be at most 1',
    ]);
  });

  it('refuses a file that is not JSON, saying which file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'plan-')), 'broken.json');
    writeFileSync(path, '{ "version": ');
    expect(() => loadPlanFile(path)).toThrow(PlanFileError);
    expect(() => loadPlanFile(path)).toThrow(/broken\.json is invalid/);
  });
});
