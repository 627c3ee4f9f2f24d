import type { LoggerService } from '@nestjs/common';
import {
  comparePositions,
  type AllSubscription,
  type EventStore,
  type Position,
} from '../../event-store/event-store.port.js';
import type { Plan } from '../plan/plan.js';
import type { ReadModel } from '../read-model/read-model.js';

export type ProjectorStatus = 'starting' | 'catching-up' | 'live' | 'failed' | 'stopped';

/** Events per transaction on the service's thread: one batch blocks its event loop for about 150 ms. */
const BATCH_SIZE_MAX = 2000;
const BACKOFF_MS_MAX = 30_000;

interface Waiter {
  readonly position: Position;
  readonly resolve: (reached: boolean) => void;
}

/**
 * Follows the global log from one read model generation's checkpoint and folds each batch into
 * it under that generation's plan. On any failure it resubscribes from the stored checkpoint
 * after a bounded backoff, so an event is neither skipped nor applied twice.
 */
export class GenerationProjector {
  private state: ProjectorStatus = 'starting';
  private error: string | null = null;
  private subscription: AllSubscription | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private wakeFromBackoff: (() => void) | null = null;
  private readonly waiters = new Set<Waiter>();
  private liveListeners: (() => void)[] = [];
  /** Events folded (or skipped as already folded) since this projector started. */
  eventsSeen = 0;

  constructor(
    private readonly store: EventStore,
    readonly readModel: ReadModel,
    private plan: Plan,
    private readonly logger: LoggerService,
    readonly name: string,
    private readonly onBatch: () => void = () => {},
    /** Larger off the serving thread (a build worker): fewer commits rewrite fewer pages. */
    private readonly batchSizeMax = BATCH_SIZE_MAX,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.subscription?.close();
    this.wakeFromBackoff?.();
    await this.running;
    this.state = 'stopped';
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters.clear();
  }

  /** Prices events folded from now on with another plan (one that prices the past the same). */
  adoptPlan(plan: Plan): void {
    this.plan = plan;
  }

  status(): { status: ProjectorStatus; error: string | null; checkpoint: Position | null } {
    return { status: this.state, error: this.error, checkpoint: this.readModel.checkpoint() };
  }

  /** Resolves when the projector first catches up with the head of the log. */
  whenLive(): Promise<void> {
    if (this.state === 'live') return Promise.resolve();
    return new Promise((resolve) => this.liveListeners.push(resolve));
  }

  /** Resolves true once the read model has folded `position`, false after `timeoutMs`. */
  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const waiter: Waiter = { position, resolve: (reached) => finish(reached) };
      const finish = (reached: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(reached);
      };
      this.waiters.add(waiter);
    });
  }

  private reached(position: Position): boolean {
    const checkpoint = this.readModel.checkpoint();
    return checkpoint !== null && comparePositions(checkpoint, position) >= 0;
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopping;) {
      try {
        const after = this.readModel.checkpoint() ?? undefined;
        await this.assertLogReaches(after);
        if (this.stopping) return; // stop() came while we waited: do not open a subscription it cannot close
        this.subscription = this.store.subscribeToAll({ after, batchSizeMax: this.batchSizeMax });
        if (this.state !== 'live') this.state = 'catching-up';
        for await (const batch of this.subscription) {
          if (this.stopping) break;
          if (batch.events.length > 0) this.readModel.applyBatch(batch.events, this.plan);
          this.eventsSeen += batch.events.length;
          if (batch.caughtUp && this.state !== 'live')
            this.logger.log(`${this.name}: live at position ${this.readModel.checkpoint() ?? 'start'}`);
          this.state = batch.caughtUp ? 'live' : 'catching-up';
          this.error = null;
          failures = 0;
          this.wakeWaiters();
          this.onBatch();
          if (batch.caughtUp) this.liveListeners.splice(0).forEach((listener) => listener());
        }
        if (!this.stopping) throw new Error('the store ended the subscription');
      } catch (error) {
        if (this.stopping) return;
        failures += 1;
        this.state = 'failed';
        this.error = (error as Error).message;
        const delayMs = Math.min(BACKOFF_MS_MAX, 100 * 2 ** Math.min(failures, 12));
        this.logger.error?.(
          { err: error, failures, delayMs },
          `${this.name}: projection failed; resubscribing from the checkpoint`,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          this.wakeFromBackoff = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeFromBackoff = null;
      }
    }
  }

  /**
   * A checkpoint past the head of the log means the log was replaced (restored, recreated) under
   * a kept read model: folding on would silently skip events. Stop, and say how to recover.
   */
  private async assertLogReaches(checkpoint: Position | undefined): Promise<void> {
    if (checkpoint === undefined) return;
    const head = await this.store.headPosition();
    if (head === null || comparePositions(checkpoint, head) > 0) {
      throw new Error(
        `the read model's checkpoint ${checkpoint} is past the head of the event log (${head ?? 'empty'}): ` +
          'the log was replaced under the read model; run `npm run rebuild`',
      );
    }
  }

  private wakeWaiters(): void {
    for (const waiter of this.waiters) if (this.reached(waiter.position)) waiter.resolve(true);
  }
}
