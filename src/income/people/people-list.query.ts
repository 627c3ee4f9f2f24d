// The people directory: find a person by id or name, one page at a time, in person id order.
import { ID_PATTERN } from '../../shared/ids.js';
import type { ReadModel } from '../read-model/read-model.js';

export interface PersonSummary {
  readonly personId: string;
  readonly name: string;
  readonly sponsorId: string | null;
  readonly recruitedAt: string;
}

export interface PeoplePage {
  readonly people: PersonSummary[];
  readonly nextCursor: string | null;
}

interface PersonRow {
  person_id: string;
  name: string;
  sponsor_id: string | null;
  recruited_at: string;
}

/** Ids and names are matched anywhere in them, ASCII letters in either case (SQLite's LIKE). */
const PEOPLE_SQL = `SELECT person_id, name, sponsor_id, recruited_at FROM people
  WHERE person_id > ? AND (? = '' OR person_id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')
  ORDER BY person_id LIMIT ?`;

const PERSON_SQL = 'SELECT person_id, name, sponsor_id, recruited_at FROM people WHERE person_id = ?';

export function listPeople(
  readModel: ReadModel,
  options: { search: string; after: string | undefined; limit: number },
): PeoplePage {
  const pattern = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = readModel
    .prepareQuery<[string, string, string, string, number], PersonRow>(PEOPLE_SQL)
    .all(options.after ?? '', options.search, pattern, pattern, options.limit + 1);
  const page = rows.slice(0, options.limit).map(toSummary);
  const last = page[page.length - 1];
  return { people: page, nextCursor: rows.length > options.limit && last ? encodePeopleCursor(last.personId) : null };
}

export function findPerson(readModel: ReadModel, personId: string): PersonSummary | undefined {
  const row = readModel.prepareQuery<[string], PersonRow>(PERSON_SQL).get(personId);
  return row === undefined ? undefined : toSummary(row);
}

function toSummary(row: PersonRow): PersonSummary {
  return { personId: row.person_id, name: row.name, sponsorId: row.sponsor_id, recruitedAt: row.recruited_at };
}

export function encodePeopleCursor(personId: string): string {
  return Buffer.from(personId, 'utf8').toString('base64url');
}

/** The person id a people cursor continues after, or null when it is not one of ours. */
export function decodePeopleCursor(cursor: string): string | null {
  const personId = Buffer.from(cursor, 'base64url').toString('utf8');
  return ID_PATTERN.test(personId) && encodePeopleCursor(personId) === cursor ? personId : null;
}
