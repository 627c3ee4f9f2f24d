// The pay cycle's events in the log: the closes in order, and each close's sealed statements,
// read back, checked against the digest recorded at the close, and kept (a sealed period never changes).
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EventStore, atRevision, NO_STREAM, ANY, type RecordedEvent } from '../../event-store/event-store.port.js';
import { Clock } from '../../shared/clock.js';
import { assert } from '../../shared/errors.js';
import { eventIdFor } from '../../shared/ids.js';
import {
  PERIOD_CLOSED,
  PERIOD_STATEMENTS_SEALED,
  closesStream,
  decodePayCycleEvent,
  sealedStream,
  type PayCycleEvent,
  type PayoutEvent,
  type RecordedPayoutEvent,
  decodePayoutEvent,
  holdsStream,
  payoutsStream,
  type PeriodClosedData,
  type SealedRank,
  type SealedStatement,
} from '../events.js';
import type { CommandContext, CommandOutcome } from '../ledger-streams.js';
import { canonicalStatements } from './seal.js';

export interface RecordedClose {
  readonly data: PeriodClosedData;
  readonly position: string;
  readonly revision: number;
}

export interface SealedPeriod {
  readonly close: RecordedClose;
  readonly statements: readonly SealedStatement[];
  /** People with a statement marked qualified. */
  readonly qualified: ReadonlySet<string>;
  /**
   * Sealed under a plan with ranks (its statements carry them): each person's rank; one with no statement
   * reached none. Null when sealed without ranks.
   */
  readonly ranks: ReadonlyMap<string, SealedRank> | null;
}

const PAGE = 1_000;
/** A chunk of sealed statements stays under this many bytes of JSON (EventStoreDB takes 1 MiB per append). */
export const SEALED_CHUNK_BYTES_MAX = 256 * 1024;

export function digestOf(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}

/** Splits statements into chunks under SEALED_CHUNK_BYTES_MAX of JSON each (at least one statement per chunk). */
export function chunked(statements: readonly SealedStatement[]): SealedStatement[][] {
  const chunks: SealedStatement[][] = [];
  let current: SealedStatement[] = [];
  let bytes = 0;
  for (const s of statements) {
    const size = Buffer.byteLength(JSON.stringify(s)) + 1;
    if (current.length > 0 && bytes + size > SEALED_CHUNK_BYTES_MAX) {
      chunks.push(current);
      [current, bytes] = [[], 0];
    }
    current.push(s);
    bytes += size;
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  return chunks;
}

function ranksSealed(statements: readonly SealedStatement[]): Map<string, SealedRank> | null {
  if (!statements.some((s) => s.rank !== undefined)) return null;
  return new Map(statements.flatMap((s) => (s.rank === undefined ? [] : [[s.personId, s.rank] as const])));
}

@Injectable()
export class PayCycleLog {
  private readonly sealedCache = new Map<string, SealedPeriod>();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async closes(): Promise<RecordedClose[]> {
    const closes: RecordedClose[] = [];
    for (const event of await this.readAll(closesStream())) {
      assert(event.type === PERIOD_CLOSED, `${event.type} in ${closesStream()}`);
      closes.push({ data: event.data, position: event.position, revision: event.revision });
    }
    return closes;
  }

  /** A closed period's sealed statements, from the log; a digest that does not match stops here. */
  async sealed(close: RecordedClose): Promise<SealedPeriod> {
    const cached = this.sealedCache.get(close.data.period);
    if (cached !== undefined) return cached;
    const chunks = new Map<number, readonly SealedStatement[]>();
    for (const event of await this.readAll(sealedStream(close.data.period))) {
      // chunks of a close attempt that did not finish (a crash, a lost race) are not this close's
      if (event.type === PERIOD_STATEMENTS_SEALED && event.data.closeId === close.data.closeId)
        chunks.set(event.data.chunk, event.data.statements);
    }
    const statements: SealedStatement[] = [];
    for (let i = 0; i < close.data.chunkCount; i++) {
      const chunk = chunks.get(i);
      assert(chunk !== undefined, `sealed chunk ${i} of ${close.data.period} (close ${close.data.closeId}) is missing`);
      statements.push(...chunk);
    }
    const digest = digestOf(canonicalStatements(close.data, statements));
    assert(
      digest === close.data.statementDigest && statements.length === close.data.statementCount,
      `the sealed statements of ${close.data.period} do not match the digest recorded at its close`,
    );
    const sealed = {
      close,
      statements,
      qualified: new Set(statements.filter((s) => s.qualified).map((s) => s.personId)),
      ranks: ranksSealed(statements),
    };
    this.sealedCache.set(close.data.period, sealed);
    return sealed;
  }

  async appendChunk(
    period: string,
    closeId: string,
    chunk: number,
    statements: readonly SealedStatement[],
    context: CommandContext,
  ): Promise<void> {
    const data = { period, closeId, chunk, statements };
    await this.append(
      sealedStream(period),
      { type: PERIOD_STATEMENTS_SEALED, data },
      `seal:${period}/${closeId}/${chunk}`,
      ANY,
      context,
    );
  }

  /** Appends the close after the closes read (`afterRevision`); a concurrent close makes it throw WrongExpectedVersionError. */
  async appendClose(
    data: PeriodClosedData,
    afterRevision: number | null,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    return this.append(
      closesStream(),
      { type: PERIOD_CLOSED, data },
      `close:${data.period}`,
      afterRevision === null ? NO_STREAM : atRevision(afterRevision),
      context,
    );
  }

  /** Every hold set and lifted, in log order. */
  async holds(): Promise<{ revision: number | null; events: RecordedPayoutEvent[] }> {
    const events = await this.readRaw(holdsStream());
    return { revision: events.length === 0 ? null : events.length - 1, events: events.map(decodePayoutEvent) };
  }

  /** The payouts recorded for a period's payables. */
  async payouts(period: string): Promise<{ revision: number | null; events: RecordedPayoutEvent[] }> {
    const events = await this.readRaw(payoutsStream(period));
    return { revision: events.length === 0 ? null : events.length - 1, events: events.map(decodePayoutEvent) };
  }

  /** Appends a hold or payout event after the revision read; a concurrent append throws WrongExpectedVersionError. */
  appendAfter(
    stream: string,
    event: PayoutEvent,
    businessKey: string,
    revision: number | null,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    return this.append(stream, event, businessKey, revision === null ? NO_STREAM : atRevision(revision), context);
  }

  private async append(
    stream: string,
    event: PayCycleEvent | PayoutEvent,
    businessKey: string,
    expected: Parameters<EventStore['append']>[2],
    context: CommandContext,
  ): Promise<CommandOutcome> {
    const result = await this.store.append(
      stream,
      [
        {
          id: eventIdFor(event.type, businessKey),
          type: event.type,
          data: event.data,
          metadata: {
            recordedAt: this.clock.now().toISOString(),
            correlationId: context.correlationId,
            causationId: context.correlationId,
            businessKey,
          },
        },
      ],
      expected,
    );
    return { created: result.written, position: result.position, stream: result.stream, revision: result.revision };
  }

  private async readAll(stream: string): Promise<ReturnType<typeof decodePayCycleEvent>[]> {
    return (await this.readRaw(stream)).map(decodePayCycleEvent);
  }

  private async readRaw(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await this.store.readStream(stream, { fromRevision: events.length, maxCount: PAGE });
      events.push(...page);
      if (page.length < PAGE) break;
    }
    return events;
  }
}
