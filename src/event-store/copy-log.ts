import { createHash } from 'node:crypto';
import { NO_STREAM, atRevision, type EventStore, type Position, type RecordedEvent } from './event-store.port.js';

export interface LogSummary {
  readonly events: number;
  /** sha256 over every event in log order: stream, revision, id, type, data and metadata. */
  readonly digest: string;
}

export interface CopyReport {
  readonly source: LogSummary;
  readonly target: LogSummary;
  /** Events the target already held (a copy resumed after an interruption). */
  readonly alreadyThere: number;
  readonly verified: boolean;
}

const PAGE = 1000;

/** Every event of a store's global log, in order, page by page. */
async function* everyEvent(store: EventStore): AsyncGenerator<RecordedEvent> {
  let after: Position | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]!.position;
  }
}

export async function summarizeLog(store: EventStore): Promise<LogSummary> {
  const hash = createHash('sha256');
  let events = 0;
  for await (const event of everyEvent(store)) {
    hash.update(JSON.stringify([event.stream, event.revision, event.id, event.type, event.data, event.metadata]));
    hash.update('\n');
    events += 1;
  }
  return { events, digest: hash.digest('hex') };
}

/**
 * Copies the whole log of `source` into `target` in log order, each event to its own stream at
 * its own revision with its own id, type, data and metadata. Each append names the exact revision
 * it expects, so a copy that was interrupted can simply be run again: what is already there is
 * recognised by its event ids and not written twice. Ends by comparing counts and digests.
 */
export async function copyLog(
  source: EventStore,
  target: EventStore,
  onProgress: (copied: number) => void = () => {},
): Promise<CopyReport> {
  let copied = 0;
  let alreadyThere = 0;
  for await (const event of everyEvent(source)) {
    const expected = event.revision === 0 ? NO_STREAM : atRevision(event.revision - 1);
    const result = await target.append(
      event.stream,
      [{ id: event.id, type: event.type, data: event.data as object, metadata: event.metadata as never }],
      expected,
    );
    if (!result.written) alreadyThere += 1;
    copied += 1;
    if (copied % PAGE === 0) onProgress(copied);
  }
  onProgress(copied);
  const [sourceSummary, targetSummary] = [await summarizeLog(source), await summarizeLog(target)];
  return {
    source: sourceSummary,
    target: targetSummary,
    alreadyThere,
    verified: sourceSummary.events === targetSummary.events && sourceSummary.digest === targetSummary.digest,
  };
}
