import { Drawer } from '../../components/drawer';
import { Money } from '../../components/money';
import { formatDateTime } from '../../format';
import type { Line } from './history-table';

/** Where a line came from: the fact (event), the rule and its rate on which base, the level, the plan. */
export function ProvenanceDrawer({ line, onClose }: { line: Line; onClose: () => void }) {
  const rows: [string, preact.ComponentChildren][] = [
    ['Amount', <Money amount={line.amount} currency={line.currency} />],
    ['Kind', line.kind],
    ['Rule', line.rule],
    ['Rate', line.rate],
    ['Base', <Money amount={line.baseAmount} currency={line.currency} />],
    ['Level', line.generation === null ? '—' : String(line.generation)],
    ['Plan version', line.planVersion],
    ['Happened', formatDateTime(line.occurredAt)],
    ['Recorded', formatDateTime(line.recordedAt)],
    ['Source event', line.source.eventType],
    ['Event id', line.source.eventId],
    ['Stream', `${line.source.stream} @ revision ${line.source.revision}`],
    ['Log position', line.source.position],
  ];
  return (
    <Drawer title="Provenance of a line" onClose={onClose}>
      <dl class="facts">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Drawer>
  );
}
