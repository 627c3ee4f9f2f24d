import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { EventStore } from '../../event-store/event-store.port.js';
import { Clock } from '../../shared/clock.js';
import { LOADED_PLAN } from '../plan/plan.module.js';
import type { LoadedPlan } from '../plan/plan-file.js';
import { buildWorkerOf } from './generation-build.js';
import { ProjectionManager } from './projection-manager.js';

/** The service's blue/green read models: started with the app, stopped with it. */
@Injectable()
export class IncomeProjection extends ProjectionManager implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(store: EventStore, @Inject(LOADED_PLAN) plan: LoadedPlan, config: AppConfig, clock: Clock) {
    super(
      store,
      plan,
      {
        dir: config.READ_MODEL_DIR,
        planChangeRebuild: config.PLAN_CHANGE_REBUILD,
        generationsKept: config.GENERATIONS_KEPT,
        worker: buildWorkerOf(config),
      },
      new Logger('Projection'),
      clock,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** Before the event store closes (that happens at application shutdown, after every module is destroyed). */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }
}
