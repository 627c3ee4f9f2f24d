import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parsePlan, type Plan } from './plan.js';

export interface LoadedPlan {
  readonly plan: Plan;
  readonly path: string;
  /** sha256 of the file's bytes: tells which exact plan priced the read models. */
  readonly fingerprint: string;
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
  return { plan: result.plan, path, fingerprint: createHash('sha256').update(text).digest('hex') };
}
