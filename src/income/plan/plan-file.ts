import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OperatorError } from '../../shared/operator-error.js';
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

/** The plan file cannot be used: says which file, what is wrong with it, and how to fix that, on one line. */
export class PlanFileError extends OperatorError {
  constructor(path: string, problem: string) {
    super(`compensation plan ${path} ${problem} (fix the file, or point PLAN_FILE or --plan at a valid plan)`);
    this.name = 'PlanFileError';
  }
}

/** Reads and validates the plan file; the service refuses to start on any problem. */
export function loadPlanFile(path: string): LoadedPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new PlanFileError(path, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(path, `is invalid: not JSON (${(error as Error).message})`);
  }
  const result = parsePlan(json);
  if (!result.ok) throw new PlanFileError(path, `is invalid: ${result.problems.join('; ')}`);
  return identifyPlan(result.plan, path);
}
