import { Access } from '../../access/access.decorator.js';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../http/openapi.js';
import { ParseIdPipe } from '../../http/validation.js';
import { RequestInvalidError } from '../../http/problem.js';
import { EventStore } from '../../event-store/event-store.port.js';
import { parseInstant } from '../../shared/time.js';
import { decodeLedgerEvent } from '../events.js';
import { ReadModel } from '../read-model/read-model.js';
import { downline } from './downline.query.js';
import { decodeCursor, eventsOf, history } from './history.query.js';
import { incomeTotals, type Period } from './income-totals.query.js';
import { IncomeProjection } from '../generations/income-projection.js';
import { ReadYourWrites } from '../generations/read-your-writes.js';
import { assertKnownPerson, unknownPerson } from './known-person.js';
import { DownlineAnswer, EventsAnswer, HistoryAnswer, IncomeAnswer } from './people.answer.js';
import { DownlineQuery, EventsQuery, HistoryQuery, PeriodQuery } from './people-query.request.js';

@ApiTags('queries')
@Access('read')
@ApiProblems('PERSON_UNKNOWN', 'PROJECTION_BEHIND')
@Controller('people/:personId')
export class PeopleController {
  constructor(
    private readonly projection: IncomeProjection,
    private readonly consistency: ReadYourWrites,
    private readonly store: EventStore,
  ) {}

  /** The serving generation's read model, taken afresh for each query (a rebuild may switch it). */
  private get readModel(): ReadModel {
    return this.projection.readModel();
  }

  @Get('income')
  @ApiOperation({ summary: 'Income per currency, split into residual, passive and one-off' })
  @ApiOkResponse({ type: IncomeAnswer })
  async income(@Param('personId', ParseIdPipe) personId: string, @Query() query: PeriodQuery): Promise<IncomeAnswer> {
    await this.consistency.await(query.minPosition);
    const readModel = this.readModel;
    return readModel.read(() => {
      assertKnownPerson(readModel, personId);
      return { personId, position: readModel.checkpoint(), totals: incomeTotals(readModel, personId, periodOf(query)) };
    });
  }

  @Get('history')
  @ApiOperation({
    summary: 'Every ledger line of the person in log order, with its provenance; paged; by kind, rule, currency, date',
  })
  @ApiOkResponse({ type: HistoryAnswer })
  @ApiProblems('INVALID_PARAMETER')
  async history(
    @Param('personId', ParseIdPipe) personId: string,
    @Query() query: HistoryQuery,
  ): Promise<HistoryAnswer> {
    await this.consistency.await(query.minPosition);
    const after = afterCursor(query.cursor);
    const readModel = this.readModel;
    return readModel.read(() => {
      assertKnownPerson(readModel, personId);
      const filters = { kind: query.kind, rule: query.rule, currency: query.currency };
      const page = history(readModel, personId, { ...periodOf(query), ...filters, after, limit: query.limit ?? 100 });
      return { personId, position: readModel.checkpoint(), ...page };
    });
  }

  @Get('events')
  @ApiOperation({
    summary:
      "The events that touched this person's income (their own and their downline's), in log order, with the lines each produced",
  })
  @ApiOkResponse({ type: EventsAnswer })
  @ApiProblems('INVALID_PARAMETER', 'STORE_UNAVAILABLE')
  async events(@Param('personId', ParseIdPipe) personId: string, @Query() query: EventsQuery): Promise<EventsAnswer> {
    await this.consistency.await(query.minPosition);
    const after = afterCursor(query.cursor);
    const readModel = this.readModel;
    const page = readModel.read(() => {
      assertKnownPerson(readModel, personId);
      return {
        position: readModel.checkpoint(),
        ...eventsOf(readModel, personId, { after: after?.position, limit: query.limit ?? 100 }),
      };
    });
    const events = await Promise.all(
      page.events.map(async ({ position, lines }) => {
        const source = lines[0]!.source;
        const [event] = await this.store.readStream(source.stream, { fromRevision: source.revision, maxCount: 1 });
        return {
          position,
          eventId: source.eventId,
          type: source.eventType,
          stream: source.stream,
          revision: source.revision,
          data: event === undefined ? null : decodeLedgerEvent(event).data,
          metadata: event?.metadata ?? null,
          lines,
        };
      }),
    );
    return { personId, position: page.position, events, nextCursor: page.nextCursor };
  }

  @Get('downline')
  @ApiOperation({ summary: 'The people recruited under a person, level by level' })
  @ApiOkResponse({ type: DownlineAnswer })
  async downline(
    @Param('personId', ParseIdPipe) personId: string,
    @Query() query: DownlineQuery,
  ): Promise<DownlineAnswer> {
    await this.consistency.await(query.minPosition);
    const depth = query.depth ?? 3;
    const readModel = this.readModel;
    return readModel.read(() => {
      const tree = downline(readModel, personId, depth);
      if (tree === null) throw unknownPerson(personId);
      return {
        personId,
        position: readModel.checkpoint(),
        depth,
        truncated: tree.truncated,
        downline: tree.root.downline,
      };
    });
  }
}

/** A page cursor back to where the previous page ended; 400 for one this API did not give out. */
function afterCursor(cursor: string | undefined): { position: string; lineNo: number } | undefined {
  if (cursor === undefined) return undefined;
  const after = decodeCursor(cursor);
  if (after === null) {
    throw new RequestInvalidError('INVALID_PARAMETER', 'cursor is not a nextCursor of this API', [
      { field: 'cursor', problems: ['cursor must be a nextCursor from a previous page'] },
    ]);
  }
  return after;
}

function periodOf(query: PeriodQuery): Period {
  return {
    from: query.from === undefined ? undefined : parseInstant(query.from)!,
    to: query.to === undefined ? undefined : parseInstant(query.to)!,
  };
}
