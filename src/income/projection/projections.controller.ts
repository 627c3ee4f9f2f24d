import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore } from '../../event-store/event-store.port.js';
import { LOADED_PLAN } from '../plan/plan.module.js';
import type { LoadedPlan } from '../plan/plan-file.js';
import { IncomeProjector } from './income-projector.js';
import { ReadModel } from './read-model.js';

@ApiTags('operations')
@Controller('projections')
export class ProjectionsController {
  constructor(
    private readonly store: EventStore,
    private readonly projector: IncomeProjector,
    private readonly readModel: ReadModel,
    @Inject(LOADED_PLAN) private readonly loaded: LoadedPlan,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Head of the log, the projection checkpoint, the lag and the plan that priced it' })
  async status() {
    const head = await this.store.headPosition();
    const { status, error, checkpoint } = this.projector.status();
    const lag = head === null ? '0' : (BigInt(head) - BigInt(checkpoint ?? '0')).toString();
    return {
      projections: [
        {
          name: 'income',
          status,
          error,
          head,
          checkpoint,
          lag,
          builtWithPlan: this.readModel.planStamp(),
          currentPlan: { version: this.loaded.plan.version, fingerprint: this.loaded.fingerprint },
        },
      ],
    };
  }
}
