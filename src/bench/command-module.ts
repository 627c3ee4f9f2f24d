import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppConfig } from '../config/app-config.js';
import { EventStoreModule } from '../event-store/event-store.module.js';
import { ConvertClickHandler } from '../income/conversion/convert-click.handler.js';
import { LedgerStreams } from '../income/ledger-streams.js';
import { RenewSubscriptionHandler } from '../income/renewal/renew-subscription.handler.js';
import { RecruitRepHandler } from '../income/rep/recruit-rep.handler.js';
import { RecordSaleHandler } from '../income/sale/record-sale.handler.js';
import { Clock, SystemClock } from '../shared/clock.js';

/**
 * The service's command side alone (CommandBus, the real handlers, the configured durable store),
 * without HTTP and without the read models: what B1 measures.
 */
@Global()
@Module({})
export class BenchCommandModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: BenchCommandModule,
      imports: [EventStoreModule, CqrsModule.forRoot()],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useClass: SystemClock },
        LedgerStreams,
        RecruitRepHandler,
        RecordSaleHandler,
        RenewSubscriptionHandler,
        ConvertClickHandler,
      ],
      exports: [AppConfig],
    };
  }
}
