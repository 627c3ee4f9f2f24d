// Every hold set on one person, standing or lifted, from GET /people/{personId}/holds: so an operator lifts a
// hold by picking it, not by remembering its id.
import { useEffect, useState } from 'preact/hooks';
import { api, must, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { DataTable, type Columns } from '../../components/data-table';
import { Empty, ProblemMessage } from '../../components/states';
import { problemFrom } from '../../use-api';

type PersonHolds = components['schemas']['PersonHoldsAnswer'];
type Hold = PersonHolds['holds'][number];

const columns = (onLift: (hold: Hold) => void): Columns<Hold> => [
  { accessorKey: 'holdId', header: 'Hold' },
  { accessorKey: 'reason', header: 'Reason' },
  { accessorKey: 'operator', header: 'Set by' },
  { accessorKey: 'setAt', header: 'Set at' },
  {
    id: 'state',
    header: 'State',
    cell: ({ row }) => {
      const lifted = row.original.lifted;
      if (lifted === null)
        return (
          <button type="button" onClick={() => onLift(row.original)}>
            Lift {row.original.holdId}…
          </button>
        );
      return `lifted (${lifted.outcome}) by ${lifted.operator} at ${lifted.liftedAt}: ${lifted.reason}`;
    },
  },
];

/** Looks up a person's holds; `onLift` fills the lift form with the hold picked. */
export function HoldsList({
  version,
  onLift,
}: {
  version: number;
  onLift: (personId: string, holdId: string) => void;
}) {
  const [personId, setPersonId] = useState('');
  const [found, setFound] = useState<PersonHolds | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const show = (id: string) => {
    setProblem(null);
    must(api.GET('/people/{personId}/holds', { params: { path: { personId: id } } })).then(setFound, (e: unknown) => {
      setFound(null);
      setProblem(problemFrom(e));
    });
  };
  // after a hold is set or lifted, the list shown is read again
  useEffect(() => {
    if (found !== null) show(found.personId);
  }, [version]);
  return (
    <div>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          show(personId.trim());
        }}
      >
        <fieldset>
          <legend>A person's holds</legend>
          <label for="holds-person">Person</label>
          <input id="holds-person" required value={personId} onInput={(e) => setPersonId(e.currentTarget.value)} />
          <button type="submit">Show holds</button>
        </fieldset>
      </form>
      {problem && <ProblemMessage problem={problem} />}
      {found !== null &&
        (found.holds.length === 0 ? (
          <Empty>No hold has been set on {found.personId}.</Empty>
        ) : (
          <DataTable
            caption={`Holds on ${found.personId}`}
            columns={columns((hold) => onLift(found.personId, hold.holdId))}
            rows={found.holds}
          />
        ))}
    </div>
  );
}
