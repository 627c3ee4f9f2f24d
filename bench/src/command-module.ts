import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppConfig } from '../../src/config/app-config.js';
import { EventStoreModule } from '../../src/event-store/event-store.module.js';
import { COMMAND_PROVIDERS } from '../../src/income/income.module.js';
import { PlanModule } from '../../src/income/plan/plan.module.js';

/**
 * The service's command side alone (CommandBus, the real handlers, the configured durable store and plan),
 * without HTTP and without the read models: what B1 measures.
 */
@Global()
@Module({})
export class BenchCommandModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: BenchCommandModule,
      imports: [EventStoreModule, CqrsModule.forRoot(), PlanModule],
      providers: [{ provide: AppConfig, useValue: config }, ...COMMAND_PROVIDERS],
      exports: [AppConfig],
    };
  }
}
