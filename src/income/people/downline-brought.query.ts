// What each member of a person's downline brought them: the override income the person earned from that
// member's branch (the member and everyone under them), per currency. An override line is attributed to the
// rep whose sale or renewal earned it (the line of the same event with no upline level: the seller's direct
// sale or the owner's renewal, or else the renewed subscription's owner), then credited to every member on
// the way from that rep up to the person. Sums are SQLite integer sums of minor units: exact.
import { Money } from '../../shared/money.js';
import type { ReadModel } from '../read-model/read-model.js';

export interface BroughtAmount {
  readonly currency: string;
  readonly amount: string;
}

export interface MemberBrought {
  readonly personId: string;
  /** Levels below the person: 1 for someone they recruited. */
  readonly level: number;
  readonly brought: BroughtAmount[];
}

export interface DownlineBrought {
  readonly members: MemberBrought[];
  /** Override income whose rep could not be found under the person (none, as the fold writes lines today). */
  readonly unattributed: BroughtAmount[];
}

interface OriginRow {
  originator: string | null;
  currency: string;
  minor: bigint;
}

const SUBSCRIPTION_STREAM_PREFIX_LENGTH = 'subscription-'.length;

const BY_ORIGINATOR_SQL = `SELECT COALESCE(
    (SELECT d.earner_id FROM income_lines d WHERE d.position = o.position AND d.level IS NULL
       AND d.rule IN ('directSale', 'renewal') LIMIT 1),
    (SELECT s.owner_id FROM subscriptions s
       WHERE src.event_type = 'SubscriptionRenewed' AND s.subscription_id = substr(src.stream, ${SUBSCRIPTION_STREAM_PREFIX_LENGTH + 1}))
  ) AS originator, o.currency AS currency, SUM(o.amount_minor) AS minor
  FROM income_lines o JOIN line_sources src ON src.position = o.position WHERE o.earner_id = ? AND o.rule = 'override'
  GROUP BY originator, o.currency`;

/** Sponsors walked up from a rep to the person at most: deeper than any plan's override levels. */
const UPLINE_STEPS_MAX = 1_000;

/** The members from `rep` up to (not including) `personId`, or null when `personId` is not above `rep`. */
function pathUp(readModel: ReadModel, rep: string, personId: string): string[] | null {
  const path: string[] = [];
  for (let id: string | null = rep; id !== null && path.length <= UPLINE_STEPS_MAX;) {
    if (id === personId) return path;
    path.push(id);
    id = readModel.person(id)?.sponsorId ?? null;
  }
  return null;
}

export function downlineBrought(readModel: ReadModel, personId: string): DownlineBrought {
  const rows = readModel.prepareQuery<[string], OriginRow>(BY_ORIGINATOR_SQL).all(personId);
  const members = new Map<string, { level: number; sums: Map<string, bigint> }>();
  const unattributed = new Map<string, bigint>();
  const add = (sums: Map<string, bigint>, row: OriginRow) =>
    sums.set(row.currency, (sums.get(row.currency) ?? 0n) + row.minor);
  for (const row of rows) {
    const path = row.originator === null ? null : pathUp(readModel, row.originator, personId);
    if (path === null || path.length === 0) {
      add(unattributed, row);
      continue;
    }
    path.forEach((member, i) => {
      const entry = members.get(member) ?? { level: path.length - i, sums: new Map<string, bigint>() };
      add(entry.sums, row);
      members.set(member, entry);
    });
  }
  return {
    members: [...members.entries()]
      .map(([id, m]) => ({ personId: id, level: m.level, brought: amounts(m.sums) }))
      .sort((a, b) => a.level - b.level || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0)),
    unattributed: amounts(unattributed),
  };
}

function amounts(sums: Map<string, bigint>): BroughtAmount[] {
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, minor]) => ({ currency, amount: Money.fromMinorUnits(minor, currency).toString() }));
}
