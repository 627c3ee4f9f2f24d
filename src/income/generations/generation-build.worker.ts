// The worker thread of a generation build (generation-build.ts): opens the log and the new
// generation's file itself, folds until caught up, finishes the file, says so, and ends.
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoggerService } from '@nestjs/common';
import type { EventStore } from '../../event-store/event-store.port.js';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store.js';
import { parsePlan } from '../plan/plan.js';
import { foldUpTo, type BuildMessage, type BuildWorkerData } from './generation-build.js';
import { GenerationProjector } from './generation-projector.js';
import { ReadModel } from '../read-model/read-model.js';
import { WriterThread } from '../read-model/read-model-writer.js';
import { lowerThreadPriority } from '../../shared/thread-priority.js';

const PROGRESS_MS = 200;
/**
 * Events read and folded at a time: a batch that is done with soon costs the fold's GC little (500
 * against 2,000: 6.5% less CPU at 1M, 3 pairs run side by side; 250 no better).
 */
const BUILD_BATCH_SIZE_MAX = 500;
/** Events per transaction of the writer thread, where no event loop answers anyone meanwhile. */
const EVENTS_PER_COMMIT = 10_000;
const data = workerData as BuildWorkerData;
const port = parentPort!;
const post = (message: BuildMessage) => port.postMessage(message);
const say = (level: 'log' | 'warn' | 'error') => (message: unknown, context?: unknown) =>
  post({ type: 'log', level, message: typeof message === 'string' ? message : String(context ?? message) });
const logger: LoggerService = { log: say('log'), warn: say('warn'), error: say('error') };

/**
 * The EventStoreDB adapter is loaded only for a log there: its client (gRPC, protobuf) takes about 0.2 s
 * to load in a new thread, which a build or a refold of a SQLite log would wait for and never use.
 */
async function eventStoreDb(connection: string): Promise<EventStore> {
  const { EventStoreDbEventStore } = await import('../../event-store/eventstoredb/eventstoredb-event-store.js');
  return new EventStoreDbEventStore(connection);
}

const parsed = parsePlan(JSON.parse(data.planJson));
if (!parsed.ok) throw new Error(`the build's plan is invalid: ${parsed.problems.join('; ')}`);
const store: EventStore =
  'sqlitePath' in data.log
    ? new SqliteEventStore(data.log.sqlitePath)
    : await eventStoreDb(data.log.eventStoreDbConnection);
lowerThreadPriority();
const readModel = new ReadModel(data.path, { building: true });
// the fold here, SQLite's half of the work on a thread of its own
readModel.writeThrough((checkpoint) => new WriterThread(data.path, checkpoint), {
  eventsPerCommit: EVENTS_PER_COMMIT,
});
const projector = new GenerationProjector(
  store,
  readModel,
  parsed.plan,
  logger,
  data.name,
  () => {},
  BUILD_BATCH_SIZE_MAX,
);
const report = () => {
  const status = projector.status();
  post({ type: 'progress', eventsSeen: projector.eventsSeen, checkpoint: status.checkpoint, error: status.error });
};
const reporter = setInterval(report, PROGRESS_MS);

let ending: Promise<void> | null = null;
function end(built: boolean): Promise<void> {
  ending ??= (async () => {
    clearInterval(reporter);
    await projector.stop();
    if (built) readModel.finishBuild({ indexes: data.indexes });
    report();
    readModel.close();
    await store.close();
    if (built) post({ type: 'built' });
    port.close();
  })();
  return ending;
}

let stopping = false;
port.on('message', (message) => {
  if (message !== 'stop') return;
  stopping = true;
  void end(false);
});
if (data.upTo === undefined) {
  projector.start();
  void projector.whenLive().then(() => end(true));
} else {
  // a refold: the log up to a point, then finished; a stop is seen between batches
  let refolded = 0;
  void foldUpTo(store, data.upTo, (events) => {
    if (stopping) return false;
    readModel.applyBatch(events, parsed.plan);
    refolded += events.length;
    post({ type: 'progress', eventsSeen: refolded, checkpoint: readModel.checkpoint(), error: null });
    return true;
  }).then(() => (stopping ? undefined : end(true)));
}
