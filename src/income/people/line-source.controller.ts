import { ApiProblems } from '../../http/openapi.js';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Access } from '../../access/access.decorator.js';
import { EventStore, isPosition } from '../../event-store/event-store.port.js';
import { RequestInvalidError } from '../../http/problem.js';
import { ParseIdPipe } from '../../http/validation.js';
import { LedgerError } from '../../shared/errors.js';
import { IncomeProjection } from '../generations/income-projection.js';
import { assertKnownPerson } from './known-person.js';
import { lineSource } from './line-source.query.js';
import { DATA_AS_READ } from './people.answer.js';
import { decodeLedgerEvent } from '../events.js';

export class SourceEventAnswer {
  @ApiProperty() personId!: string;
  @ApiProperty() position!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty() stream!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ type: Object, description: DATA_AS_READ }) data!: Record<string, unknown>;
  @ApiProperty({ type: Object, description: 'recordedAt, correlationId, causationId, businessKey' })
  metadata!: Record<string, unknown>;
}

/** The fact behind a person's line: the source event with its data (the console's provenance drawer). */
@ApiTags('queries')
@Access('read')
@Controller('people/:personId/lines')
export class LineSourceController {
  constructor(
    private readonly projection: IncomeProjection,
    private readonly store: EventStore,
  ) {}

  @ApiProblems('INVALID_PARAMETER', 'PERSON_UNKNOWN', 'LINE_UNKNOWN', 'PROJECTION_BEHIND', 'STORE_UNAVAILABLE')
  @Get(':position/event')
  @ApiOperation({ summary: 'The source event (with its data) of the lines a person has at a log position' })
  @ApiOkResponse({ type: SourceEventAnswer })
  async sourceEvent(
    @Param('personId', ParseIdPipe) personId: string,
    @Param('position') position: string,
  ): Promise<SourceEventAnswer> {
    if (!isPosition(position))
      throw new RequestInvalidError('INVALID_PARAMETER', 'position is not a log position', [
        { field: 'position', problems: ['position must be the digits of a line source position'] },
      ]);
    const readModel = this.projection.readModel();
    const source = readModel.read(() => {
      assertKnownPerson(readModel, personId);
      return lineSource(readModel, personId, position);
    });
    if (source === undefined)
      throw new LedgerError('LINE_UNKNOWN', `${personId} has no line at position ${position}`, { personId, position });
    const [event] = await this.store.readStream(source.stream, { fromRevision: source.revision, maxCount: 1 });
    if (event === undefined) throw new Error(`the log has no event ${source.stream}@${source.revision}`);
    return {
      personId,
      position: event.position,
      eventId: event.id,
      type: event.type,
      stream: event.stream,
      revision: event.revision,
      data: { ...decodeLedgerEvent(event).data },
      metadata: event.metadata as Record<string, unknown>,
    };
  }
}
