// Blue/green read models. One generation serves queries and follows the log; a rebuild folds the
// whole log into a new generation meanwhile, and when that one has caught up it becomes the
// serving one in a single catalogue transaction. Each generation commits its checkpoint with its
// rows, so a rebuild killed at any moment resumes where it was, and the serving generation is
// never touched by it. No Nest here: the service and the offline CLI use it alike.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { LoggerService } from '@nestjs/common';
import { comparePositions, type EventStore, type Position } from '../../event-store/event-store.port.js';
import type { Clock } from '../../shared/clock.js';
import { LedgerError } from '../../shared/errors.js';
import { identifyPlan, type LoadedPlan } from '../plan/plan-file.js';
import { firstDifference, parsePlan } from '../plan/plan.js';
import { ReadModelCatalog, type GenerationRecord, type KnowledgePoint, type RebuildRecord } from './catalog.js';
import { startBuild, type BuildWorkerOptions, type GenerationBuild } from './generation-build.js';
import { GenerationProjector } from './generation-projector.js';
import { ReadModel, ReadModelSchemaError } from '../read-model/read-model.js';
import type { WhatIfReport } from './what-if.js';
import { latestBusinessTime } from './what-if.query.js';
import { makeWhatIfReport } from './what-if-report.js';

export interface ProjectionOptions {
  /** Folder of the catalogue and the generations' files. */
  readonly dir: string;
  /** On a plan change that re-prices folded lines: rebuild at once, or wait for an operator. */
  readonly planChangeRebuild: 'auto' | 'manual';
  /** Retired and what-if generations kept for diffs before their files are deleted. */
  readonly generationsKept: number;
  /** How generations are built off this thread (where the worker opens the log); none: in this thread. */
  readonly worker?: BuildWorkerOptions;
}

interface Generation {
  readonly record: GenerationRecord;
  readonly plan: LoadedPlan;
  readonly readModel: ReadModel;
  readonly projector: GenerationProjector;
}

interface Building {
  readonly record: GenerationRecord;
  readonly plan: LoadedPlan;
  /** Folding the log until it has caught up, off this thread where it can. */
  readonly build: GenerationBuild;
  /** Then opened here, following the log until it has folded what the serving one has. */
  following: Generation | null;
  readonly rebuild: RebuildRecord;
  readonly startedAtMs: number;
  /** Filled in once the store has counted (it may not be able to). */
  eventsTotal: number | null;
}

/** Events a rebuild has folded so far (in the build, then following the log here), and the log's count. */
function countsOf(building: Building): { eventsDone: number; eventsTotal: number | null } {
  const eventsDone = building.build.eventsSeen() + (building.following?.projector.eventsSeen ?? 0);
  return { eventsDone, eventsTotal: building.eventsTotal };
}

export interface RebuildProgress {
  readonly id: string;
  readonly dryRun: boolean;
  readonly state: RebuildRecord['state'];
  readonly generation: number;
  readonly planFingerprint: string;
  /** The plan's versions (`version` of each), oldest first. */
  readonly planVersions: string[];
  readonly requestedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  /** Events folded by this run of the rebuild (a resumed rebuild counts from its resumption). */
  readonly eventsDone: number | null;
  readonly eventsTotal: number | null;
  readonly checkpoint: Position | null;
  readonly eventsPerSecond: number | null;
  readonly etaSeconds: number | null;
}

export interface PlanChange {
  readonly servingPlan: string;
  readonly configuredPlan: string;
  /** The earliest business time the configured plan prices differently ('' for all time). */
  readonly repricesFrom: string;
  readonly action: 'rebuilding' | 'waiting-for-operator';
}

const RETIRED_CLOSE_DELAY_MS = 10_000;

export class ProjectionManager {
  private readonly catalog: ReadModelCatalog;
  private serving: Generation | null = null;
  private building: Building | null = null;
  private planChange: PlanChange | null = null;
  private readonly closing = new Map<NodeJS.Timeout, ReadModel>();
  /** Retired generations opened to answer statements as of points they served, by generation id. */
  private readonly kept = new Map<number, ReadModel>();
  private stopping = false;

  constructor(
    private readonly store: EventStore,
    private readonly configured: LoadedPlan,
    private readonly options: ProjectionOptions,
    private readonly logger: LoggerService,
    private readonly clock: Clock,
  ) {
    this.catalog = new ReadModelCatalog(options.dir);
  }

  /** Opens the serving generation (the first one on a first start), resumes an interrupted rebuild, and looks at the plan. */
  async start(options: { follow: boolean } = { follow: true }): Promise<void> {
    this.serving = await this.openServing();
    if (options.follow) this.serving.projector.start();

    const interrupted = this.catalog.runningRebuild();
    if (interrupted !== null) await this.resume(interrupted);
    this.checkPlan();
    if (this.planChange !== null && this.options.planChangeRebuild === 'auto' && this.building === null) {
      await this.startRebuild({ plan: this.configured, dryRun: false });
    }
  }

  /**
   * The serving generation; on a first start a new one. A generation written by another version of
   * this service (another table layout) is set aside and a new one folds the log from the start.
   */
  private async openServing(): Promise<Generation> {
    const current = this.catalog.current();
    if (current === null) return this.open(this.catalog.createGeneration(this.configured, 'current', this.now()));
    try {
      return this.open(current);
    } catch (error) {
      if (!(error instanceof ReadModelSchemaError)) throw error;
      this.logger.warn?.(
        `${error.message}: generation ${current.id} is set aside and a new generation folds the log from the start`,
      );
      this.catalog.setStatus(current.id, 'abandoned');
      const head = await this.store.headPosition();
      return this.open(this.catalog.createGeneration(this.configured, 'current', this.now(), head));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.building?.build.stop();
    await this.building?.following?.projector.stop();
    await this.serving?.projector.stop();
    this.building?.following?.readModel.close();
    this.serving?.readModel.close();
    for (const [timer, readModel] of this.closing) {
      clearTimeout(timer);
      readModel.close();
    }
    for (const readModel of this.kept.values()) readModel.close();
    this.kept.clear();
    this.catalog.close();
  }

  /** The read model queries read: always the serving generation's. */
  readModel(): ReadModel {
    return this.servingGeneration().readModel;
  }

  /** The serving generation: its read model, id and plan, taken together. */
  servingNow(): { readonly readModel: ReadModel; readonly generation: number; readonly plan: LoadedPlan } {
    const serving = this.servingGeneration();
    return { readModel: serving.readModel, generation: serving.record.id, plan: serving.plan };
  }

  /** The generation whose figures were served at a knowledge point, with the plan it priced with. */
  servedAt(at: KnowledgePoint): {
    readonly generation: number;
    readonly plan: LoadedPlan;
    readonly servingNow: boolean;
  } {
    const serving = this.servingGeneration();
    const record = this.catalog.servingAt(at) ?? serving.record;
    return record.id === serving.record.id
      ? { generation: record.id, plan: serving.plan, servingNow: true }
      : { generation: record.id, plan: this.planOf(record), servingNow: false };
  }

  /**
   * A retired generation whose file is still kept, opened for reading (it follows the log no more):
   * its rows are what it served, so a statement as of a point it served is answered from them.
   * Null when it was pruned, or its file is of another layout.
   */
  keptReadModel(generation: number): ReadModel | null {
    const record = this.catalog.generation(generation);
    if (record === null || record.status !== 'retired' || !existsSync(record.path)) return null;
    const open = this.kept.get(generation);
    if (open !== undefined) return open;
    try {
      const readModel = new ReadModel(record.path);
      this.kept.set(generation, readModel);
      return readModel;
    } catch (error) {
      if (error instanceof ReadModelSchemaError) return null;
      throw error;
    }
  }

  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    return this.servingGeneration().projector.waitFor(position, timeoutMs);
  }

  /** Starts a rebuild (or, with dryRun, a what-if) under `plan`; one at a time. */
  async startRebuild(request: { plan: LoadedPlan; dryRun: boolean }): Promise<RebuildProgress> {
    if (this.building !== null) {
      throw new LedgerError('REBUILD_IN_PROGRESS', `rebuild ${this.building.rebuild.id} is still running`, {
        rebuildId: this.building.rebuild.id,
      });
    }
    const generation = this.catalog.createGeneration(request.plan, 'building', this.now());
    const rebuild = this.catalog.createRebuild(randomUUID(), generation.id, request.dryRun, this.now());
    this.logger.log(
      `rebuild ${rebuild.id}${request.dryRun ? ' (dry run)' : ''}: folding the whole log into generation ${generation.id} under plan ${request.plan.fingerprint.slice(0, 12)}`,
    );
    this.begin(rebuild, generation, request.plan); // synchronously: a second request sees it at once
    return this.rebuildProgress(rebuild.id)!;
  }

  rebuildProgress(id: string): RebuildProgress | null {
    const record = this.catalog.rebuild(id);
    if (record === null) return null;
    const generation = this.catalog.generation(record.generation);
    const live = this.building?.rebuild.id === id ? this.building : null;
    const elapsedS = live ? (Date.now() - live.startedAtMs) / 1000 : null;
    // a finished rebuild keeps the counts it ended with
    const { eventsDone: done, eventsTotal: total } = live ? countsOf(live) : record;
    const rate = live && done !== null && elapsedS !== null && elapsedS > 0 ? done / elapsedS : null;
    return {
      id: record.id,
      dryRun: record.dryRun,
      state: record.state,
      generation: record.generation,
      planFingerprint: generation?.planFingerprint ?? '',
      planVersions: generation ? planVersionsOf(generation.planJson) : [],
      requestedAt: record.requestedAt,
      finishedAt: record.finishedAt,
      // while it runs, the projector's last failure (it keeps retrying from its checkpoint)
      error: live ? (live.following?.projector.status().error ?? live.build.error()) : record.error,
      eventsDone: done,
      eventsTotal: total,
      checkpoint: live ? (live.following?.readModel.checkpoint() ?? live.build.checkpoint()) : null,
      eventsPerSecond: rate === null ? null : Math.round(rate),
      etaSeconds: rate && total !== null && done !== null ? Math.max(0, Math.round((total - done) / rate)) : null,
    };
  }

  whatIfReport(id: string): WhatIfReport | null {
    const json = this.catalog.rebuild(id)?.reportJson;
    return json ? (JSON.parse(json) as WhatIfReport) : null;
  }

  status() {
    const serving = this.servingGeneration();
    return {
      serving: {
        generation: serving.record.id,
        planFingerprint: serving.plan.fingerprint,
        planVersions: serving.plan.plan.versions.map((v) => v.version),
        ...serving.projector.status(),
      },
      configuredPlan: this.configured.fingerprint,
      configuredPlanVersions: this.configured.plan.versions.map((v) => v.version),
      planChange: this.planChange,
      rebuild: this.building ? this.rebuildProgress(this.building.rebuild.id) : null,
      generations: this.catalog.generations().map((g) => ({
        id: g.id,
        status: g.status,
        planFingerprint: g.planFingerprint,
        planVersions: planVersionsOf(g.planJson),
        createdAt: g.createdAt,
        switchedAt: g.switchedAt,
      })),
    };
  }

  /** Resolves when the running rebuild (if any) has finished. */
  async whenRebuilt(): Promise<void> {
    while (this.building !== null) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private async resume(rebuild: RebuildRecord): Promise<void> {
    const generation = this.catalog.generation(rebuild.generation)!;
    if (generation.status === 'current' || generation.status === 'what-if') {
      this.catalog.finishRebuild(rebuild.id, { state: 'succeeded' }, this.now());
      return;
    }
    if (!rebuild.dryRun && generation.planFingerprint !== this.configured.fingerprint) {
      // built for a plan that is no longer the configured one: a new rebuild replaces it
      this.catalog.finishRebuild(rebuild.id, { state: 'abandoned', error: 'the configured plan changed' }, this.now());
      this.catalog.setStatus(generation.id, 'abandoned');
      return;
    }
    this.logger.log(`rebuild ${rebuild.id}: resuming generation ${generation.id} from its checkpoint`);
    try {
      this.begin(rebuild, generation, this.planOf(generation));
    } catch (error) {
      if (!(error instanceof ReadModelSchemaError)) throw error;
      this.catalog.finishRebuild(rebuild.id, { state: 'abandoned', error: error.message }, this.now());
      this.catalog.setStatus(generation.id, 'abandoned');
    }
  }

  private begin(rebuild: RebuildRecord, record: GenerationRecord, plan: LoadedPlan): void {
    const build = startBuild(
      { path: record.path, plan, indexes: !rebuild.dryRun, name: `generation ${record.id}` },
      this.store,
      this.options.worker,
      this.logger,
    );
    const building: Building = {
      record,
      plan,
      build,
      following: null,
      rebuild,
      startedAtMs: Date.now(),
      eventsTotal: null,
    };
    this.building = building;
    void this.store.countEvents().then(
      (count) => (building.eventsTotal = count),
      () => undefined,
    );
    build.built.then(
      () => this.finish(building),
      (error: unknown) => this.fail(building, error),
    );
  }

  /** Built: opened here, indexed and durable, following the log; then a what-if report, or the switch. */
  private async finish(building: Building): Promise<void> {
    if (this.building !== building || this.stopping) return;
    // a what-if generation was finished without the query index: opened without it too (here, on the
    // thread that answers HTTP, its CREATE INDEX would be a sort of every line)
    const generation = this.openBuilt(building.record, building.plan, { indexes: !building.rebuild.dryRun });
    building.following = generation;
    generation.projector.start();
    try {
      if (building.rebuild.dryRun) {
        const serving = this.servingGeneration();
        const [a, b] = [serving.readModel.checkpoint(), generation.readModel.checkpoint()];
        const upTo = a === null || b === null ? null : comparePositions(a, b) <= 0 ? a : b;
        const reportJson = await makeWhatIfReport(
          {
            paths: { current: serving.record.path, candidate: building.record.path },
            plans: { current: serving.plan.fingerprint, candidate: building.plan.fingerprint },
            upTo,
          },
          { current: serving.readModel, candidate: generation.readModel },
        );
        if (this.building !== building || this.stopping) return; // stopped meanwhile: the rebuild is run again
        this.catalog.recordCounts(building.rebuild.id, countsOf(building));
        this.catalog.recordWhatIf(building.record.id, building.rebuild.id, reportJson, this.now());
        this.building = null;
        await generation.projector.stop();
        generation.readModel.close();
        this.logger.log(`rebuild ${building.rebuild.id} (dry run): report ready`);
      } else {
        if (!(await this.caughtUpWithServing(generation))) return; // stopping: the rebuild resumes on the next start
        // from here to the switch nothing awaits: the serving generation cannot fold past the new one
        this.catalog.recordCounts(building.rebuild.id, countsOf(building));
        this.catalog.switchTo(building.record.id, building.rebuild.id, this.now(), generation.readModel.checkpoint());
        const retired = this.serving;
        this.serving = generation;
        this.building = null;
        if (building.plan.fingerprint === this.configured.fingerprint) this.planChange = null;
        this.logger.log(`rebuild ${building.rebuild.id}: generation ${building.record.id} now serves`);
        if (retired) await this.retire(retired);
      }
      this.forgetKept(this.catalog.prune(this.options.generationsKept));
    } catch (error) {
      await this.fail(building, error);
    }
  }

  /** Pruned generations' files are gone: their connections close (reads are synchronous: none is under way). */
  private forgetKept(pruned: readonly number[]): void {
    for (const id of pruned) {
      this.kept.get(id)?.close();
      this.kept.delete(id);
    }
  }

  private async fail(building: Building, error: unknown): Promise<void> {
    if (this.building !== building || this.stopping) return;
    this.logger.error?.({ err: error }, `rebuild ${building.rebuild.id} failed`);
    this.catalog.recordCounts(building.rebuild.id, countsOf(building));
    this.catalog.finishRebuild(building.rebuild.id, { state: 'failed', error: (error as Error).message }, this.now());
    this.building = null;
    await building.build.stop();
    await building.following?.projector.stop();
    building.following?.readModel.close();
  }

  /**
   * Waits until the new generation has folded at least what the serving one has, so that the switch
   * never takes the figures back, and every knowledge point up to the switch position was served by
   * the generation before it (statements as of those points are reproduced from that one).
   */
  private async caughtUpWithServing(building: Generation): Promise<boolean> {
    const serving = this.servingGeneration();
    for (;;) {
      if (this.stopping) return false;
      const served = serving.readModel.checkpoint();
      const built = building.readModel.checkpoint();
      if (served === null || (built !== null && comparePositions(built, served) >= 0)) return true;
      await building.projector.waitFor(served, 1000);
    }
  }

  /** Stops following the log; the connection closes after in-flight queries have had time to finish. */
  private async retire(generation: Generation): Promise<void> {
    await generation.projector.stop();
    const timer = setTimeout(() => {
      this.closing.delete(timer);
      generation.readModel.close();
    }, RETIRED_CLOSE_DELAY_MS);
    timer.unref();
    this.closing.set(timer, generation.readModel);
  }

  /**
   * Compares the serving generation's plan with the configured one. A change that prices nothing
   * already folded differently (a version dated after every folded line) is adopted in place;
   * any other needs a rebuild, and until it is done the serving generation keeps its plan.
   */
  private checkPlan(): void {
    const serving = this.servingGeneration();
    if (serving.plan.fingerprint === this.configured.fingerprint) return;
    const from = firstDifference(serving.plan.plan, this.configured.plan);
    const latest = latestBusinessTime(serving.readModel);
    if (from === null || latest === null || latest < from) {
      this.catalog.adoptPlan(serving.record.id, this.configured);
      serving.projector.adoptPlan(this.configured.plan);
      this.serving = { ...serving, plan: this.configured, record: this.catalog.generation(serving.record.id)! };
      this.logger.log(
        `plan ${this.configured.fingerprint.slice(0, 12)} adopted without a rebuild: it re-prices nothing already folded`,
      );
      return;
    }
    this.planChange = {
      servingPlan: serving.plan.fingerprint,
      configuredPlan: this.configured.fingerprint,
      repricesFrom: from,
      action: this.options.planChangeRebuild === 'auto' ? 'rebuilding' : 'waiting-for-operator',
    };
    this.logger.warn?.(
      `the configured plan re-prices events from ${from || 'the beginning'}; generation ${serving.record.id} keeps serving the figures of ` +
        `plan ${serving.plan.fingerprint.slice(0, 12)} ` +
        (this.options.planChangeRebuild === 'auto'
          ? 'while a rebuild runs'
          : 'until an operator starts a rebuild (npm run rebuild, or POST /projections/rebuilds)'),
    );
  }

  private open(record: GenerationRecord): Generation {
    return this.openBuilt(record, this.planOf(record));
  }

  /** A built generation, following the log (from its checkpoint) once its projector starts. */
  private openBuilt(record: GenerationRecord, plan: LoadedPlan, options: { indexes?: boolean } = {}): Generation {
    const readModel = new ReadModel(record.path, options);
    return {
      record,
      plan,
      readModel,
      projector: new GenerationProjector(this.store, readModel, plan.plan, this.logger, `generation ${record.id}`),
    };
  }

  private planOf(record: GenerationRecord): LoadedPlan {
    const parsed = parsePlan(JSON.parse(record.planJson));
    if (!parsed.ok) throw new Error(`generation ${record.id} records an invalid plan: ${parsed.problems.join('; ')}`);
    return identifyPlan(parsed.plan, `generation ${record.id}`);
  }

  private servingGeneration(): Generation {
    if (this.serving === null) throw new Error('the projections have not started');
    return this.serving;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

/** The versions of a generation's recorded plan, by name, oldest first (what people call a plan by). */
function planVersionsOf(planJson: string): string[] {
  const parsed = parsePlan(JSON.parse(planJson));
  return parsed.ok ? parsed.plan.versions.map((v) => v.version) : [];
}
