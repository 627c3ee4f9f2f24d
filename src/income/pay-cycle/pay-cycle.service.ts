import { Injectable } from '@nestjs/common';
import { LedgerError } from '../../shared/errors.js';
import { assertKnownPerson } from '../people/known-person.js';
import { versionAt, type Plan } from '../plan/plan.js';
import type { PeriodRules } from '../plan/period-rules.js';
import { IncomeProjection } from '../projection/income-projection.js';
import { STATEMENT_LINES_MAX } from '../statement/statement.service.js';
import { personPeriod, type PersonPeriod } from './period-figures.js';
import { periodBounds, type PeriodBounds, type PeriodName } from './period.js';

/** The calendar (length, time zone) is the same in every version; the rules of a period are its first instant's. */
export function calendarOf(plan: Plan): PeriodRules {
  return plan.versions[0]!.periodRules;
}

export function rulesOf(plan: Plan, bounds: PeriodBounds): PeriodRules {
  return versionAt(plan, bounds.from).periodRules;
}

/** Periods as the serving read model knows them: the provisional view of an open period. */
@Injectable()
export class PayCycleService {
  constructor(private readonly projection: IncomeProjection) {}

  /** An open period's figures so far, with the qualification they give so far ("projected"). */
  projected(personId: string, period: PeriodName): PersonPeriod & { position: string | null } {
    const { readModel, plan } = this.projection.servingNow();
    const bounds = periodBounds(period, calendarOf(plan.plan));
    return readModel.read(() => {
      assertKnownPerson(readModel, personId);
      const found = readModel.statementLines(personId, bounds, undefined, STATEMENT_LINES_MAX);
      if (found.truncated) {
        throw new LedgerError('STATEMENT_TOO_LARGE', `more than ${STATEMENT_LINES_MAX} lines in the period`, {
          linesMax: STATEMENT_LINES_MAX,
        });
      }
      const lines = found.lines.map((line) => ({ ...line, earnerId: personId }));
      return {
        ...personPeriod(personId, bounds, lines, rulesOf(plan.plan, bounds)),
        position: readModel.checkpoint(),
      };
    });
  }
}
