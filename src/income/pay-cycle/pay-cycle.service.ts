import { Injectable } from '@nestjs/common';
import { EventStore, comparePositions } from '../../event-store/event-store.port.js';
import { LedgerError } from '../../shared/errors.js';
import {
  HOLD_LIFTED,
  HOLD_SET,
  type RecordedPayoutEvent,
  type SealedAdjustment,
  type SealedStatement,
} from '../events.js';
import { assertKnownPerson } from '../people/known-person.js';
import { versionAt, type Plan } from '../plan/plan.js';
import type { PeriodRules } from '../plan/period-rules.js';
import { IncomeProjection } from '../generations/income-projection.js';
import { decodeCursor, historyLines } from '../people/history.query.js';
import type { ReadModel } from '../read-model/read-model.js';
import { statementLines } from '../statement/statement-lines.query.js';
import { linesDatedBefore } from './lines-dated-before.query.js';
import { ReadYourWrites } from '../generations/read-your-writes.js';
import { STATEMENT_LINES_MAX } from '../statement/statement.service.js';
import { assertNext } from './close/close-period.decider.js';
import { holdsOf } from './hold/holds-of.js';
import type { PersonHold } from './hold/holds.answer.js';
import { PayCycleLog, digestOf, type RecordedClose, type SealedPeriod } from './pay-cycle-log.js';
import { minorOf, personPeriod, type PayLine, type PersonPeriod } from './period-figures.js';
import { nextPeriod, periodBounds, type PeriodBounds, type PeriodName } from './period.js';
import { Sealer, canonicalStatements, type EarlierCloses, type SealInput } from './seal.js';

/** A correction the next close will bring into the open period, in one currency. */
export type ComingAdjustment = SealedAdjustment & { readonly currency: string };

/** A person's lines read to foresee the next close's adjustments (their whole history up to the period's end). */
export const COMING_ADJUSTMENT_LINES_MAX = 500_000;
const HISTORY_PAGE = 5_000;

const NO_HOLDS = { isHeld: () => false, forfeits: () => false };
const NO_EARLIER: EarlierCloses = { first: null, last: null, qualifiedIn: () => true };

/** The calendar (length, time zone) is the same in every version; the rules of a period are its first instant's. */
export function calendarOf(plan: Plan): PeriodRules {
  return plan.versions[0]!.periodRules;
}

export function rulesOf(plan: Plan, bounds: PeriodBounds): PeriodRules {
  return versionAt(plan, bounds.from).periodRules;
}

/**
 * Dynamic compression, when some version of the plan has it: which periods compress, and the
 * genealogy above the fold's lines. Undefined otherwise, so a plan without it seals as before.
 */
function compressionOf(plan: Plan, readModel: ReadModel, keepPaidOf?: string): SealInput['compression'] {
  if (!compresses(plan)) return undefined;
  const calendar = calendarOf(plan);
  return {
    compressedIn: (period) => rulesOf(plan, periodBounds(period, calendar)).compression === 'dynamic',
    sponsorOf: (personId) => readModel.person(personId)?.sponsorId ?? null,
    keepPaidOf,
  };
}

function compresses(plan: Plan): boolean {
  return plan.versions.some((v) => v.periodRules.compression === 'dynamic');
}

/** Whether some version of the plan has ranks: a rank counts the whole downline's volume, so a view reads every line. */
function ranked(plan: Plan): boolean {
  return plan.versions.some((v) => v.periodRules.ranks.length > 0);
}

/** What a person's view of an open period shows: the figures so far, and what the next close would add. */
export interface OpenPeriodView {
  readonly figures: PersonPeriod & { readonly position: string | null };
  readonly comingAdjustments: readonly ComingAdjustment[];
}

/** Who is on hold now, and whose hold was lifted with forfeiture since the last close (at `lastClose`). */
export function holdsAt(events: readonly RecordedPayoutEvent[], lastClose: string | null) {
  const open = new Map<string, string>(); // holdId → personId
  const forfeiting = new Set<string>();
  for (const event of events) {
    if (event.type === HOLD_SET) open.set(event.data.holdId, event.data.personId);
    if (event.type !== HOLD_LIFTED) continue;
    open.delete(event.data.holdId);
    const since = lastClose === null || comparePositions(event.position, lastClose) > 0;
    if (event.data.outcome === 'forfeit' && since) forfeiting.add(event.data.personId);
  }
  const held = new Set(open.values());
  return { isHeld: (personId: string) => held.has(personId), forfeits: (personId: string) => forfeiting.has(personId) };
}

/** What a close of a period would seal now (a preview), or sealed (a close). */
export interface SealedView {
  readonly bounds: PeriodBounds;
  readonly asOfPosition: string | null;
  readonly planFingerprint: string;
  readonly qualificationApplied: boolean;
  readonly statements: readonly SealedStatement[];
  readonly statementDigest: string;
}

/** Periods: the provisional view of an open one, previews of a close, and sealed statements from the log. */
@Injectable()
export class PayCycleService {
  constructor(
    private readonly projection: IncomeProjection,
    private readonly log: PayCycleLog,
    private readonly store: EventStore,
    private readonly consistency: ReadYourWrites,
  ) {}

  bounds(period: PeriodName): PeriodBounds {
    return periodBounds(period, calendarOf(this.projection.servingNow().plan.plan));
  }

  closes(): Promise<RecordedClose[]> {
    return this.log.closes();
  }

  /** The close of a period, if it is closed. */
  async closeOf(period: PeriodName): Promise<RecordedClose | undefined> {
    return (await this.log.closes()).find((c) => c.data.period === period);
  }

  sealed(close: RecordedClose): Promise<SealedPeriod> {
    return this.log.sealed(close);
  }

  /**
   * A person's open period: without compression or ranks from their own lines (and the close's code
   * over their history for the coming adjustments); with either from the whole period, as a close sees
   * it, since an override can roll up to them from any depth below and a rank counts the whole downline.
   */
  async openPeriod(personId: string, period: PeriodName): Promise<OpenPeriodView> {
    const { plan } = this.projection.servingNow();
    const bounds = periodBounds(period, calendarOf(plan.plan));
    if (!compresses(plan.plan) && !ranked(plan.plan)) {
      return {
        figures: this.projected(personId, period),
        comingAdjustments: await this.comingAdjustments(personId, period),
      };
    }
    this.assertKnownPerson(personId);
    const closes = await this.log.closes();
    const last = closes[closes.length - 1];
    const next = last !== undefined && nextPeriod(last.data.period) === period;
    // a later open period gets no adjustments: what it would bring forward is the next close's
    const earlier = next ? await this.earlier(closes) : NO_EARLIER;
    const run = this.sealAll(period, earlier, NO_HOLDS, {
      keepPaidOf: personId,
      within: (readModel) => ({
        lines: this.periodLines(readModel, personId, bounds),
        position: readModel.checkpoint(),
      }),
    });
    const own = run.statements.filter((s) => s.personId === personId);
    const mine = run.also!;
    const paid = run.rules.compression === 'dynamic' ? run.sealer.paidOverrides() : undefined;
    const rank = run.sealer.rankOf(personId);
    return {
      figures: { ...personPeriod(personId, bounds, mine.lines, run.rules, paid, rank), position: mine.position },
      comingAdjustments: next ? own.flatMap((s) => s.adjustments.map((a) => ({ currency: s.currency, ...a }))) : [],
    };
  }

  private periodLines(readModel: ReadModel, personId: string, bounds: PeriodBounds): PayLine[] {
    const found = statementLines(readModel, personId, bounds, undefined, STATEMENT_LINES_MAX);
    if (found.truncated) {
      throw new LedgerError('STATEMENT_TOO_LARGE', `more than ${STATEMENT_LINES_MAX} lines in the period`, {
        linesMax: STATEMENT_LINES_MAX,
      });
    }
    return found.lines;
  }

  /** An open period's figures so far, with the qualification they give so far ("projected"). */
  projected(personId: string, period: PeriodName): PersonPeriod & { position: string | null } {
    const { readModel, plan } = this.projection.servingNow();
    const bounds = periodBounds(period, calendarOf(plan.plan));
    return readModel.read(() => {
      assertKnownPerson(readModel, personId);
      const lines = this.periodLines(readModel, personId, bounds);
      return {
        ...personPeriod(personId, bounds, lines, rulesOf(plan.plan, bounds)),
        position: readModel.checkpoint(),
      };
    });
  }

  /**
   * The adjustments the next close would bring into an open period for a person, as of now: late
   * facts dated in closed periods and re-pricings of what the last close knew. Only the first open
   * period receives them; a later one, or one before any close, gets none. The person's lines up to
   * the period's end go through the close's own Sealer, so this is what the close would seal.
   */
  async comingAdjustments(personId: string, period: PeriodName): Promise<ComingAdjustment[]> {
    const closes = await this.log.closes();
    const last = closes[closes.length - 1];
    if (last === undefined || nextPeriod(last.data.period) !== period) return [];
    const earlier = await this.earlier(closes);
    const own = earlier.last!;
    const { readModel, plan } = this.projection.servingNow();
    const bounds = periodBounds(period, calendarOf(plan.plan));
    const sealer = new Sealer({
      bounds,
      calendar: calendarOf(plan.plan),
      rules: rulesOf(plan.plan, bounds),
      planFingerprint: plan.fingerprint,
      earlier: { ...earlier, last: { ...own, keys: () => [...own.keys()].filter(([p]) => p === personId) } },
      holds: NO_HOLDS,
    });
    readModel.read(() => {
      assertKnownPerson(readModel, personId);
      let after: { position: string; lineNo: number } | undefined;
      for (let read = 0; ; read += HISTORY_PAGE) {
        if (read >= COMING_ADJUSTMENT_LINES_MAX) throw tooManyLines();
        const page = historyLines(readModel, personId, { to: bounds.to, after, limit: HISTORY_PAGE });
        for (const line of page.lines) sealer.add(line);
        if (page.nextCursor === null) break;
        after = decodeCursor(page.nextCursor)!;
      }
    });
    return sealer.statements().flatMap((s) => s.adjustments.map((a) => ({ currency: s.currency, ...a })));
  }

  /** Every hold set on a known person, each with its lift if it was lifted. */
  async holdsOf(personId: string): Promise<PersonHold[]> {
    this.assertKnownPerson(personId);
    return holdsOf((await this.log.holds()).events, personId);
  }

  /** Whether a person is known to the serving read model (404 PERSON_UNKNOWN if not). */
  assertKnownPerson(personId: string): void {
    const readModel = this.projection.readModel();
    readModel.read(() => assertKnownPerson(readModel, personId));
  }

  /**
   * What closing the period would seal now: every line dated up to its end as the ledger knows it
   * once the read model has folded the head of the log, against the closes before it.
   */
  async seal(period: PeriodName, closes: readonly RecordedClose[]): Promise<SealedView> {
    assertNext(
      period,
      closes.map((c) => c.data),
    );
    const head = await this.store.headPosition();
    if (head !== null) await this.consistency.await(head);
    const earlier = await this.earlier(closes);
    const holds = holdsAt((await this.log.holds()).events, closes[closes.length - 1]?.position ?? null);
    const { bounds, rules, planFingerprint, asOfPosition, statements } = this.sealAll(period, earlier, holds);
    const header = { period, from: bounds.from, to: bounds.to, asOfPosition };
    return {
      bounds,
      asOfPosition,
      planFingerprint,
      qualificationApplied: Object.keys(rules.minimumPersonalVolume).length > 0,
      statements,
      statementDigest: digestOf(canonicalStatements(header, statements)),
    };
  }

  /**
   * The close's Sealer over every line dated before the period's end, in one snapshot of the read
   * model; `within` reads more from the same snapshot (a person's own lines for their view).
   */
  private sealAll<T = undefined>(
    period: PeriodName,
    earlier: EarlierCloses,
    holds: SealInput['holds'],
    options: { keepPaidOf?: string; within?: (readModel: ReadModel) => T } = {},
  ) {
    const { readModel, plan } = this.projection.servingNow();
    const bounds = periodBounds(period, calendarOf(plan.plan));
    const rules = rulesOf(plan.plan, bounds);
    const sealer = new Sealer({
      bounds,
      calendar: calendarOf(plan.plan),
      rules,
      planFingerprint: plan.fingerprint,
      earlier,
      holds,
      compression: compressionOf(plan.plan, readModel, options.keepPaidOf),
      ...(rules.ranks.length === 0 ? {} : { ranks: { sponsorOf: (id) => readModel.person(id)?.sponsorId ?? null } }),
    });
    return readModel.read(() => {
      // asOf is the latest ledger event the sealed lines came from, not the read model's checkpoint:
      // the pay cycle's own events (an interrupted close's chunks, holds, payouts) move the checkpoint
      // without changing a line, and a retried close must seal the same bytes as the preview.
      let asOfPosition: string | null = null;
      for (const line of linesDatedBefore(readModel, bounds.to)) {
        sealer.add(line);
        const at = line.source.position;
        if (asOfPosition === null || comparePositions(at, asOfPosition) > 0) asOfPosition = at;
      }
      const statements = sealer.statements();
      const also = options.within?.(readModel);
      return { bounds, rules, planFingerprint: plan.fingerprint, asOfPosition, statements, sealer, also };
    });
  }

  private async earlier(closes: readonly RecordedClose[]): Promise<EarlierCloses> {
    const sealed = new Map<string, SealedPeriod>();
    for (const close of closes) sealed.set(close.data.period, await this.log.sealed(close));
    const lastClose = closes[closes.length - 1];
    if (lastClose === undefined) return { first: null, last: null, qualifiedIn: () => true };
    const last = sealed.get(lastClose.data.period)!;
    const closing = new Map(last.statements.map((s) => [`${s.personId}\u0000${s.currency}`, s]));
    const cuts = cutsSealed(sealed.values());
    return {
      first: closes[0]!.data.period,
      last: {
        period: lastClose.data.period,
        asOfPosition: lastClose.data.asOfPosition,
        planFingerprint: lastClose.data.planFingerprint,
        statement: (personId, currency) => closing.get(`${personId}\u0000${currency}`),
        keys: () => last.statements.map((s) => [s.personId, s.currency] as const),
      },
      cutsOf: (personId, currency) => cuts.get(`${personId}\u0000${currency}`) ?? 0n,
      qualifiedIn: (period, personId) => {
        const p = sealed.get(period);
        return p === undefined || !p.close.data.qualificationApplied || p.qualified.has(personId);
      },
      // the rank the close sealed, never one recomputed from what is known now
      levelsIn: (period, personId) => {
        const ranks = sealed.get(period)?.ranks ?? null;
        return ranks === null ? null : (ranks.get(personId)?.overrideLevels ?? 0);
      },
    };
  }
}

/** What caps per period cut, per person and currency, over every closed period. */
function cutsSealed(periods: Iterable<SealedPeriod>): Map<string, bigint> {
  const cuts = new Map<string, bigint>();
  for (const period of periods) {
    for (const s of period.statements) {
      for (const c of s.capped ?? []) {
        const key = `${s.personId}\u0000${s.currency}`;
        cuts.set(key, (cuts.get(key) ?? 0n) + minorOf(c.cut, s.currency));
      }
    }
  }
  return cuts;
}

function tooManyLines(): LedgerError {
  return new LedgerError(
    'STATEMENT_TOO_LARGE',
    `more than ${COMING_ADJUSTMENT_LINES_MAX} lines up to the period's end to foresee the next close's adjustments`,
    { linesMax: COMING_ADJUSTMENT_LINES_MAX },
  );
}

export function notClosed(period: string): LedgerError {
  return new LedgerError('PERIOD_NOT_CLOSED', `period ${period} is not closed`, { period });
}
