// Dynamic compression of one event's overrides (a period rule): an upline who is not qualified in the
// period is skipped when counting levels, so each level's override rolls up to the next qualified
// upline, at the rate and amount the plan gives that level for the event (the fold's line of that
// level). Pure: qualification and the genealogy arrive as functions.
import type { PayLine } from './period-figures.js';

/** An override as paid after compression: `level` is the earner's depth in the tree, `paidLevel` the level it pays. */
export type PaidOverride = PayLine & { readonly level: number; readonly paidLevel: number };

/** How far up the tree compression looks for a qualified upline (a genealogy is a tree: this bounds a long chain). */
export const COMPRESSION_DEPTH_MAX = 10_000;

export interface CompressionContext {
  isQualified(personId: string): boolean;
  /** The person's sponsor, null for a root. */
  sponsorOf(personId: string): string | null;
}

/**
 * The overrides of one event after compression. `lines` are the fold's override lines of the event,
 * one per level from 1: they name the uplines the fold saw and price each level; above the last
 * one the genealogy names the uplines. As many levels are paid as the fold priced.
 */
export function compressOverrides(lines: readonly PayLine[], context: CompressionContext): PaidOverride[] {
  const byLevel = new Map<number, PayLine>();
  for (const line of lines) {
    if (line.rule !== 'override' || line.level === null) throw new Error(`not an override line: ${line.rule}`);
    byLevel.set(line.level, line);
  }
  const levels = Math.max(0, ...byLevel.keys());
  const paid: PaidOverride[] = [];
  let person: string | null = byLevel.get(1)?.earnerId ?? null;
  for (let level = 1; person !== null && paid.length < levels && level <= COMPRESSION_DEPTH_MAX; level++) {
    if (context.isQualified(person)) {
      const priced = byLevel.get(paid.length + 1);
      if (priced === undefined) break; // the plan priced no line at that level for this event
      paid.push({ ...priced, earnerId: person, level, paidLevel: paid.length + 1 });
    }
    person = byLevel.get(level + 1)?.earnerId ?? context.sponsorOf(person);
  }
  return paid;
}
