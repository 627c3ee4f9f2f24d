// A what-if of an uploaded plan: a dry-run rebuild under it, then its report as a sortable table and CSV.
import { useState } from 'preact/hooks';
import { api, download, fetchText, must, mustJson, type Problem, type Schemas } from '../../api/client';
import { DataTable, type Columns } from '../../components/data-table';
import { moneyColumn } from '../../components/money-column';
import { Panel } from '../../components/panel';
import { Empty, Loading, ProblemMessage } from '../../components/states';
import { problemFrom } from '../../use-api';

type Report = Schemas['WhatIfReportAnswer'];
type Row = Report['rows'][number];
const POLL_MS = 500;
const POLLS_MAX = 7_200; // an hour at POLL_MS

const columns: Columns<Row> = [
  { accessorKey: 'personId', header: 'Person' },
  { accessorKey: 'currency', header: 'Currency' },
  { accessorKey: 'kind', header: 'Kind' },
  moneyColumn<Row>('old', 'Today'),
  moneyColumn<Row>('new', 'Under the plan'),
  moneyColumn<Row>('difference', 'Difference'),
];

async function dryRun(
  plan: Record<string, unknown>,
  onProgress: (text: string) => void,
): Promise<{ id: string; report: Report }> {
  let progress = await must(api.POST('/projections/rebuilds', { body: { dryRun: true, plan } }));
  for (let polls = 0; progress.state === 'running' && polls < POLLS_MAX; polls++) {
    onProgress(`${progress.eventsDone ?? 0} of ${progress.eventsTotal ?? '?'} events folded`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    progress = await must(
      api.GET('/projections/rebuilds/{rebuildId}', { params: { path: { rebuildId: progress.id } } }),
    );
  }
  if (progress.state !== 'succeeded')
    throw new Error(`the dry run ${progress.state}${progress.error ? `: ${progress.error}` : ''}`);
  const report = await mustJson(
    api.GET('/projections/rebuilds/{rebuildId}/report', { params: { path: { rebuildId: progress.id } } }),
  );
  return { id: progress.id, report };
}

export function WhatIfPanel() {
  const [state, setState] = useState<{ running?: string; problem?: Problem; result?: { id: string; report: Report } }>(
    {},
  );
  const upload = async (file: File) => {
    let plan: Record<string, unknown>;
    try {
      plan = JSON.parse(await file.text()) as Record<string, unknown>;
    } catch {
      setState({ problem: { status: 0, title: 'The file is not JSON', detail: file.name } });
      return;
    }
    setState({ running: 'starting' });
    try {
      setState({ result: await dryRun(plan, (running) => setState({ running })) });
    } catch (error) {
      setState({ problem: problemFrom(error) });
    }
  };
  const csv = async (id: string) => {
    try {
      download(
        await fetchText(`/projections/rebuilds/${encodeURIComponent(id)}/report`, 'text/csv'),
        `what-if-${id}.csv`,
      );
    } catch (error) {
      setState({ ...state, problem: problemFrom(error) });
    }
  };
  return (
    <Panel title="What if" id="what-if">
      <label for="what-if-plan">A candidate plan (JSON, the plan file format)</label>
      <input
        id="what-if-plan"
        type="file"
        accept="application/json,.json"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) void upload(file);
        }}
      />
      {state.running && <Loading what={`the what-if (${state.running})`} />}
      {state.problem && <ProblemMessage problem={state.problem} />}
      {state.result && (
        <>
          <button type="button" onClick={() => void csv(state.result!.id)}>
            Download CSV
          </button>
          {state.result.report.rows.length === 0 ? (
            <Empty>Nobody's income would change.</Empty>
          ) : (
            <DataTable
              caption="Who gains and who loses, per kind and currency"
              columns={columns}
              rows={state.result.report.rows}
              sortable
            />
          )}
        </>
      )}
    </Panel>
  );
}
