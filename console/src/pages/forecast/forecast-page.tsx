// What a book of recurring income will keep paying and what it is worth: a person's or the programme's
// forecast by month and kind with its band, and its valuation (docs/forecast.md). One call to the valuation
// route answers both (its answer is the forecast plus the valuation); the inputs start as the API's defaults,
// read back from its first answer, so no default is written twice.
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { Panel } from '../../components/panel';
import { Show } from '../../components/states';
import { formatDateTime } from '../../format';
import { useApi } from '../../use-api';
import { ForecastMonths } from './forecast-months';
import { ValuationInputs, type Inputs } from './valuation-inputs';
import { ValuationTable } from './valuation-table';

export type Valuation = Schemas['ValuationAnswer'];
export type ForecastScope = { readonly kind: 'person'; readonly personId: string } | { readonly kind: 'programme' };

function load(scope: ForecastScope, inputs: Inputs | null): Promise<Valuation> {
  const query =
    inputs === null
      ? {}
      : {
          horizonMonths: inputs.horizonMonths,
          requiredRate: inputs.requiredRate,
          persistence: inputs.persistence,
          asOf: inputs.asOf === '' ? undefined : inputs.asOf,
        };
  if (scope.kind === 'programme') return must(api.GET('/programme/valuation', { params: { query } }));
  return must(api.GET('/people/{personId}/valuation', { params: { path: { personId: scope.personId }, query } }));
}

export function ForecastPage({ scope }: { scope: ForecastScope }) {
  const [inputs, setInputs] = useState<Inputs | null>(null);
  const key = scope.kind === 'person' ? scope.personId : '';
  const answer = useApi(() => load(scope, inputs), [scope.kind, key, inputs]);
  const title =
    scope.kind === 'person'
      ? `Forecast and book value of ${scope.personId}`
      : 'Forecast and book value of the programme';
  return (
    <section>
      <h1>{title}</h1>
      <p class="estimate" role="note">
        <strong>An estimate, not a promise.</strong> Expected income from the subscriptions earned on today, each
        renewal weighted by the retention the ledger has measured; new sales, price and plan changes are not forecast.
        The band is how uncertain the retention estimate is.
      </p>
      <ValuationInputs answer={answer.state === 'ready' ? answer.data : null} onApply={setInputs} />
      <Show loaded={answer} what="the forecast">
        {(v) => (
          <>
            <p class="muted" data-testid="forecast-basis">
              As of position {v.position}
              {v.asOfTime !== null && <> ({formatDateTime(v.asOfTime)})</>} · {v.running} subscriptions running,{' '}
              {v.ended} ended · band: the {v.band.lowPercentile}th to {v.band.highPercentile}th percentile of{' '}
              {v.band.resamples} resamples
            </p>
            <Panel title="Book value" id="valuation">
              <ValuationTable valuation={v} />
            </Panel>
            <Panel title="Expected income by month" id="forecast">
              <ForecastMonths currencies={v.currencies} />
            </Panel>
          </>
        )}
      </Show>
    </section>
  );
}
