import { rmSync } from 'node:fs';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { comparePositions, EventStore } from '../../event-store/event-store.port.js';
import { Clock } from '../../shared/clock.js';
import { LedgerError } from '../../shared/errors.js';
import { assertKnownPerson } from '../people/known-person.js';
import type { KnowledgePoint } from '../generations/catalog.js';
import { buildWorkerOf } from '../generations/generation-build.js';
import { IncomeProjection } from '../generations/income-projection.js';
import { historyLineOf } from '../read-model/history-line.answer.js';
import type { ReadModel } from '../read-model/read-model.js';
import { refundLinesAfter, statementLines } from './statement-lines.query.js';
import { ReadYourWrites } from '../generations/read-your-writes.js';
import { scratchDir, withRefold } from './refold.js';
import { compareStatements, composeStatement, type Statement, type StatementSource } from './statement.js';
import type { StatementAnswer } from './statement.render.js';

/** A statement lists every line of its period; past this, ask for a shorter period. */
export const STATEMENT_LINES_MAX = 20_000;
/** Refolds for past statements at once: one running, one waiting; more get 503 REFOLD_BUSY. */
export const REFOLDS_PENDING_MAX = 2;

export interface StatementRequest {
  readonly personId: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly asOf?: KnowledgePoint;
  readonly compareWithNow: boolean;
  /** Aborted when the client has gone: a refold for it stops. */
  readonly signal?: AbortSignal;
}

/**
 * Statements as the ledger knew them at a knowledge point. The generation that served then answers
 * if it is still the serving one; otherwise the log is folded again up to that point under the plan
 * it priced with (one such refold at a time), so a statement issued before a rebuild is reproduced
 * exactly, to the cent, after it.
 */
@Injectable()
export class StatementService implements OnModuleInit {
  private refolds: Promise<unknown> = Promise.resolve();
  /** Refolds running or waiting; each can take as long as a rebuild. */
  private refoldsPending = 0;
  private readonly logger = new Logger('Statements');

  constructor(
    private readonly projection: IncomeProjection,
    private readonly consistency: ReadYourWrites,
    private readonly store: EventStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Scratch read models left by a refold the process did not live to delete. */
  onModuleInit(): void {
    rmSync(scratchDir(this.config.READ_MODEL_DIR), { recursive: true, force: true });
  }

  async statement(request: StatementRequest): Promise<StatementAnswer> {
    const asOf = request.asOf;
    if (asOf !== undefined) await this.assertKnowable(asOf);
    // The serving generation and, for asOf, the one that served then: taken in the same turn, so no
    // switch comes between them. Everything read from the serving generation is one snapshot, read
    // before any refold, which may take long enough for a rebuild to retire that generation.
    const now = this.projection.servingNow();
    const served = asOf === undefined ? undefined : this.projection.servedAt(asOf);
    const nowSource: StatementSource = {
      generation: now.generation,
      planFingerprint: now.plan.fingerprint,
      refolded: false,
    };
    const serving = now.readModel.read(() => {
      assertKnownPerson(now.readModel, request.personId);
      return {
        current: this.compose(now.readModel, request, undefined, nowSource),
        then:
          asOf !== undefined && served?.servingNow ? this.compose(now.readModel, request, asOf, nowSource) : undefined,
        refundsSince:
          asOf !== undefined && request.compareWithNow
            ? refundLinesAfter(now.readModel, request.personId, asOf).map(historyLineOf)
            : [],
      };
    });
    if (asOf === undefined || served === undefined) return serving.current;

    const then =
      serving.then ??
      this.fromKept(request, asOf, served) ??
      (await this.refolded(request, asOf, served.plan, {
        generation: served.generation,
        planFingerprint: served.plan.fingerprint,
        refolded: true,
      }));
    if (!request.compareWithNow) return then;
    return {
      ...then,
      comparison: { ...compareStatements(then, serving.current, serving.refundsSince), now: nowSource },
    };
  }

  /** Read-your-writes, as every query offers. */
  awaitPosition(minPosition: string): Promise<void> {
    return this.consistency.await(minPosition);
  }

  /** A position the log has reached (waiting for the read model to fold it), or a time already past. */
  private async assertKnowable(asOf: KnowledgePoint): Promise<void> {
    const head = await this.store.headPosition();
    if ('recordedAt' in asOf) {
      if (asOf.recordedAt > this.clock.now().toISOString()) throw future(`asOf ${asOf.recordedAt} is later than now`);
      // everything recorded by then is at or below today's head: fold that far before answering
      if (head !== null) await this.consistency.await(head);
      return;
    }
    if (head === null || comparePositions(asOf.position, head) > 0)
      throw future(`asOf position ${asOf.position} is past the head of the log (${head ?? 'empty'})`);
    await this.consistency.await(asOf.position);
  }

  private compose(
    readModel: ReadModel,
    request: StatementRequest,
    asOf: KnowledgePoint | undefined,
    source: StatementSource,
  ): Statement {
    const found = readModel.read(() =>
      statementLines(readModel, request.personId, request.period, asOf, STATEMENT_LINES_MAX),
    );
    if (found.truncated) {
      throw new LedgerError(
        'STATEMENT_TOO_LARGE',
        `more than ${STATEMENT_LINES_MAX} lines in the period; ask for a shorter one`,
        { linesMax: STATEMENT_LINES_MAX },
      );
    }
    const position = asOf !== undefined && 'position' in asOf ? asOf.position : readModel.checkpoint();
    return composeStatement({
      personId: request.personId,
      personName: readModel.person(request.personId)?.name ?? null,
      period: request.period,
      asOf: asOf ?? null,
      position,
      source,
      opening: found.opening,
      lines: found.lines,
    });
  }

  /**
   * From the file of the retired generation that served then, while it is kept: it stopped following
   * the log when it retired, after every point it served, so its rows up to the point are what it
   * served. Undefined when it is gone (pruned), or holds less than the point.
   */
  private fromKept(
    request: StatementRequest,
    asOf: KnowledgePoint,
    served: { generation: number; plan: { fingerprint: string } },
  ): Statement | undefined {
    const kept = this.projection.keptReadModel(served.generation);
    if (kept === null) return undefined;
    const source = { generation: served.generation, planFingerprint: served.plan.fingerprint, refolded: false };
    return kept.read(() => {
      const checkpoint = kept.checkpoint();
      const holds = !('position' in asOf) || (checkpoint !== null && comparePositions(checkpoint, asOf.position) >= 0);
      return holds ? this.compose(kept, request, asOf, source) : undefined;
    });
  }

  private async refolded(
    request: StatementRequest,
    asOf: KnowledgePoint,
    plan: Parameters<typeof withRefold>[1],
    source: StatementSource,
  ): Promise<Statement> {
    const upTo = 'position' in asOf ? asOf.position : await this.store.headPosition();
    if (this.refoldsPending >= REFOLDS_PENDING_MAX) {
      throw new LedgerError(
        'REFOLD_BUSY',
        'statements of generations no longer serving are folded again one at a time, and enough are waiting; retry later',
      );
    }
    this.refoldsPending += 1;
    const run = this.refolds.then(() =>
      upTo === null
        ? composeStatement({
            personId: request.personId,
            personName: null,
            period: request.period,
            asOf,
            position: null,
            source,
            opening: [],
            lines: [],
          })
        : withRefold(
            this.store,
            plan,
            this.config.READ_MODEL_DIR,
            upTo,
            (readModel) => this.compose(readModel, request, asOf, source),
            { worker: buildWorkerOf(this.config), signal: request.signal, logger: this.logger },
          ),
    );
    this.refolds = run.catch(() => undefined);
    return run.finally(() => (this.refoldsPending -= 1));
  }
}

function future(message: string): LedgerError {
  return new LedgerError(
    'AS_OF_IN_FUTURE',
    `${message}: a statement can only be reproduced as of a point the ledger has reached`,
  );
}
