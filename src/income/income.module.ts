import { Module, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock, SystemClock } from '../shared/clock.js';
import { CancelSubscriptionHandler } from './cancellation/cancel-subscription.handler.js';
import { CancellationsController } from './cancellation/cancellations.controller.js';
import { ConversionsController } from './conversion/conversions.controller.js';
import { RefundSaleHandler } from './refund/refund-sale.handler.js';
import { RefundsController } from './refund/refunds.controller.js';
import { ConvertClickHandler } from './conversion/convert-click.handler.js';
import { ForecastController } from './forecast/forecast.controller.js';
import { ForecastService } from './forecast/forecast.service.js';
import { LedgerStreams } from './ledger-streams.js';
import { ClosePeriodHandler } from './pay-cycle/close/close-period.handler.js';
import { PeriodsController } from './pay-cycle/close/periods.controller.js';
import { LiftHoldHandler, SetHoldHandler } from './pay-cycle/hold/hold.handlers.js';
import { HoldsController } from './pay-cycle/hold/holds.controller.js';
import { PayCycleLog } from './pay-cycle/pay-cycle-log.js';
import { RecordPayoutHandler } from './pay-cycle/payout/record-payout.handler.js';
import { PayCycleService } from './pay-cycle/pay-cycle.service.js';
import { RankCardController } from './pay-cycle/rank/rank.controller.js';
import { RankCardService } from './pay-cycle/rank/rank-card.service.js';
import { PersonPeriodsController } from './pay-cycle/periods.controller.js';
import { PeopleController } from './people/people.controller.js';
import { PeopleDirectoryController } from './people/people-directory.controller.js';
import { LineSourceController } from './people/line-source.controller.js';
import { DownlineBroughtController } from './people/downline-brought.controller.js';
import { PlanModule } from './plan/plan.module.js';
import { IncomeProjection } from './generations/income-projection.js';
import { ProjectionsController } from './generations/projections.controller.js';
import { ReadYourWrites } from './generations/read-your-writes.js';
import { RenewSubscriptionHandler } from './renewal/renew-subscription.handler.js';
import { RenewalsController } from './renewal/renewals.controller.js';
import { RecruitRepHandler } from './rep/recruit-rep.handler.js';
import { RepsController } from './rep/reps.controller.js';
import { RecordSaleHandler } from './sale/record-sale.handler.js';
import { SalesController } from './sale/sales.controller.js';
import { StatementController } from './statement/statement.controller.js';
import { StatementLimits } from './statement/statement-limits.js';
import { StatementService } from './statement/statement.service.js';

/** The command side: the clock that stamps recordedAt, the streams, and a handler per command. */
export const COMMAND_PROVIDERS: Provider[] = [
  { provide: Clock, useClass: SystemClock },
  LedgerStreams,
  RecruitRepHandler,
  RecordSaleHandler,
  RenewSubscriptionHandler,
  ConvertClickHandler,
  RefundSaleHandler,
  CancelSubscriptionHandler,
];

@Module({
  imports: [CqrsModule.forRoot(), PlanModule],
  controllers: [
    RepsController,
    SalesController,
    RenewalsController,
    ConversionsController,
    RefundsController,
    CancellationsController,
    PeopleController,
    PeopleDirectoryController,
    LineSourceController,
    DownlineBroughtController,
    StatementController,
    ForecastController,
    ProjectionsController,
    PersonPeriodsController,
    PeriodsController,
    HoldsController,
    RankCardController,
  ],
  providers: [
    ...COMMAND_PROVIDERS,
    IncomeProjection,
    ReadYourWrites,
    StatementService,
    PayCycleLog,
    PayCycleService,
    RankCardService,
    ClosePeriodHandler,
    SetHoldHandler,
    LiftHoldHandler,
    RecordPayoutHandler,
    ForecastService,
    StatementLimits,
  ],
  exports: [IncomeProjection],
})
export class IncomeModule {}
