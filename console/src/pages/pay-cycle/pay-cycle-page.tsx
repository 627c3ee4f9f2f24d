// For an admin key: a commission period's close preview (payables, holds, totals, the API's CSV), its close
// after a confirmation, the payout batch of a closed period, and holds on a person (docs/pay-cycle.md).
import { useState } from 'preact/hooks';
import { HoldsPanel } from './holds-panel';
import { PeriodPanel } from './period-panel';

/** The month before the browser's today, "YYYY-MM": the period an operator usually closes next. */
function lastMonth(): string {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return first.toISOString().slice(0, 7);
}

export function PayCyclePage({ operator }: { operator: string }) {
  const [picked, setPicked] = useState(lastMonth);
  const [period, setPeriod] = useState(picked);
  const [version, setVersion] = useState(0);
  return (
    <section>
      <h1>Pay cycle</h1>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod(picked);
        }}
      >
        <label for="pay-period">Period</label>
        <input id="pay-period" type="month" value={picked} required onInput={(e) => setPicked(e.currentTarget.value)} />
        <button type="submit">Show period</button>
      </form>
      <PeriodPanel
        key={`${period}-${version}`}
        period={period}
        operator={operator}
        onClosed={() => setVersion((v) => v + 1)}
      />
      <HoldsPanel operator={operator} onChanged={() => setVersion((v) => v + 1)} />
    </section>
  );
}
