// The downline, a level at a time: opening a member at level n asks the API for n + 1 levels of this
// person's tree (so a rep's own key, which may read only their own routes, can open it all). Each member
// shows what they brought this person: the override income from their branch (GET …/downline/brought).
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { Panel } from '../../components/panel';
import { Empty, Show } from '../../components/states';
import { Money } from '../../components/money';
import { formatDate } from '../../format';
import { useApi } from '../../use-api';

type Node = Schemas['DownlineNode'];
type Brought = ReadonlyMap<string, Schemas['BroughtAmount'][]>;
const DEPTH_MAX = 20;

export function DownlineTree({ personId }: { personId: string }) {
  const [depth, setDepth] = useState(1);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const tree = useApi(
    () => must(api.GET('/people/{personId}/downline', { params: { path: { personId }, query: { depth } } })),
    [personId, depth],
  );
  const brought = useApi(
    () =>
      must(api.GET('/people/{personId}/downline/brought', { params: { path: { personId } } })).then(
        (answer): Brought => new Map(answer.members.map((m) => [m.personId, m.brought])),
      ),
    [personId],
  );
  const toggle = (node: Node) => {
    const next = new Set(open);
    if (next.has(node.personId)) next.delete(node.personId);
    else {
      next.add(node.personId);
      setDepth(Math.min(DEPTH_MAX, Math.max(depth, node.level + 1)));
    }
    setOpen(next);
  };
  return (
    <Panel title="Downline" id="downline">
      <Show loaded={tree} what="the downline">
        {(data) =>
          data.downline.length === 0 ? (
            <Empty>Nobody recruited under {personId} yet.</Empty>
          ) : (
            <Members
              nodes={data.downline}
              open={open}
              depth={data.depth}
              brought={brought.state === 'ready' ? brought.data : null}
              onToggle={toggle}
            />
          )
        }
      </Show>
    </Panel>
  );
}

function Members({
  nodes,
  open,
  depth,
  brought,
  onToggle,
}: {
  nodes: Node[];
  open: ReadonlySet<string>;
  depth: number;
  brought: Brought | null;
  onToggle: (node: Node) => void;
}) {
  return (
    <ul class="tree">
      {nodes.map((node) => {
        const expanded = open.has(node.personId);
        const canOpen = node.level < DEPTH_MAX && (node.level < depth ? node.downline.length > 0 : true);
        return (
          <li key={node.personId}>
            {canOpen ? (
              <button type="button" class="disclosure" aria-expanded={expanded} onClick={() => onToggle(node)}>
                {expanded ? '▾' : '▸'} {node.name}
              </button>
            ) : (
              <span class="leaf">{node.name}</span>
            )}
            <span class="muted">
              {' '}
              {node.personId} · level {node.level} · recruited {formatDate(node.recruitedAt)}
            </span>
            {brought !== null && <BroughtBy amounts={brought.get(node.personId) ?? []} />}
            {expanded && node.level < depth && (
              <Members nodes={node.downline} open={open} depth={depth} brought={brought} onToggle={onToggle} />
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** What a member's branch brought this person, per currency. */
function BroughtBy({ amounts }: { amounts: Schemas['BroughtAmount'][] }) {
  return (
    <span class="brought" data-testid="brought">
      {' · brought '}
      {amounts.length === 0
        ? 'nothing yet'
        : amounts.map((a, i) => (
            <span key={a.currency}>
              {i > 0 && ', '}
              <Money amount={a.amount} currency={a.currency} />
            </span>
          ))}
    </span>
  );
}
