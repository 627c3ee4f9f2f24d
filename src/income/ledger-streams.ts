import { Injectable } from '@nestjs/common';
import {
  EventStore,
  NO_STREAM,
  WrongExpectedVersionError,
  atRevision,
  type Position,
} from '../event-store/event-store.port.js';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../shared/clock.js';
import { LedgerError, assert } from '../shared/errors.js';
import { eventIdFor } from '../shared/ids.js';
import { decodeLedgerEvent, storedDataOf, type LedgerEvent, type RecordedLedgerEvent } from './events.js';
import { refuseFutureFact } from './recording-window.js';

/** What a command answers: where its event is, and whether this call wrote it. */
export interface CommandOutcome {
  readonly created: boolean;
  readonly position: Position;
  readonly stream: string;
  readonly revision: number;
}

/** Carried by every command from the HTTP edge into event metadata. */
export interface CommandContext {
  readonly correlationId: string;
}

export interface LoadedStream {
  readonly stream: string;
  readonly events: readonly RecordedLedgerEvent[];
  /** Revision of the last event, or null when the stream does not exist. */
  readonly revision: number | null;
}

/** Streams are read in pages of this many events (a subscription renewed for decades stays small). */
const STREAM_PAGE = 1_000;
const CONFLICT_ATTEMPTS_MAX = 8;
/** Between attempts, a random wait up to this many ms per attempt so far, to spread contenders. */
const CONFLICT_JITTER_MS = 5;

/** The command side's view of the event store: load a stream decoded, append one decided event. */
@Injectable()
export class LedgerStreams {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async load(stream: string): Promise<LoadedStream> {
    const events: RecordedLedgerEvent[] = [];
    for (;;) {
      const page = await this.store.readStream(stream, { fromRevision: events.length, maxCount: STREAM_PAGE });
      events.push(...page.map(decodeLedgerEvent));
      if (page.length < STREAM_PAGE) break;
    }
    return { stream, events, revision: events.length === 0 ? null : events[events.length - 1]!.revision };
  }

  /**
   * Appends one event after the loaded state; a concurrent append makes it throw WrongExpectedVersionError.
   * The clock is read here, once, to stamp `recordedAt`; an event dated too far past that time is refused
   * here too (OCCURRED_IN_FUTURE), so the time the rule compares with is the one stored with the event.
   */
  async append(
    loaded: LoadedStream,
    event: LedgerEvent,
    businessKey: string,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    const id = eventIdFor(event.type, businessKey);
    const recordedAt = this.clock.now().toISOString();
    refuseFutureFact(event, recordedAt, this.config.FUTURE_MARGIN_MS);
    const result = await this.store.append(
      loaded.stream,
      [
        {
          id,
          type: event.type,
          data: storedDataOf(event),
          metadata: {
            recordedAt,
            correlationId: context.correlationId,
            causationId: context.correlationId,
            businessKey,
          },
        },
      ],
      loaded.revision === null ? NO_STREAM : atRevision(loaded.revision),
    );
    // Not written: an identical command raced this one (or this is a retry after a lost answer).
    return { created: result.written, position: result.position, stream: result.stream, revision: result.revision };
  }

  /**
   * Carries out a decision of at most one event: appends it, or, when the decider decided
   * nothing because the command was already recorded, answers with the original event.
   */
  async record(
    loaded: LoadedStream,
    decided: readonly LedgerEvent[],
    eventType: string,
    businessKey: string,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    assert(decided.length <= 1, `a command decided ${decided.length} events for ${loaded.stream}`);
    const event = decided[0];
    if (event === undefined) return this.existing(loaded, eventType, businessKey);
    assert(event.type === eventType, `decided ${event.type}, expected ${eventType}`);
    return this.append(loaded, event, businessKey, context);
  }

  /** The outcome of a command that was already recorded: its original event, found by id. */
  existing(loaded: LoadedStream, eventType: string, businessKey: string): CommandOutcome {
    const id = eventIdFor(eventType, businessKey);
    const event = loaded.events.find((e) => e.id === id);
    assert(event !== undefined, `a repeated command found no event ${id} (${businessKey}) in ${loaded.stream}`);
    return { created: false, position: event.position, stream: event.stream, revision: event.revision };
  }
}

/**
 * Runs a load-decide-append cycle again when another writer got to the stream first,
 * a bounded number of times; then the caller gets a 409 to retry later.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (i >= CONFLICT_ATTEMPTS_MAX) {
        throw new LedgerError('CONCURRENCY_CONFLICT', `stream ${error.stream} kept changing; retry the command`, {
          stream: error.stream,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_JITTER_MS * i));
    }
  }
}
