import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { LedgerError } from '../../shared/errors.js';
import type { Position } from '../../event-store/event-store.port.js';
import { IncomeProjector } from './income-projector.js';
import { ReadModel } from './read-model.js';

/** Waits, bounded, for the projection to reach a position a command returned. */
@Injectable()
export class ReadYourWrites {
  constructor(
    private readonly projector: IncomeProjector,
    private readonly readModel: ReadModel,
    private readonly config: AppConfig,
  ) {}

  /** Returns once the read model has reached `minPosition`; throws PROJECTION_BEHIND after the wait. */
  async await(minPosition: Position | undefined): Promise<void> {
    if (minPosition !== undefined && !(await this.projector.waitFor(minPosition, this.config.READ_WAIT_MS_MAX))) {
      throw new LedgerError('PROJECTION_BEHIND', `the read model has not reached position ${minPosition} within ${this.config.READ_WAIT_MS_MAX} ms; retry`, {
        checkpoint: this.readModel.checkpoint(),
        minPosition,
      });
    }
  }
}
