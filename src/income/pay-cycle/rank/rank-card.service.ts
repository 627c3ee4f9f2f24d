import { Injectable } from '@nestjs/common';
import { comparePositions } from '../../../event-store/event-store.port.js';
import { assertKnownPerson } from '../../people/known-person.js';
import { IncomeProjection } from '../../generations/income-projection.js';
import { PayCycleLog } from '../pay-cycle-log.js';
import { calendarOf, rulesOf } from '../pay-cycle.service.js';
import { personalVolumeOf } from '../period-figures.js';
import { periodBounds, type PeriodBounds, type PeriodName } from '../period.js';
import { PeriodRanks, type RankCard } from '../ranks.js';
import { linesDatedBefore } from '../lines-dated-before.query.js';

/** A person's rank card for a period, with the basis it rests on. */
export interface RankCardView {
  readonly card: RankCard;
  readonly bounds: PeriodBounds;
  readonly status: 'open' | 'closed';
  /** Projected while the period is open; final once closed (from the lines the close knew). */
  readonly basis: 'projected' | 'final';
  /** The ledger position the card is computed as of: the read model's (open) or the close's `asOfPosition`. */
  readonly position: string | null;
}

/** Ranks need the whole downline's volume: the card reads every line dated in the period, as a close does. */
@Injectable()
export class RankCardService {
  constructor(
    private readonly projection: IncomeProjection,
    private readonly log: PayCycleLog,
  ) {}

  async rankCard(personId: string, period: PeriodName): Promise<RankCardView> {
    const close = (await this.log.closes()).find((c) => c.data.period === period);
    const { readModel, plan } = this.projection.servingNow();
    const bounds = periodBounds(period, calendarOf(plan.plan));
    const rules = rulesOf(plan.plan, bounds);
    // a closed period's rank counts only what its close knew: a later fact is the next close's business
    const knownAt = close === undefined ? undefined : close.data.asOfPosition;
    return readModel.read(() => {
      assertKnownPerson(readModel, personId);
      const volumes = new Map<string, Map<string, bigint>>();
      for (const line of linesDatedBefore(readModel, bounds.to)) {
        if (line.occurredAt < bounds.from) continue;
        if (knownAt !== undefined && (knownAt === null || comparePositions(line.source.position, knownAt) > 0))
          continue;
        const volume = personalVolumeOf(line);
        if (volume === 0n) continue;
        const byCurrency = volumes.get(line.earnerId) ?? new Map<string, bigint>();
        byCurrency.set(line.currency, (byCurrency.get(line.currency) ?? 0n) + volume);
        volumes.set(line.earnerId, byCurrency);
      }
      const genealogy = { sponsorOf: (id: string) => readModel.person(id)?.sponsorId ?? null };
      const card = new PeriodRanks(volumes, genealogy, rules).cardOf(personId);
      return close === undefined
        ? { card, bounds, status: 'open', basis: 'projected', position: readModel.checkpoint() }
        : { card, bounds, status: 'closed', basis: 'final', position: knownAt ?? null };
    });
  }
}
