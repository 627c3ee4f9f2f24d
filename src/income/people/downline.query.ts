// The tree under a person (GET /people/{id}/downline): a recursive walk of the people table down the
// sponsor links, breadth first, at most DOWNLINE_NODES_MAX members.
import { ApiProperty } from '@nestjs/swagger';
import type { ReadModel } from '../read-model/read-model.js';

export class DownlineNode {
  @ApiProperty({ example: 'ben' })
  readonly personId!: string;
  @ApiProperty({ example: 'Ben' })
  readonly name!: string;
  @ApiProperty({ format: 'date-time' })
  readonly recruitedAt!: string;
  @ApiProperty({ type: 'integer', description: 'Level below the person: 1 for those they recruited, 2 for theirs...' })
  readonly level!: number;
  @ApiProperty({ type: () => [DownlineNode] })
  readonly downline!: DownlineNode[];
}

const DOWNLINE_NODES_MAX = 10_000;

interface MemberRow {
  person_id: string;
  sponsor_id: string | null;
  name: string;
  recruited_at: string;
  level: bigint;
}

const DOWNLINE_SQL = `WITH RECURSIVE tree (person_id, sponsor_id, name, recruited_at, level) AS (
    SELECT person_id, sponsor_id, name, recruited_at, 0 FROM people WHERE person_id = ?
    UNION ALL
    SELECT p.person_id, p.sponsor_id, p.name, p.recruited_at, t.level + 1
      FROM people p JOIN tree t ON p.sponsor_id = t.person_id WHERE t.level < ?
  ) SELECT * FROM tree ORDER BY level, recruited_at, person_id LIMIT ?`;

/** The tree under a person, `depth` levels deep. Null for an unknown person. */
export function downline(
  readModel: ReadModel,
  personId: string,
  depth: number,
): { root: DownlineNode; truncated: boolean } | null {
  const rows = readModel
    .prepareQuery<[string, number, number], MemberRow>(DOWNLINE_SQL)
    .all(personId, depth, DOWNLINE_NODES_MAX + 1);
  if (rows.length === 0) return null;
  const nodes = new Map<string, DownlineNode>();
  for (const row of rows.slice(0, DOWNLINE_NODES_MAX)) {
    const level = Number(row.level);
    const node: DownlineNode = {
      personId: row.person_id,
      name: row.name,
      recruitedAt: row.recruited_at,
      level,
      downline: [],
    };
    nodes.set(row.person_id, node);
    if (level > 0 && row.sponsor_id !== null) nodes.get(row.sponsor_id)?.downline.push(node);
  }
  return { root: nodes.get(personId)!, truncated: rows.length > DOWNLINE_NODES_MAX };
}
