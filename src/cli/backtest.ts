// `npm run backtest [-- --events 10000] [--seed N] [--log FILE|esdb://…] [--cutoffs 2024-07-01T00:00:00Z,…]`
// Forecasts made as of earlier points of a log, compared with what the ledger then recorded over the next
// 12 months, beside the naive baseline. Without --log: the benchmark's seeded workload, with cancellations.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadAppConfig } from '../config/app-config.js';
import { openEventStore } from '../event-store/event-store.module.js';
import type { Position, RecordedEvent } from '../event-store/event-store.port.js';
import { decidedAppends, generateWorkload } from '../workload/workload.js';
import { decodeLedgerEvent, isLedgerStream, type RecordedLedgerEvent } from '../income/events.js';
import { backtest, type BacktestRow, type ErrorFigure } from '../income/forecast/backtest.js';
import { businessTimeOf } from '../income/forecast/ledger-as-of.js';
import { loadPlanFile } from '../income/plan/plan-file.js';
import { addCalendarMonths, parseInstant } from '../shared/time.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20261122' },
    log: { type: 'string' },
    cutoffs: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const config = loadAppConfig({}, {});
const plan = loadPlanFile(config.PLAN_FILE).plan;
const started = performance.now();
const events =
  values.log === undefined ? workloadLog(Number(values.events), Number(values.seed)) : await storedLog(values.log);
const cutoffs =
  values.cutoffs?.split(',').map((c) => parseInstant(c) ?? fail(`not an instant: ${c}`)) ?? defaultCutoffs(events);
const rows = backtest(events, plan, cutoffs);
const seconds = (performance.now() - started) / 1000;
if (values.json) console.log(JSON.stringify(rows, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
else console.log(markdown(rows, events.length, seconds));

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** The benchmark's workload, decided as the handlers would on a fresh ledger, positions from 1. */
function workloadLog(size: number, seed: number): RecordedLedgerEvent[] {
  const workload = generateWorkload(size, seed, { cancellations: true });
  const context = { correlationId: 'backtest' };
  const log: RecordedLedgerEvent[] = [];
  const revisions = new Map<string, number>();
  for (const request of workload.requests) {
    for (const append of decidedAppends(request, context, '2026-01-01T00:00:00.000Z')) {
      for (const event of append.events) {
        const revision = (revisions.get(append.stream) ?? -1) + 1;
        revisions.set(append.stream, revision);
        const recorded: RecordedEvent = { ...event, stream: append.stream, revision, position: String(log.length + 1) };
        log.push(decodeLedgerEvent(recorded));
      }
    }
  }
  return log;
}

async function storedLog(where: string): Promise<RecordedLedgerEvent[]> {
  const store = openEventStore(
    loadAppConfig(
      /^[a-z+]+:\/\//.test(where) ? { EVENTSTORE_CONNECTION_STRING: where } : { EVENT_STORE_PATH: where },
      {},
    ),
  );
  const log: RecordedLedgerEvent[] = [];
  try {
    for (let after: Position | undefined; ;) {
      const page = await store.readAll({ after, maxCount: 5000 });
      for (const e of page) if (isLedgerStream(e.stream)) log.push(decodeLedgerEvent(e));
      if (page.length < 5000) break;
      after = page[page.length - 1]!.position;
    }
  } finally {
    await store.close();
  }
  return log;
}

/** 18, 15 and 12 months before the log's last business time: each leaves a whole year to compare with. */
function defaultCutoffs(log: readonly RecordedLedgerEvent[]): string[] {
  const last = log.reduce((m, e) => {
    const at = businessTimeOf(e);
    return at !== null && at > m ? at : m;
  }, '');
  if (last === '') fail('the log is empty');
  return [-18, -15, -12].map((months) => addCalendarMonths(last, months)!);
}

function markdown(rows: readonly BacktestRow[], events: number, seconds: number): string {
  const pct = (e: ErrorFigure) => (e.wmape === null ? 'n/a' : `${(e.wmape * 100).toFixed(1)}%`);
  const better = (r: BacktestRow, f: ErrorFigure, b: ErrorFigure) =>
    f.wmape === null || b.wmape === null
      ? ''
      : f.wmape < b.wmape
        ? 'forecast'
        : f.wmape > b.wmape
          ? '**baseline**'
          : 'tie';
  const lines = [
    `Backtest over ${events} events (${seconds.toFixed(1)} s); weighted MAPE of monthly renewal income over the next 12 months.`,
    '',
    '| as of | currency | people | actual | forecast | baseline | per person: forecast | baseline | better | total: forecast | baseline | better |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
    ...rows
      .map((r) =>
        [
          r.asOfTime.slice(0, 10),
          r.currency,
          r.people,
          r.actual,
          r.forecast,
          r.baseline,
          pct(r.perPerson.forecast),
          pct(r.perPerson.baseline),
          better(r, r.perPerson.forecast, r.perPerson.baseline),
          pct(r.total.forecast),
          pct(r.total.baseline),
          better(r, r.total.forecast, r.total.baseline),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
  ];
  return lines.join('\n');
}
