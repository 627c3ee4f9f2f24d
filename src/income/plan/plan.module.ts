import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { loadPlanFile } from './plan-file.js';

/** The plan in force, loaded and validated once at start. */
export const LOADED_PLAN = Symbol('LOADED_PLAN');

@Module({
  providers: [
    { provide: LOADED_PLAN, inject: [AppConfig], useFactory: (config: AppConfig) => loadPlanFile(config.PLAN_FILE) },
  ],
  exports: [LOADED_PLAN],
})
export class PlanModule {}
