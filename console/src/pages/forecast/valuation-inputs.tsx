import { useEffect, useState } from 'preact/hooks';
import type { Valuation } from './forecast-page';

/** What the valuation is asked with: H, r, ω as the API spells them, and the as-of position ('' = the head). */
export interface Inputs {
  readonly horizonMonths: number;
  readonly requiredRate: string;
  readonly persistence: string;
  readonly asOf: string;
}

/** The form of the valuation's inputs, filled from the answer shown (so the API's defaults on first load). */
export function ValuationInputs({ answer, onApply }: { answer: Valuation | null; onApply: (i: Inputs) => void }) {
  const [horizon, setHorizon] = useState('');
  const [rate, setRate] = useState('');
  const [persistence, setPersistence] = useState('');
  const [asOf, setAsOf] = useState('');
  const [filled, setFilled] = useState(false);
  useEffect(() => {
    if (answer === null || filled) return;
    setHorizon(String(answer.horizonMonths));
    setRate(answer.requiredRate);
    setPersistence(answer.persistence);
    setFilled(true);
  }, [answer, filled]);
  const field = (id: string, label: string, value: string, set: (v: string) => void, hint: string) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        value={value}
        inputMode="decimal"
        aria-describedby={`${id}-hint`}
        onInput={(e) => set(e.currentTarget.value)}
      />
      <span id={`${id}-hint`} class="hint">
        {hint}
      </span>
    </div>
  );
  return (
    <form
      class="inline-form valuation-inputs"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({
          horizonMonths: Number(horizon),
          requiredRate: rate.trim(),
          persistence: persistence.trim(),
          asOf: asOf.trim(),
        });
      }}
    >
      {field('forecast-horizon', 'Horizon H (months)', horizon, setHorizon, '12 to 120')}
      {field('forecast-rate', 'Required rate r', rate, setRate, 'effective annual, e.g. 0.10')}
      {field('forecast-persistence', 'Persistence ω', persistence, setPersistence, '0 stops, 1 for ever')}
      {field('forecast-as-of', 'As of position', asOf, setAsOf, 'empty: the head of the log')}
      <button type="submit">Forecast</button>
    </form>
  );
}
