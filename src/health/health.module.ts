import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { IncomeModule } from '../income/income.module.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule, IncomeModule],
  controllers: [HealthController],
})
export class HealthModule {}
