import { Access } from '../access/access.decorator.js';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi.js';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EventStore } from '../event-store/event-store.port.js';
import { IncomeProjection } from '../income/generations/income-projection.js';

const CHECKS: SchemaObject = {
  type: 'object',
  additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } },
};
const HEALTH_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] }, info: CHECKS, error: CHECKS, details: CHECKS },
};

@ApiTags('operations')
@Access('public')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly store: EventStore,
    private readonly projection: IncomeProjection,
  ) {}

  /** Readiness: the store answers and the projection is running. 503 otherwise. */
  @Get()
  // Our own description, not terminus's: it adds one only where it can require() the ESM-only
  // @nestjs/swagger (Node 22, Jest, not Node 20), and the document must not depend on that.
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ description: 'the store answers and the projection runs', schema: HEALTH_SCHEMA })
  @ApiProblems('UNAVAILABLE')
  ready() {
    return this.health.check([
      async () => {
        const check = this.indicators.check('eventStore');
        try {
          return check.up({ head: await this.store.headPosition() });
        } catch (error) {
          return check.down({ message: (error as Error).message });
        }
      },
      () => {
        const check = this.indicators.check('incomeProjection');
        const { status, error, checkpoint } = this.projection.status().serving;
        return status === 'failed' || status === 'stopped'
          ? check.down({ projection: status, error })
          : check.up({ projection: status, checkpoint });
      },
    ]);
  }

  /** Liveness: the process answers. */
  @Get('live')
  @ApiOkResponse({ schema: { type: 'object', required: ['status'], properties: { status: { enum: ['ok'] } } } })
  live() {
    return { status: 'ok' };
  }
}
