// What a close seals: every person's statement of the period per currency, from the fold's lines
// dated up to the period's end as the ledger knows them at the close. Pure: the caller streams the lines in
// (in log order when the plan compresses overrides) and gets the statements, sorted, in their canonical form.
import { comparePositions } from '../../event-store/event-store.port.js';
import type { PayableReason, SealedAdjustment, SealedRank, SealedStatement } from '../events.js';
import type { PeriodRules } from '../plan/period-rules.js';
import { compressOverrides, type CompressionContext, type PaidOverride } from './compression.js';
import {
  amountOf,
  cutsOf,
  minorOf,
  needsQualification,
  personalVolumeOf,
  qualify,
  rankPays,
  type PayLine,
} from './period-figures.js';
import { periodOf, type PeriodBounds, type PeriodName } from './period.js';
import { PeriodRanks, rankReached, type Genealogy } from './ranks.js';

/** Past this many adjustments in one statement, late facts are summed per corrected period (bounds an event). */
export const ADJUSTMENTS_PER_STATEMENT_MAX = 100;

/** What the close needs to know of the closes before it (read from the log). */
export interface EarlierCloses {
  /** The first period ever closed: lines dated before it belong to it. Null: this is the first close. */
  readonly first: PeriodName | null;
  /** The latest close: its position and plan, and each person's closing balance per currency. */
  readonly last: {
    readonly period: PeriodName;
    readonly asOfPosition: string | null;
    readonly planFingerprint: string;
    /** The statement of a person and currency at the last close, if any. */
    statement(personId: string, currency: string): SealedStatement | undefined;
    /** Every (person, currency) with a statement in it. */
    keys(): Iterable<readonly [string, string]>;
  } | null;
  /** What the caps per period cut from a person's lines in every closed period, as sealed (absent: nothing). */
  cutsOf?(personId: string, currency: string): bigint;
  /** Whether a person was qualified in a closed period, as sealed then. */
  qualifiedIn(period: PeriodName, personId: string): boolean;
  /** The override levels of a person's rank in a closed period, as sealed then; null: it was sealed without ranks. */
  levelsIn?(period: PeriodName, personId: string): number | null;
}

export interface SealInput {
  readonly bounds: PeriodBounds;
  readonly calendar: PeriodRules;
  /** The rules of the period being closed (its qualification). */
  readonly rules: PeriodRules;
  readonly planFingerprint: string;
  readonly earlier: EarlierCloses;
  /**
   * With dynamic compression in the period being closed or a closed one (`compressedIn`), overrides
   * roll up past unqualified uplines: the genealogy names the uplines above the fold's lines.
   */
  readonly compression?: {
    compressedIn(period: PeriodName): boolean;
    sponsorOf(personId: string): string | null;
    /** Whose paid overrides of the period to keep (a person's view of an open period). */
    keepPaidOf?: string;
  };
  /**
   * Under a plan with ranks in the period being closed: the genealogy ranks count group volume and legs
   * over. Each rep earns overrides down to their rank's levels; the rank is sealed on their statements.
   */
  readonly ranks?: Genealogy;
  /** Holds on people at the close, from the log. */
  readonly holds: {
    isHeld(personId: string): boolean;
    /** Whether a hold was lifted with forfeiture since the last close: what it kept then is forfeited. */
    forfeits(personId: string): boolean;
  };
}

interface Row {
  own: bigint; // lines that need no qualification
  overrides: bigint;
  volume: bigint;
  broughtForward: bigint; // first close: everything dated before the period
  known: bigint; // lines dated in closed periods, known at the last close, priced now
  young: bigint; // counted lines of sales inside the holding period at the period's end
  youngOverrides: bigint; // the same, of overrides of the period (counted if qualified)
  ownByRule: Map<string, bigint>; // their own lines of the period by rule (for caps per period)
  paid: bigint; // overrides of the period paid to them after compression
  youngPaid: bigint; // the same, of sales inside the holding period
  overridesAt: Map<number, { minor: bigint; young: bigint }>; // under ranks: overrides of the period by level
  rankCut: bigint; // under ranks, with compression: paid overrides deeper than the earner's rank pays
  late: Map<string, SealedAdjustment & { minor: bigint }>;
}

const key = (personId: string, currency: string) => `${personId}\u0000${currency}`;

/** Folds lines into the sealed statements of one period. */
export class Sealer {
  private readonly rows = new Map<string, Row>();

  /** Sales dated at or after this wait for a later close. */
  private readonly youngFrom: string;

  constructor(private readonly input: SealInput) {
    this.youngFrom = daysBefore(input.bounds.to, input.rules.holdingDays);
  }

  /** Override lines of one event waiting to be compressed together (lines come in log order). */
  private pending: PayLine[] = [];
  /** The period's own override lines by event, compressed once the period's qualification is known. */
  private readonly periodEvents: PayLine[][] = [];
  private readonly paidKept: PaidOverride[] = [];

  /** Where the last line added came from (compression groups an event's lines, so they must come in log order). */
  private lastAt: string | null = null;

  /**
   * A line dated before the period's end (later ones are not the close's business): in any order,
   * but in log order when the plan compresses (an event's override lines are compressed together).
   */
  add(line: PayLine): void {
    const { bounds } = this.input;
    if (line.occurredAt >= bounds.to) throw new Error(`line dated ${line.occurredAt} after ${bounds.period}`);
    if (this.input.compression === undefined) return this.addLine(line, true);
    const at = line.source.position;
    if (this.lastAt !== null && comparePositions(at, this.lastAt) < 0)
      throw new Error(`line at ${at} out of log order`);
    if (this.lastAt !== at) this.flush();
    this.lastAt = at;
    if (needsQualification(line) && this.compresses(line)) this.pending.push(line);
    else this.addLine(line, true);
  }

  /** Whether a line's overrides are compressed: the period it is dated in (or corrects) compresses. */
  private compresses(line: PayLine): boolean {
    const { bounds, earlier, compression } = this.input;
    if (compression === undefined) return false;
    if (line.occurredAt >= bounds.from) return compression.compressedIn(bounds.period);
    if (earlier.last === null || earlier.first === null) return false; // brought forward whole
    const dated = periodOf(line.occurredAt, this.input.calendar);
    return dated >= earlier.first && compression.compressedIn(dated);
  }

  /** Compresses the pending event: in a closed period by the qualification sealed for it, in this one later. */
  private flush(): void {
    const lines = this.pending;
    this.pending = [];
    if (lines.length === 0) return;
    if (lines[0]!.occurredAt >= this.input.bounds.from) {
      // the fold's overrides, not earned by an unqualified rep (notQualified); paid anew after compression
      for (const line of lines) this.row(line.earnerId, line.currency).overrides += line.amount.minorUnits;
      this.periodEvents.push(lines);
      return;
    }
    const corrects = periodOf(lines[0]!.occurredAt, this.input.calendar);
    const context = this.contextWith((personId) => this.input.earlier.qualifiedIn(corrects, personId));
    for (const paid of compressOverrides(lines, context))
      if (!this.cutBySealedRank(corrects, paid.earnerId, paid.paidLevel)) this.addLine(paid, false);
  }

  /** Whether a closed period's sealed rank of the earner pays no override at that level (late facts, re-pricings). */
  private cutBySealedRank(period: PeriodName, earnerId: string, level: number): boolean {
    const levels = this.input.earlier.levelsIn?.(period, earnerId) ?? null;
    return levels !== null && !rankPays(levels, level);
  }

  private contextWith(isQualified: (personId: string) => boolean): CompressionContext {
    return { isQualified, sponsorOf: (personId) => this.input.compression!.sponsorOf(personId) };
  }

  /** Counts a line; `qualifying`: leave out an override of a rep unqualified in the closed period it is dated in. */
  private addLine(line: PayLine, qualifying: boolean): void {
    const { bounds, earlier } = this.input;
    const row = this.row(line.earnerId, line.currency);
    const minor = line.amount.minorUnits;
    const young = line.source.eventType === 'SaleMade' && line.occurredAt >= this.youngFrom;
    if (line.occurredAt >= bounds.from) {
      if (needsQualification(line)) row.overrides += minor;
      else {
        row.own += minor;
        row.ownByRule.set(line.rule, (row.ownByRule.get(line.rule) ?? 0n) + minor);
      }
      if (young && needsQualification(line)) row.youngOverrides += minor;
      else if (young) row.young += minor;
      if (this.input.ranks !== undefined && needsQualification(line)) {
        const at = row.overridesAt.get(line.level ?? 0) ?? { minor: 0n, young: 0n };
        row.overridesAt.set(line.level ?? 0, { minor: at.minor + minor, young: at.young + (young ? minor : 0n) });
      }
      row.volume += personalVolumeOf(line);
      return;
    }
    if (earlier.last === null || earlier.first === null) {
      row.broughtForward += minor;
      if (young) row.young += minor;
      return;
    }
    const dated = periodOf(line.occurredAt, this.input.calendar);
    const corrects = dated < earlier.first ? earlier.first : dated;
    // lines dated before the first close were brought forward whole, without qualification
    const unqualified =
      needsQualification(line) &&
      (!earlier.qualifiedIn(corrects, line.earnerId) || this.cutBySealedRank(corrects, line.earnerId, line.level ?? 0));
    if (qualifying && dated >= earlier.first && unqualified) return;
    if (young) row.young += minor;
    const asOf = earlier.last.asOfPosition;
    if (asOf !== null && comparePositions(line.source.position, asOf) <= 0) {
      row.known += minor;
      return;
    }
    const id = `${corrects}\u0000${line.source.eventId}`;
    const seen = row.late.get(id);
    const source = { eventId: line.source.eventId, eventType: line.source.eventType, position: line.source.position };
    row.late.set(id, {
      corrects,
      reason: 'late-fact',
      source,
      plan: null,
      amount: '',
      minor: (seen?.minor ?? 0n) + minor,
    });
  }

  /** The period's overrides after compression, once everyone's qualification in it is known. */
  private distribute(qualified: (personId: string) => boolean): void {
    const keep = this.input.compression?.keepPaidOf;
    for (const lines of this.periodEvents) {
      for (const paid of compressOverrides(lines, this.contextWith(qualified))) {
        const row = this.row(paid.earnerId, paid.currency);
        const minor = paid.amount.minorUnits;
        const levels = this.levelsOf(paid.earnerId);
        if (paid.earnerId === keep) this.paidKept.push(paid);
        // deeper than the earner's rank pays: breakage, it does not roll up further
        if (levels !== null && !rankPays(levels, paid.paidLevel)) {
          row.rankCut += minor;
          continue;
        }
        row.paid += minor;
        if (paid.source.eventType === 'SaleMade' && paid.occurredAt >= this.youngFrom) row.youngPaid += minor;
      }
    }
  }

  /** Under a plan with ranks, everyone's ranks in the period being closed (known in statements()). */
  private ranks: PeriodRanks | null = null;

  /** The override levels of a person's rank in the period being closed; null without ranks. */
  private levelsOf(personId: string): number | null {
    return this.ranks === null ? null : this.ranks.levelsOf(personId);
  }

  /** Under a plan with ranks, a person's rank in the period, after statements(). */
  rankOf(personId: string): SealedRank | undefined {
    return this.ranks === null ? undefined : rankReached(this.ranks.cardOf(personId));
  }

  /** The paid overrides of the person named by `keepPaidOf`, after statements(). */
  paidOverrides(): readonly PaidOverride[] {
    return this.paidKept;
  }

  /** The statements, sorted by person and currency. */
  statements(): SealedStatement[] {
    this.flush();
    for (const [personId, currency] of this.input.earlier.last?.keys() ?? []) this.row(personId, currency);
    const volumes = new Map<string, Map<string, bigint>>();
    for (const [k, row] of this.rows) {
      const [personId, currency] = k.split('\u0000') as [string, string];
      const byCurrency = volumes.get(personId) ?? new Map<string, bigint>();
      byCurrency.set(currency, row.volume);
      volumes.set(personId, byCurrency);
    }
    const qualifiedOf = new Map<string, boolean>();
    const qualified = (personId: string) => {
      let q = qualifiedOf.get(personId);
      if (q === undefined)
        qualifiedOf.set(personId, (q = qualify(volumes.get(personId) ?? new Map(), this.input.rules).qualified));
      return q;
    };
    if (this.input.ranks !== undefined) this.ranks = new PeriodRanks(volumes, this.input.ranks, this.input.rules);
    this.distribute(qualified);
    const statements: SealedStatement[] = [];
    for (const k of [...this.rows.keys()].sort()) {
      const [personId, currency] = k.split('\u0000') as [string, string];
      const statement = this.statement(personId, currency, this.rows.get(k)!, qualified(personId));
      if (statement !== null) statements.push(statement);
    }
    return statements;
  }

  private statement(personId: string, currency: string, row: Row, qualified: boolean): SealedStatement | null {
    const before = this.input.earlier.last?.statement(personId, currency);
    const m = (amount: string | undefined) => (amount === undefined ? 0n : minorOf(amount, currency));
    const opening = this.input.earlier.last === null ? row.broughtForward : m(before?.closing);
    const { overrides, youngOverrides, notQualified } = this.countedOverrides(personId, row, qualified);
    const cuts = cutsOf(this.input.rules, currency, row.ownByRule, overrides);
    const earned = row.own + overrides - cuts.reduce((sum, c) => sum + c.cut, 0n);
    // what the last close knew, priced now, less what the caps of the closed periods cut from it
    const known = row.known - (this.input.earlier.cutsOf?.(personId, currency) ?? 0n);
    const adjustments = this.adjustments(row, currency, this.input.earlier.last === null ? 0n : known - opening);
    const adjusted = adjustments.reduce((sum, a) => sum + minorOf(a.amount, currency), 0n);
    const closing = opening + earned + adjusted;
    const paidBefore = m(before?.paidBefore) + m(before?.payable);
    const forfeitedNow = this.input.holds.forfeits(personId) ? m(before?.held) : 0n;
    const payout = payableOf({
      available: closing - paidBefore - m(before?.forfeited) - forfeitedNow,
      young: row.young + youngOverrides,
      held: this.input.holds.isHeld(personId),
      minimum: m(this.input.rules.minimumPayout[currency]),
      forfeitedNow,
    });
    const all = [opening, earned, notQualified, adjusted, row.volume, closing, paidBefore, forfeitedNow];
    if (all.every((v) => v === 0n) && adjustments.length === 0) return null;
    const a = (minor: bigint) => amountOf(minor, currency);
    return {
      personId,
      currency,
      qualified,
      personalVolume: a(row.volume),
      opening: a(opening),
      earned: a(earned),
      notQualified: a(notQualified),
      adjustments,
      closing: a(closing),
      paidBefore: a(paidBefore),
      forfeited: a(m(before?.forfeited) + forfeitedNow),
      heldForRefundWindow: a(payout.window),
      held: a(payout.held),
      carried: a(payout.carried),
      payable: a(payout.payable),
      payableReason: payout.reason,
      ...(Object.keys(this.input.rules.periodCaps).length === 0
        ? {}
        : { capped: cuts.map((c) => ({ rule: c.rule, cut: a(c.cut) })) }),
      ...(this.ranks === null ? {} : { rank: rankReached(this.ranks.cardOf(personId)) }),
    };
  }

  /**
   * The overrides of the period that count for a person (and those of sales in the holding period), and
   * those that do not: all of them if unqualified; under ranks, those deeper than the rank pays.
   */
  private countedOverrides(personId: string, row: Row, qualified: boolean) {
    if (this.input.compression?.compressedIn(this.input.bounds.period) ?? false)
      return {
        overrides: row.paid,
        youngOverrides: row.youngPaid,
        notQualified: (qualified ? 0n : row.overrides) + row.rankCut,
      };
    if (!qualified) return { overrides: 0n, youngOverrides: 0n, notQualified: row.overrides };
    const levels = this.levelsOf(personId);
    if (levels === null) return { overrides: row.overrides, youngOverrides: row.youngOverrides, notQualified: 0n };
    let [overrides, youngOverrides] = [0n, 0n];
    for (const [level, at] of row.overridesAt) {
      if (!rankPays(levels, level)) continue;
      overrides += at.minor;
      youngOverrides += at.young;
    }
    return { overrides, youngOverrides, notQualified: row.overrides - overrides };
  }

  /** Late facts in log order, then the re-pricing of what the last close knew (if the plan priced it otherwise). */
  private adjustments(row: Row, currency: string, repriced: bigint): SealedAdjustment[] {
    const last = this.input.earlier.last;
    let late = [...row.late.values()].sort(
      (a, b) => a.corrects.localeCompare(b.corrects) || comparePositions(a.source!.position, b.source!.position),
    );
    if (late.length > ADJUSTMENTS_PER_STATEMENT_MAX) late = summedPerPeriod(late);
    const list: SealedAdjustment[] = late.map(({ minor, ...a }) => ({ ...a, amount: amountOf(minor, currency) }));
    if (repriced !== 0n && last !== null) {
      list.push({
        corrects: last.period,
        reason: 'plan-change',
        source: null,
        plan: { from: last.planFingerprint, to: this.input.planFingerprint },
        amount: amountOf(repriced, currency),
      });
    }
    return list;
  }

  private row(personId: string, currency: string): Row {
    const k = key(personId, currency);
    let row = this.rows.get(k);
    if (row === undefined) {
      row = {
        own: 0n,
        overrides: 0n,
        volume: 0n,
        broughtForward: 0n,
        known: 0n,
        young: 0n,
        youngOverrides: 0n,
        ownByRule: new Map(),
        paid: 0n,
        youngPaid: 0n,
        overridesAt: new Map(),
        rankCut: 0n,
        late: new Map(),
      };
      this.rows.set(k, row);
    }
    return row;
  }
}

/**
 * Splits what is owed (`available`: earned and adjusted, less paid and forfeited before) into what
 * waits for the holding period, what a hold keeps, what is carried, and what is paid now.
 */
export function payableOf(o: {
  available: bigint;
  young: bigint;
  held: boolean;
  minimum: bigint;
  forfeitedNow: bigint;
}): { window: bigint; held: bigint; carried: bigint; payable: bigint; reason: PayableReason } {
  const window = o.available > 0n && o.young > 0n ? (o.young < o.available ? o.young : o.available) : 0n;
  const rest = o.available - window;
  const none = { window, held: 0n, carried: 0n, payable: 0n };
  if (o.held && rest > 0n) return { ...none, held: rest, reason: 'held' };
  if (rest > 0n && rest >= o.minimum) return { ...none, payable: rest, reason: 'paid' };
  const reason: PayableReason = window > 0n ? 'held' : o.forfeitedNow !== 0n ? 'forfeited' : 'carried';
  return { ...none, carried: rest, reason };
}

/** The instant `days` whole days before `at` (UTC days: a holding period counts elapsed time). */
export function daysBefore(at: string, days: number): string {
  return new Date(Date.parse(at) - days * 86_400_000).toISOString();
}

function summedPerPeriod(late: (SealedAdjustment & { minor: bigint })[]): (SealedAdjustment & { minor: bigint })[] {
  const sums = new Map<string, SealedAdjustment & { minor: bigint }>();
  for (const a of late) {
    const seen = sums.get(a.corrects);
    sums.set(a.corrects, { ...a, source: null, minor: (seen?.minor ?? 0n) + a.minor });
  }
  return [...sums.values()];
}

/**
 * The canonical form of a period's sealed statements: a header line, then one JSON line per
 * statement in person and currency order, keys in the order SealedStatement declares them. Its
 * sha256 is the digest a close records.
 */
export function canonicalStatements(
  header: { period: string; from: string; to: string; asOfPosition: string | null },
  statements: readonly SealedStatement[],
): string {
  const lines = [
    JSON.stringify({ period: header.period, from: header.from, to: header.to, asOf: header.asOfPosition }),
  ];
  for (const s of statements) lines.push(JSON.stringify(s));
  return `${lines.join('\n')}\n`;
}
