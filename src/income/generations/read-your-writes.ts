import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { Position } from '../../event-store/event-store.port.js';
import { LedgerError } from '../../shared/errors.js';
import { IncomeProjection } from './income-projection.js';

/** Waits, bounded, for the serving read model to reach a position a command returned. */
@Injectable()
export class ReadYourWrites {
  constructor(
    private readonly projection: IncomeProjection,
    private readonly config: AppConfig,
  ) {}

  /** Returns once the read model has reached `minPosition`; throws PROJECTION_BEHIND after the wait. */
  async await(minPosition: Position | undefined): Promise<void> {
    if (minPosition !== undefined && !(await this.projection.waitFor(minPosition, this.config.READ_WAIT_MS_MAX))) {
      throw new LedgerError(
        'PROJECTION_BEHIND',
        `the read model has not reached position ${minPosition} within ${this.config.READ_WAIT_MS_MAX} ms; retry`,
        {
          checkpoint: this.projection.readModel().checkpoint(),
          minPosition,
        },
      );
    }
  }
}
