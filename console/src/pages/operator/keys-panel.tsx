// API keys from the operator page: issue one (its secret shown once, here only), list them all, revoke one.
import { useState } from 'preact/hooks';
import { api, must, type Problem, type Schemas } from '../../api/client';
import { DataTable, type Columns } from '../../components/data-table';
import { Panel } from '../../components/panel';
import { ProblemMessage, Show } from '../../components/states';
import { formatDateTime } from '../../format';
import { problemFrom, useApi } from '../../use-api';

type Key = Schemas['ApiKeyAnswer'];

function columns(onRevoke: (name: string) => void): Columns<Key> {
  const when = (at: string | null, by: string | null) => (at === null ? '—' : `${formatDateTime(at)} by ${by}`);
  return [
    { accessorKey: 'name', header: 'Name' },
    { accessorKey: 'scopes', header: 'Scopes' },
    { accessorKey: 'source', header: 'From' },
    { id: 'issued', header: 'Issued', cell: (i) => when(i.row.original.issuedAt, i.row.original.issuedBy) },
    { id: 'revoked', header: 'Revoked', cell: (i) => when(i.row.original.revokedAt, i.row.original.revokedBy) },
    {
      id: 'revoke',
      header: 'Revoke',
      cell: (i) =>
        i.row.original.source === 'api' && i.row.original.revokedAt === null ? (
          <button type="button" class="link" onClick={() => onRevoke(i.row.original.name)}>
            Revoke<span class="visually-hidden"> {i.row.original.name}</span>
          </button>
        ) : (
          '—'
        ),
    },
  ];
}

export function KeysPanel() {
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [issued, setIssued] = useState<{ name: string; secret: string } | null>(null);
  const keys = useApi(() => must(api.GET('/access/keys')), [version]);

  const act = async (action: () => Promise<void>) => {
    setProblem(null);
    try {
      await action();
      setVersion((v) => v + 1);
    } catch (error) {
      setProblem(problemFrom(error));
    }
  };
  const revoke = (name: string) =>
    void act(async () => {
      await must(api.POST('/access/keys/{name}/revocation', { params: { path: { name } } }));
    });
  const issue = (name: string, scopes: string) =>
    act(async () => {
      const answer = await must(api.POST('/access/keys', { body: { name, scopes } }));
      setIssued({ name: answer.name, secret: answer.secret });
    });

  return (
    <Panel title="API keys" id="keys">
      <IssueForm onIssue={issue} />
      {issued && (
        <p class="banner" role="status">
          The secret of <strong>{issued.name}</strong>, shown this once:{' '}
          <code data-testid="secret">{issued.secret}</code>
        </p>
      )}
      {problem && <ProblemMessage problem={problem} />}
      <Show loaded={keys} what="the keys">
        {(data) => <DataTable caption="Every key" columns={columns(revoke)} rows={data.keys} sortable />}
      </Show>
    </Panel>
  );
}

function IssueForm({ onIssue }: { onIssue: (name: string, scopes: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState('');
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onIssue(name.trim(), scopes.trim()).then(() => setName(''));
      }}
    >
      <label for="key-name">Name</label>
      <input id="key-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="key-scopes">Scopes</label>
      <input
        id="key-scopes"
        required
        placeholder="read=ana"
        value={scopes}
        onInput={(e) => setScopes(e.currentTarget.value)}
      />
      <button type="submit">Issue key</button>
    </form>
  );
}
