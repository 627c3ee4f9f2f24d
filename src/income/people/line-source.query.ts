// The source of a person's lines at one log position: which stream and revision to read the event from.
// Only a position where the person has a line answers, so a key limited to them reads no one else's facts.
import { POSITION_DIGITS_MAX, type Position } from '../../event-store/event-store.port.js';
import type { ReadModel } from '../projection/read-model.js';

const SOURCE_SQL = `SELECT stream, revision FROM income_lines WHERE earner_id = ? AND position = ? LIMIT 1`;

export function lineSource(
  readModel: ReadModel,
  personId: string,
  position: Position,
): { stream: string; revision: number } | undefined {
  const row = readModel
    .prepareQuery<[string, string], { stream: string; revision: bigint }>(SOURCE_SQL)
    .get(personId, position.padStart(POSITION_DIGITS_MAX, '0'));
  return row === undefined ? undefined : { stream: row.stream, revision: Number(row.revision) };
}
