// The downline, a level at a time: opening a member at level n asks the API for n + 1 levels of this
// person's tree (so a rep's own key, which may read only their own routes, can open it all).
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { Panel } from '../../components/panel';
import { Empty, Show } from '../../components/states';
import { formatDate } from '../../format';
import { useApi } from '../../use-api';

type Node = Schemas['DownlineNode'];
const DEPTH_MAX = 20;

export function DownlineTree({ personId }: { personId: string }) {
  const [depth, setDepth] = useState(1);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const tree = useApi(
    () => must(api.GET('/people/{personId}/downline', { params: { path: { personId }, query: { depth } } })),
    [personId, depth],
  );
  const toggle = (node: Node) => {
    const next = new Set(open);
    if (next.has(node.personId)) next.delete(node.personId);
    else {
      next.add(node.personId);
      setDepth(Math.min(DEPTH_MAX, Math.max(depth, node.generation + 1)));
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
            <Members nodes={data.downline} open={open} depth={data.depth} onToggle={toggle} />
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
  onToggle,
}: {
  nodes: Node[];
  open: ReadonlySet<string>;
  depth: number;
  onToggle: (node: Node) => void;
}) {
  return (
    <ul class="tree">
      {nodes.map((node) => {
        const expanded = open.has(node.personId);
        const canOpen = node.generation < DEPTH_MAX && (node.generation < depth ? node.downline.length > 0 : true);
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
              {node.personId} · level {node.generation} · recruited {formatDate(node.recruitedAt)}
            </span>
            {expanded && node.generation < depth && (
              <Members nodes={node.downline} open={open} depth={depth} onToggle={onToggle} />
            )}
          </li>
        );
      })}
    </ul>
  );
}
