// Holds on a person: set one (everything they are owed is held from the next close on), or lift one,
// releasing or forfeiting what it kept; both with a reason, recorded with the signed-in key's name.
import { useState } from 'preact/hooks';
import { fetchJson, type Problem, type Schemas } from '../../api/client';
import { Panel } from '../../components/panel';
import { ProblemMessage } from '../../components/states';
import { problemFrom } from '../../use-api';
import { HoldsList } from './holds-list';

type Answer = Schemas['CommandAnswer'];

export function HoldsPanel({ operator, onChanged }: { operator: string; onChanged: () => void }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState('');
  const [changes, setChanges] = useState(0);
  const [picked, setPicked] = useState<{ personId: string; holdId: string } | null>(null);
  const act = (what: string, path: string, body: object) => {
    setProblem(null);
    setDone('');
    fetchJson<Answer>(path, { method: 'POST', body: { ...body, operator } }).then(
      (a) => {
        setDone(`${what} (position ${a.position}).`);
        setChanges((n) => n + 1);
        onChanged();
      },
      (e: unknown) => setProblem(problemFrom(e)),
    );
  };
  return (
    <Panel title="Holds" id="holds">
      <HoldForm
        legend="Set a hold"
        submit="Set hold"
        onSubmit={(f) =>
          act(`Hold ${f.holdId} set on ${f.personId}`, `/people/${encodeURIComponent(f.personId)}/holds`, {
            holdId: f.holdId,
            reason: f.reason,
          })
        }
      />
      <HoldsList version={changes} onLift={(personId, holdId) => setPicked({ personId, holdId })} />
      <HoldForm
        key={picked === null ? 'lift' : `${picked.personId}/${picked.holdId}`}
        legend="Lift a hold"
        submit="Lift hold"
        initial={picked ?? undefined}
        lifting
        onSubmit={(f) =>
          act(
            `Hold ${f.holdId} on ${f.personId} lifted (${f.outcome})`,
            `/people/${encodeURIComponent(f.personId)}/holds/${encodeURIComponent(f.holdId)}/lift`,
            { outcome: f.outcome, reason: f.reason },
          )
        }
      />
      <p role="status" data-testid="hold-done">
        {done}
      </p>
      {problem && <ProblemMessage problem={problem} />}
    </Panel>
  );
}

interface HoldFields {
  personId: string;
  holdId: string;
  reason: string;
  outcome: 'release' | 'forfeit';
}

function HoldForm({
  legend,
  submit,
  lifting = false,
  initial,
  onSubmit,
}: {
  legend: string;
  submit: string;
  lifting?: boolean;
  /** The person and hold to start from (a hold picked in the list). */
  initial?: { personId: string; holdId: string };
  onSubmit: (f: HoldFields) => void;
}) {
  const [f, setF] = useState<HoldFields>({ personId: '', holdId: '', reason: '', outcome: 'release', ...initial });
  const id = lifting ? 'lift' : 'hold';
  const text = (key: 'personId' | 'holdId' | 'reason', label: string) => (
    <>
      <label for={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        required
        value={f[key]}
        onInput={(e) => setF({ ...f, [key]: e.currentTarget.value })}
      />
    </>
  );
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ ...f, personId: f.personId.trim(), holdId: f.holdId.trim(), reason: f.reason.trim() });
      }}
    >
      <fieldset>
        <legend>{legend}</legend>
        {text('personId', 'Person')}
        {text('holdId', 'Hold id')}
        {lifting && (
          <>
            <label for="lift-outcome">Outcome</label>
            <select
              id="lift-outcome"
              value={f.outcome}
              onChange={(e) => setF({ ...f, outcome: e.currentTarget.value as HoldFields['outcome'] })}
            >
              <option value="release">release: pay what it kept</option>
              <option value="forfeit">forfeit: never pay it</option>
            </select>
          </>
        )}
        {text('reason', 'Reason')}
        <button type="submit">{submit}</button>
      </fieldset>
    </form>
  );
}
