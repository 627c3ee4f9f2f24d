import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventStore, comparePositions, type AllSubscription, type Position } from '../../event-store/event-store.port.js';
import { LOADED_PLAN } from '../plan/plan.module.js';
import type { LoadedPlan } from '../plan/plan-file.js';
import { ReadModel } from './read-model.js';

export type ProjectorStatus = 'starting' | 'catching-up' | 'live' | 'failed' | 'stopped';

const BATCH_SIZE_MAX = 500;
const BACKOFF_MS_MAX = 30_000;

interface Waiter {
  readonly position: Position;
  readonly resolve: (reached: boolean) => void;
}

/**
 * Follows the global log from the read model's checkpoint and folds each batch into it.
 * On any failure it resubscribes from the stored checkpoint after a bounded backoff, so an
 * event is neither skipped nor applied twice.
 */
@Injectable()
export class IncomeProjector implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IncomeProjector.name);
  private state: ProjectorStatus = 'starting';
  private error: string | null = null;
  private subscription: AllSubscription | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly store: EventStore,
    private readonly readModel: ReadModel,
    @Inject(LOADED_PLAN) private readonly loaded: LoadedPlan,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.subscription?.close();
    await this.running;
    this.state = 'stopped';
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters.clear();
  }

  status(): { status: ProjectorStatus; error: string | null; checkpoint: Position | null } {
    return { status: this.state, error: this.error, checkpoint: this.readModel.checkpoint() };
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
    const stamp = { version: this.loaded.plan.version, fingerprint: this.loaded.fingerprint };
    for (let failures = 0; !this.stopping; ) {
      try {
        const after = this.readModel.checkpoint() ?? undefined;
        await this.assertLogReaches(after);
        this.subscription = this.store.subscribeToAll({ after, batchSizeMax: BATCH_SIZE_MAX });
        this.state = 'catching-up';
        for await (const batch of this.subscription) {
          if (batch.events.length > 0) this.readModel.applyBatch(batch.events, this.loaded.plan, stamp);
          if (batch.caughtUp && this.state !== 'live') this.logger.log(`projection live at position ${this.readModel.checkpoint() ?? 'start'}`);
          this.state = batch.caughtUp ? 'live' : 'catching-up';
          this.error = null;
          failures = 0;
          this.wakeWaiters();
        }
      } catch (error) {
        if (this.stopping) return;
        failures += 1;
        this.state = 'failed';
        this.error = (error as Error).message;
        const delayMs = Math.min(BACKOFF_MS_MAX, 100 * 2 ** Math.min(failures, 12));
        this.logger.error({ err: error, failures, delayMs }, 'projection failed; resubscribing from the checkpoint');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
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
