import { api, must } from '../../api/client';
import { Drawer } from '../../components/drawer';
import { Money } from '../../components/money';
import { Show } from '../../components/states';
import { formatDateTime } from '../../format';
import { useApi } from '../../use-api';
import type { Line } from './history-table';

/** Where a line came from: the fact (event), the rule and its rate on which base, the level, the plan. */
export function ProvenanceDrawer({ personId, line, onClose }: { personId: string; line: Line; onClose: () => void }) {
  const position = line.source.position;
  const event = useApi(
    () => must(api.GET('/people/{personId}/lines/{position}/event', { params: { path: { personId, position } } })),
    [personId, position],
  );
  const rows: [string, preact.ComponentChildren][] = [
    ['Amount', <Money amount={line.amount} currency={line.currency} />],
    ['Kind', line.kind],
    ['Rule', line.rule],
    ['Rate', line.rate],
    ['Base', <Money amount={line.baseAmount} currency={line.currency} />],
    ['Level', line.level === null ? '—' : String(line.level)],
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
      <h3>The source event</h3>
      <Show loaded={event} what="the source event">
        {(e) => (
          <dl class="facts" data-testid="source-event">
            {Object.entries(e.data).map(([field, value]) => (
              <div key={field}>
                <dt>{field}</dt>
                <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
            <div>
              <dt>correlation id</dt>
              <dd>{String(e.metadata.correlationId)}</dd>
            </div>
          </dl>
        )}
      </Show>
    </Drawer>
  );
}
