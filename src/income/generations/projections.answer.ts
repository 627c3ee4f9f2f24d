// What the /projections routes answer, described for the OpenAPI document. The manager's own types stay
// free of Nest (the offline CLI uses them), so these classes are pinned to them by `Same`: a field added,
// removed or retyped there and not here fails to compile.
import { ApiProperty } from '@nestjs/swagger';
import { everyOf, type Same } from '../../shared/exhaustive.js';
import type { GenerationStatus, RebuildState } from './catalog.js';
import type { ProjectorStatus } from './generation-projector.js';
import type { IncomeKind } from '../read-model/income.fold.js';
import type { PlanChange, ProjectionManager, RebuildProgress } from './projection-manager.js';
import type { WhatIfReport, WhatIfRow } from './what-if.js';

const AMOUNT = { description: "Decimal string fixed to the currency's minor units", example: '10.00' };
const NULLABLE_TEXT = { type: String, nullable: true } as const;
const NULLABLE_INTEGER = { type: 'integer', nullable: true } as const;

/** The plan a generation prices with, as every answer about one names it. */
class GenerationPlanAnswer {
  @ApiProperty()
  readonly planFingerprint!: string;
  @ApiProperty({ type: [String], description: "The plan's versions (`version` of each), oldest first" })
  readonly planVersions!: string[];
}

export class RebuildProgressAnswer extends GenerationPlanAnswer {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;
  @ApiProperty()
  readonly dryRun!: boolean;
  @ApiProperty({ enum: everyOf<RebuildState>()('running', 'succeeded', 'failed', 'abandoned') })
  readonly state!: RebuildState;
  @ApiProperty({ type: 'integer', description: 'The generation it builds' })
  readonly generation!: number;
  @ApiProperty({ format: 'date-time' })
  readonly requestedAt!: string;
  @ApiProperty({ ...NULLABLE_TEXT, format: 'date-time' })
  readonly finishedAt!: string | null;
  @ApiProperty(NULLABLE_TEXT)
  readonly error!: string | null;
  @ApiProperty({ ...NULLABLE_INTEGER, description: 'Events folded by this run (a resumed rebuild counts anew)' })
  readonly eventsDone!: number | null;
  @ApiProperty(NULLABLE_INTEGER)
  readonly eventsTotal!: number | null;
  @ApiProperty({ ...NULLABLE_TEXT, description: 'Global position folded up to' })
  readonly checkpoint!: string | null;
  @ApiProperty({ type: Number, nullable: true })
  readonly eventsPerSecond!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  readonly etaSeconds!: number | null;
}

export class PlanChangeAnswer {
  @ApiProperty({ description: 'Fingerprint of the plan the serving generation prices with' })
  readonly servingPlan!: string;
  @ApiProperty({ description: 'Fingerprint of the configured plan' })
  readonly configuredPlan!: string;
  @ApiProperty({ description: "The earliest business time the configured plan prices differently ('' for all time)" })
  readonly repricesFrom!: string;
  @ApiProperty({ enum: everyOf<PlanChange['action']>()('rebuilding', 'waiting-for-operator') })
  readonly action!: PlanChange['action'];
}

export class ServingGeneration extends GenerationPlanAnswer {
  @ApiProperty({ type: 'integer' })
  readonly generation!: number;
  @ApiProperty({ enum: everyOf<ProjectorStatus>()('starting', 'catching-up', 'live', 'failed', 'stopped') })
  readonly status!: ProjectorStatus;
  @ApiProperty(NULLABLE_TEXT)
  readonly error!: string | null;
  @ApiProperty({ ...NULLABLE_TEXT, description: 'Global position folded up to' })
  readonly checkpoint!: string | null;
}

export class GenerationAnswer extends GenerationPlanAnswer {
  @ApiProperty({ type: 'integer' })
  readonly id!: number;
  @ApiProperty({
    enum: everyOf<GenerationStatus>()('building', 'current', 'retired', 'what-if', 'abandoned', 'pruned'),
  })
  readonly status!: GenerationStatus;
  @ApiProperty({ format: 'date-time' })
  readonly createdAt!: string;
  @ApiProperty({ ...NULLABLE_TEXT, format: 'date-time' })
  readonly switchedAt!: string | null;
}

export class ProjectionsAnswer {
  @ApiProperty({ ...NULLABLE_TEXT, description: 'Head of the log (null when empty)' })
  readonly head!: string | null;
  @ApiProperty({ description: 'Head minus checkpoint, in positions (not a count of events)', example: '0' })
  readonly lag!: string;
  @ApiProperty({ type: ServingGeneration })
  readonly serving!: ServingGeneration;
  @ApiProperty({ description: 'Fingerprint of the configured plan' })
  readonly configuredPlan!: string;
  @ApiProperty({ type: [String], description: "The configured plan's versions, oldest first" })
  readonly configuredPlanVersions!: string[];
  @ApiProperty({ type: PlanChangeAnswer, nullable: true })
  readonly planChange!: PlanChangeAnswer | null;
  @ApiProperty({ type: RebuildProgressAnswer, nullable: true, description: 'The running rebuild' })
  readonly rebuild!: RebuildProgressAnswer | null;
  @ApiProperty({ type: [GenerationAnswer] })
  readonly generations!: GenerationAnswer[];
}

/** A total in one currency under the current plan (old) and the candidate plan (new), and the difference. */
class AmountChange {
  @ApiProperty()
  readonly currency!: string;
  @ApiProperty(AMOUNT)
  readonly old!: string;
  @ApiProperty(AMOUNT)
  readonly new!: string;
  @ApiProperty(AMOUNT)
  readonly difference!: string;
}

export class WhatIfRowAnswer extends AmountChange {
  @ApiProperty()
  readonly personId!: string;
  @ApiProperty({ enum: everyOf<IncomeKind>()('one-off', 'residual', 'passive') })
  readonly kind!: IncomeKind;
}

/** Every person's rows of a currency summed. */
export class CompanyWideChange extends AmountChange {}

export class UnpricedCount {
  @ApiProperty()
  readonly rule!: string;
  @ApiProperty()
  readonly currency!: string;
  @ApiProperty({ type: 'integer', description: 'Under the current plan' })
  readonly old!: number;
  @ApiProperty({ type: 'integer', description: 'Under the candidate plan' })
  readonly new!: number;
}

export class WhatIfReportAnswer {
  @ApiProperty({ ...NULLABLE_TEXT, description: 'Both read models are compared over the events up to here' })
  readonly upTo!: string | null;
  @ApiProperty()
  readonly currentPlan!: string;
  @ApiProperty()
  readonly candidatePlan!: string;
  @ApiProperty({ type: [WhatIfRowAnswer] })
  readonly rows!: WhatIfRowAnswer[];
  @ApiProperty({ type: [CompanyWideChange] })
  readonly companyWide!: CompanyWideChange[];
  @ApiProperty({
    type: [UnpricedCount],
    description: 'Events a fixed-amount rule priced at nothing, having no amount in their currency, under each plan',
  })
  readonly unpriced!: UnpricedCount[];
}

type StatusAnswer = { head: string | null; lag: string } & ReturnType<ProjectionManager['status']>;
export const answersArePinned: [
  Same<RebuildProgressAnswer, RebuildProgress>,
  Same<PlanChangeAnswer, PlanChange>,
  Same<ProjectionsAnswer, StatusAnswer>,
  Same<WhatIfRowAnswer, WhatIfRow>,
  Same<WhatIfReportAnswer, WhatIfReport>,
] = [true, true, true, true, true];
