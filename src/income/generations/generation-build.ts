// Building a new generation: folding the whole log into its file until it has caught up with the
// head, then indexing it and making it durable once (ReadModel.finishBuild). In a worker thread
// when the log can be opened there too (a file, a server), so that the fold never runs on the
// event loop that answers HTTP and has a core of its own; in this thread for a log held in memory.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LoggerService } from '@nestjs/common';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  comparePositions,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '../../event-store/event-store.port.js';
import type { Plan } from '../plan/plan.js';
import { GenerationProjector } from './generation-projector.js';
import { ReadModel } from '../read-model/read-model.js';

/** Where a worker thread opens the log itself. */
export type LogLocation = { readonly sqlitePath: string } | { readonly eventStoreDbConnection: string };

/** How a build runs off this thread: where its worker opens the log, and the heap it starts with. */
export interface BuildWorkerOptions {
  readonly log: LogLocation;
  /** V8's old generation, MB (`BUILD_HEAP_MB`); a worker that reaches it is followed by one without it. */
  readonly heapMb: number;
}

/** The build worker of a configuration, when another thread can open its log (not `:memory:`). */
export function buildWorkerOf(config: {
  readonly EVENT_STORE_PATH?: string;
  readonly EVENTSTORE_CONNECTION_STRING?: string | undefined;
  readonly BUILD_HEAP_MB: number;
}): BuildWorkerOptions | undefined {
  const log = logLocationOf(config);
  return log === undefined ? undefined : { log, heapMb: config.BUILD_HEAP_MB };
}

function logLocationOf(config: {
  readonly EVENT_STORE_PATH?: string;
  readonly EVENTSTORE_CONNECTION_STRING?: string | undefined;
}): LogLocation | undefined {
  if (config.EVENTSTORE_CONNECTION_STRING) return { eventStoreDbConnection: config.EVENTSTORE_CONNECTION_STRING };
  const path = config.EVENT_STORE_PATH;
  return path === undefined || path === '' || path === ':memory:' ? undefined : { sqlitePath: path };
}

export interface GenerationBuild {
  /** Events folded (or skipped as already folded) by this run of the build. */
  eventsSeen(): number;
  checkpoint(): Position | null;
  /** The last failure of the fold, which retries from its checkpoint; null while it goes well. */
  error(): string | null;
  /** Resolves once the generation has caught up with the log and is finished; rejects if the build died. */
  readonly built: Promise<void>;
  stop(): Promise<void>;
}

export interface BuildRequest {
  readonly path: string;
  readonly plan: { readonly plan: Plan; readonly json: string };
  /** The query indexes (not for a what-if generation, read only for its totals). */
  readonly indexes: boolean;
  readonly name: string;
  /** A refold: the log up to this position only, not followed after. */
  readonly upTo?: Position;
}

/** Messages from the worker (generation-build.worker.ts). */
export type BuildMessage =
  | {
      readonly type: 'progress';
      readonly eventsSeen: number;
      readonly checkpoint: Position | null;
      readonly error: string | null;
    }
  | { readonly type: 'log'; readonly level: 'log' | 'warn' | 'error'; readonly message: string }
  | { readonly type: 'built' };

export interface BuildWorkerData extends Omit<BuildRequest, 'plan'> {
  readonly log: LogLocation;
  readonly planJson: string;
}

const WORKER = new URL('./generation-build.worker.js', import.meta.url);

/** Starts a build: in a worker thread when the log has a location and the worker is compiled (not under ts-jest). */
export function startBuild(
  request: BuildRequest,
  store: EventStore,
  worker: BuildWorkerOptions | undefined,
  logger: LoggerService,
): GenerationBuild {
  // opened here first, so that a file of another layout is refused at once, as in this thread
  new ReadModel(request.path, { building: true }).close();
  if (worker !== undefined && existsSync(fileURLToPath(WORKER))) return new WorkerBuild(request, worker, logger);
  return new InProcessBuild(request, store, logger);
}

class InProcessBuild implements GenerationBuild {
  private readonly readModel: ReadModel;
  private readonly projector: GenerationProjector;
  private stopped = false;
  private refolded = 0;
  readonly built: Promise<void>;

  constructor(request: BuildRequest, store: EventStore, logger: LoggerService) {
    this.readModel = new ReadModel(request.path, { building: true });
    this.projector = new GenerationProjector(store, this.readModel, request.plan.plan, logger, request.name);
    const folded =
      request.upTo === undefined
        ? (this.projector.start(), this.projector.whenLive().then(() => this.projector.stop()))
        : this.refold(store, request.plan.plan, request.upTo);
    this.built = folded.then(() => {
      if (this.stopped) throw new BuildStoppedError();
      this.readModel.finishBuild({ indexes: request.indexes });
      this.readModel.close();
    });
    this.built.catch(() => undefined); // the caller awaits it; a stop is no failure
  }

  /** The log up to a position, in batches, letting the event loop answer between them. */
  private async refold(store: EventStore, plan: Plan, upTo: Position): Promise<void> {
    await foldUpTo(store, upTo, (events) => {
      if (this.stopped) return false;
      this.readModel.applyBatch(events, plan);
      this.refolded += events.length;
      return true;
    });
    await yieldToEventLoop();
  }

  eventsSeen(): number {
    return this.projector.eventsSeen + this.refolded;
  }

  checkpoint(): Position | null {
    return this.readModel.checkpoint();
  }

  error(): string | null {
    return this.projector.status().error;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.projector.stop();
    this.readModel.close();
  }
}

/** A build stopped before it was finished (the service stopping, or a refold whose client has gone). */
export class BuildStoppedError extends Error {
  constructor() {
    super('the build was stopped before it finished');
    this.name = 'BuildStoppedError';
  }
}

const REFOLD_BATCH = 2000;

/** Reads the log up to `upTo` in batches and hands each to `fold`, until it returns false or the log ends. */
export async function foldUpTo(
  store: EventStore,
  upTo: Position,
  fold: (events: RecordedEvent[]) => boolean,
): Promise<void> {
  for (let after: Position | undefined; ;) {
    const events = await store.readAll({ after, maxCount: REFOLD_BATCH });
    const within = events.filter((e) => comparePositions(e.position, upTo) <= 0);
    if (within.length > 0 && !fold(within)) return;
    if (events.length < REFOLD_BATCH || within.length < events.length) return;
    after = events[events.length - 1]!.position;
    await yieldToEventLoop(); // in this thread, a long refold must not stall the service
  }
}

const WORKER_STOP_MS_MAX = 10_000;

const isOutOfMemory = (error: unknown) =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';

class WorkerBuild implements GenerationBuild {
  private worker!: Worker;
  private progress: Extract<BuildMessage, { type: 'progress' }> = {
    type: 'progress',
    eventsSeen: 0,
    checkpoint: null,
    error: null,
  };
  /** Events a worker reached its heap after: what it had committed, which its successor does not read again. */
  private seenByEarlierWorkers = 0;
  private exited!: Promise<void>;
  private stopping = false;
  readonly built: Promise<void>;

  constructor(
    private readonly request: BuildRequest,
    options: BuildWorkerOptions,
    private readonly logger: LoggerService,
  ) {
    const workerData: BuildWorkerData = {
      log: options.log,
      path: request.path,
      planJson: request.plan.json,
      indexes: request.indexes,
      name: request.name,
      ...(request.upTo === undefined ? {} : { upTo: request.upTo }),
    };
    this.built = new Promise((resolve, reject) => this.run(workerData, options.heapMb, resolve, reject));
    this.built.catch(() => undefined); // the manager awaits it; a stop before it settles is no failure
  }

  /**
   * One worker, with a heap of `heapMb` (null: V8's own limit). One that reaches its heap is started
   * again without it: it opens the same file, whose last committed batch is where it goes on from.
   */
  private run(
    workerData: BuildWorkerData,
    heapMb: number | null,
    resolve: () => void,
    reject: (error: unknown) => void,
  ): void {
    const limits = heapMb === null ? {} : { resourceLimits: { maxOldGenerationSizeMb: heapMb } };
    const worker = new Worker(WORKER, { workerData, ...limits });
    this.worker = worker;
    this.exited = new Promise((done) => worker.once('exit', () => done()));
    let failure: unknown = null;
    worker.on('message', (message: BuildMessage) => {
      switch (message.type) {
        case 'progress':
          this.progress = message;
          break;
        case 'log':
          this.logger[message.level]?.(message.message);
          break;
        case 'built':
          resolve();
          break;
        default: {
          const never: never = message;
          throw new Error(`unexpected message from the build worker: ${JSON.stringify(never)}`);
        }
      }
    });
    worker.once('error', (error) => (failure = error));
    worker.once('exit', (code) => {
      if (this.stopping) return reject(new BuildStoppedError());
      if (heapMb !== null && isOutOfMemory(failure)) {
        this.logger.warn(
          `${this.request.name}: the build worker reached its heap of ${heapMb} MB; ` +
            'going on from its checkpoint without that limit',
        );
        // a refold reads the log from its start again (skipping what is folded), and counts it again
        if (this.request.upTo === undefined) this.seenByEarlierWorkers += this.progress.eventsSeen;
        this.progress = { ...this.progress, eventsSeen: 0 };
        return this.run(workerData, null, resolve, reject);
      }
      reject(failure ?? new Error(`the build worker stopped (exit code ${code})`));
    });
  }

  eventsSeen(): number {
    return this.seenByEarlierWorkers + this.progress.eventsSeen;
  }

  checkpoint(): Position | null {
    return this.progress.checkpoint;
  }

  error(): string | null {
    return this.progress.error;
  }

  /** Asks the worker to stop after its batch (it commits whole batches only); terminates it past a bound. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.worker.postMessage('stop');
    const timer = setTimeout(() => void this.worker.terminate(), WORKER_STOP_MS_MAX);
    await this.exited;
    clearTimeout(timer);
  }
}
