import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalPlan, parsePlan, type Plan } from './plan.js';

export interface LoadedPlan {
  readonly plan: Plan;
  readonly path: string;
  /** The plan as canonical JSON (what the read models record). */
  readonly json: string;
  /** sha256 of the canonical JSON: the plan's identity, whatever the file's layout. */
  readonly fingerprint: string;
}

/** A plan with the canonical JSON and fingerprint that identify it. */
export function identifyPlan(plan: Plan, path = '(given)'): LoadedPlan {
  const json = canonicalPlan(plan);
  return { plan, path, json, fingerprint: createHash('sha256').update(json).digest('hex') };
}

export class PlanFileError extends Error {
  constructor(path: string, problems: readonly string[]) {
    super(`compensation plan ${path} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PlanFileError';
  }
}

/** Reads and validates the plan file; the service refuses to start on any problem. */
export function loadPlanFile(path: string): LoadedPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PlanFileError(path, [`cannot be read: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(path, [`is not JSON: ${(error as Error).message}`]);
  }
  const result = parsePlan(json);
  if (!result.ok) throw new PlanFileError(path, result.problems);
  return identifyPlan(result.plan, path);
}
