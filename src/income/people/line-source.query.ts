// The source of a person's lines at one log position: which stream and revision to read the event from.
// Only a position where the person has a line answers, so a key limited to them reads no one else's facts.
import type { Position } from '../../event-store/event-store.port.js';
import { storedPosition } from '../read-model/line-row.codec.js';
import type { ReadModel } from '../read-model/read-model.js';

// the event's stream and revision are stored once per event, in line_sources
const SOURCE_SQL = `SELECT stream, revision FROM income_lines JOIN line_sources USING (position)
  WHERE earner_id = ? AND position = ? LIMIT 1`;

export function lineSource(
  readModel: ReadModel,
  personId: string,
  position: Position,
): { stream: string; revision: number } | undefined {
  const row = readModel
    .prepareQuery<[string, Buffer], { stream: string; revision: bigint }>(SOURCE_SQL)
    .get(personId, storedPosition(position));
  return row === undefined ? undefined : { stream: row.stream, revision: Number(row.revision) };
}
