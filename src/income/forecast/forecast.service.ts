// Nest glue for forecasts: folds the log up to the as-of position through the EventStore port into
// a LedgerAsOf (cached per position), and runs the pure forecast on it, bounded.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { comparePositions, EventStore, type Position } from '../../event-store/event-store.port.js';
import { LedgerError } from '../../shared/errors.js';
import { decodeLedgerEvent, isLedgerStream } from '../events.js';
import { unknownPerson } from '../people/known-person.js';
import type { LoadedPlan } from '../plan/plan-file.js';
import { LOADED_PLAN } from '../plan/plan.module.js';
import { forecastSteps, type Forecast, type ForecastOptions, type ForecastScope } from './forecast.js';
import { LedgerAsOf, lifetimeOf } from './ledger-as-of.js';
import { retentionOf, type Retention } from './survival.js';

/** Past this many events up to the as-of position, a forecast is a batch job, not a request. */
export const FORECAST_EVENTS_MAX = 300_000;
/** Folded logs kept (by position) so that repeated requests at the same head are cheap. */
const FOLDS_KEPT = 4;
/** Forecasts kept (by position, scope and parameters). */
const FORECASTS_KEPT = 32;
/** Folds of the log at once; more get 503 FORECAST_BUSY. */
const FOLDS_PENDING_MAX = 2;
const READ_BATCH = 1000;
/** Forecasts computed at once (each in steps, letting requests through between them); more get 503 FORECAST_BUSY. */
const COMPUTING_MAX = 2;

@Injectable()
export class ForecastService {
  private readonly folds = new Map<Position, Promise<LedgerAsOf>>();
  /** The folds finished, by position: never changed once there (a later fold starts from a copy). */
  private readonly settled = new Map<Position, LedgerAsOf>();
  /** The position of the last event each settled fold read: where folding on from it starts reading. */
  private readonly lastRead = new WeakMap<LedgerAsOf, Position | undefined>();
  private readonly forecasts = new Map<string, Forecast>();
  private foldsPending = 0;
  private computing = 0;

  constructor(
    private readonly store: EventStore,
    @Inject(LOADED_PLAN) private readonly plan: LoadedPlan,
  ) {}

  async forecast(scope: ForecastScope, options: ForecastOptions, asOf: Position | undefined): Promise<Forecast> {
    const ledger = await this.ledgerAt(asOf);
    if (scope.kind !== 'programme' && ledger.person(scope.personId) === undefined) throw unknownPerson(scope.personId);
    const key = JSON.stringify([ledger.position, scope, options]);
    const cached = this.forecasts.get(key);
    if (cached !== undefined) return cached;
    if (this.computing >= COMPUTING_MAX)
      throw new LedgerError('FORECAST_BUSY', 'other forecasts are being computed; retry shortly');
    this.computing += 1;
    try {
      const answer = await inSteps(forecastSteps(ledger, scope, options));
      remember(this.forecasts, key, answer, FORECASTS_KEPT);
      return answer;
    } finally {
      this.computing -= 1;
    }
  }

  /** Retention measured from the log up to `asOf`. */
  async retention(asOf: Position | undefined): Promise<{ ledger: LedgerAsOf; retention: Retention }> {
    const ledger = await this.ledgerAt(asOf);
    return {
      ledger,
      retention: retentionOf([...ledger.lifecycles.values()].map((l) => lifetimeOf(l, ledger.asOfTime))),
    };
  }

  /** The ledger folded up to `asOf` (default: the head of the log). */
  async ledgerAt(asOf: Position | undefined): Promise<LedgerAsOf> {
    const head = (await this.store.headPosition()) ?? '0';
    if (asOf !== undefined && comparePositions(asOf, head) > 0) {
      throw new LedgerError(
        'AS_OF_IN_FUTURE',
        `position ${asOf} is past the head of the log (${head}): a forecast can only be made as of a point the ledger has reached`,
        { head },
      );
    }
    const upTo = asOf ?? head;
    const cached = this.folds.get(upTo);
    if (cached !== undefined) return cached;
    if (this.foldsPending >= FOLDS_PENDING_MAX)
      throw new LedgerError('FORECAST_BUSY', 'other forecasts are folding the log; retry shortly');
    this.foldsPending += 1;
    const fold = this.fold(upTo).finally(() => (this.foldsPending -= 1));
    remember(this.folds, upTo, fold, FOLDS_KEPT);
    fold.catch(() => this.folds.delete(upTo));
    return fold;
  }

  /**
   * The log folded up to `upTo`: from the latest fold already made at or before it (a copy of it, folded
   * on), so that following a moving head folds only the new events; else from the start.
   */
  private async fold(upTo: Position): Promise<LedgerAsOf> {
    const base = [...this.settled.values()]
      .filter((l) => comparePositions(l.position, upTo) <= 0)
      .sort((a, b) => comparePositions(b.position, a.position))[0];
    const ledger = base?.clone() ?? new LedgerAsOf(this.plan.plan);
    let read = ledger.events;
    let after = base === undefined ? undefined : this.lastRead.get(base);
    for (;;) {
      const events = await this.store.readAll({ after, maxCount: READ_BATCH });
      const within = events.filter((e) => comparePositions(e.position, upTo) <= 0);
      read += within.length;
      if (read > FORECAST_EVENTS_MAX) {
        throw new LedgerError(
          'FORECAST_TOO_LARGE',
          `the log holds more than ${FORECAST_EVENTS_MAX} events up to position ${upTo}: too many for a forecast on request`,
          { eventsMax: FORECAST_EVENTS_MAX },
        );
      }
      for (const event of within) if (isLedgerStream(event.stream)) ledger.apply(decodeLedgerEvent(event));
      if (within.length > 0) after = within[within.length - 1]!.position;
      if (events.length < READ_BATCH || within.length < events.length) break;
      await yieldToEventLoop(); // a long fold must not stall the service
    }
    ledger.position = upTo;
    this.lastRead.set(ledger, after);
    remember(this.settled, upTo, ledger, FOLDS_KEPT);
    return ledger;
  }
}

/** Runs a forecast's steps, letting the event loop serve other requests between them. */
async function inSteps<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await yieldToEventLoop();
  }
}

/** Keeps at most `kept` entries, forgetting the oldest. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, kept: number): void {
  map.set(key, value);
  while (map.size > kept) map.delete(map.keys().next().value as K);
}
