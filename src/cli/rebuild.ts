// `npm run rebuild [-- --dry-run] [-- --plan FILE]`: folds the whole log into a new read model
// generation and switches to it once it has caught up; with --dry-run, reports per person what the
// plan (the configured one, or FILE) would change instead. If the service is running (it answers on
// HOST:PORT), the rebuild runs inside it (POST /projections/rebuilds) and this shows its progress;
// otherwise it runs here, on the same files. With access control on, it presents LEDGER_API_KEY, or else
// the first admin key of API_KEYS / API_KEYS_FILE.
import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import cliProgress from 'cli-progress';
import { apiKeysOf, loadAppConfig } from '../config/app-config.js';
import { describeEventStore, openEventStore } from '../event-store/event-store.module.js';
import { loadPlanFile } from '../income/plan/plan-file.js';
import { logLocationOf } from '../income/projection/generation-build.js';
import { ProjectionManager, type RebuildProgress } from '../income/projection/projection-manager.js';
import { whatIfCsv, type WhatIfReport } from '../income/projection/what-if.js';
import { SystemClock } from '../shared/clock.js';

const { values } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    plan: { type: 'string' },
    offline: { type: 'boolean', default: false },
  },
});
const config = loadAppConfig();
const plan = loadPlanFile(values.plan ?? config.PLAN_FILE);
const dryRun = values['dry-run'];
const serviceUrl = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
const apiKey = config.LEDGER_API_KEY ?? apiKeysOf(config).find((key) => key.scopes.admin)?.secret;
const authorization: Record<string, string> = apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };

const bar = new cliProgress.SingleBar(
  {
    format: '  {bar} {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
  },
  cliProgress.Presets.shades_classic,
);
let barStarted = false;
function show(progress: RebuildProgress): void {
  const total = progress.eventsTotal ?? progress.eventsDone ?? 0;
  if (!barStarted) {
    bar.start(total, 0, { rate: 0 });
    barStarted = true;
  }
  bar.setTotal(Math.max(total, progress.eventsDone ?? 0));
  bar.update(progress.eventsDone ?? 0, { rate: progress.eventsPerSecond ?? 0 });
}

function saveReport(id: string, report: WhatIfReport): void {
  mkdirSync('reports', { recursive: true });
  const base = join('reports', `what-if-${id}`);
  writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
  writeFileSync(`${base}.csv`, whatIfCsv(report));
  console.log(`what-if report: ${base}.csv and ${base}.json`);
  for (const c of report.companyWide)
    console.log(`  company-wide ${c.currency}: ${c.old} → ${c.new} (${c.difference})`);
}

async function serviceAnswers(): Promise<boolean> {
  if (values.offline) return false;
  try {
    return (await fetch(`${serviceUrl}/health/live`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function viaService(): Promise<number> {
  console.error(`the service answers at ${serviceUrl}: the rebuild runs inside it`);
  const started = await fetch(`${serviceUrl}/projections/rebuilds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization },
    // a --plan file is sent as the candidate; without one the service uses its configured plan
    body: JSON.stringify(
      values.plan ? { dryRun, plan: JSON.parse(readFileSync(values.plan, 'utf8')) as unknown } : { dryRun },
    ),
  });
  const body = (await started.json()) as RebuildProgress & { code?: string; detail?: string };
  if (started.status !== 202) {
    console.error(`refused: ${started.status} ${body.code}: ${body.detail}`);
    if (started.status === 401 || started.status === 403)
      console.error('set LEDGER_API_KEY to a key with the admin scope (docs/security.md)');
    return 1;
  }
  let progress: RebuildProgress = body;
  while (progress.state === 'running') {
    show(progress);
    await new Promise((resolve) => setTimeout(resolve, 500));
    progress = (await (
      await fetch(`${serviceUrl}/projections/rebuilds/${body.id}`, { headers: authorization })
    ).json()) as RebuildProgress;
  }
  bar.stop();
  console.log(
    `rebuild ${progress.id}: ${progress.state}${progress.error ? ` (${progress.error})` : ''}, generation ${progress.generation}`,
  );
  if (dryRun && progress.state === 'succeeded')
    saveReport(
      progress.id,
      (await (
        await fetch(`${serviceUrl}/projections/rebuilds/${body.id}/report`, { headers: authorization })
      ).json()) as WhatIfReport,
    );
  return progress.state === 'succeeded' ? 0 : 1;
}

async function offline(): Promise<number> {
  console.error(
    `the service does not answer at ${serviceUrl}: rebuilding here, from ${describeEventStore(config)} into ${config.READ_MODEL_DIR}`,
  );
  const store = openEventStore(config);
  const manager = new ProjectionManager(
    store,
    plan,
    {
      dir: config.READ_MODEL_DIR,
      planChangeRebuild: 'manual',
      generationsKept: config.GENERATIONS_KEPT,
      log: logLocationOf(config),
    },
    new Logger('Rebuild'),
    new SystemClock(),
  );
  try {
    await manager.start({ follow: false });
    const resumed = manager.status().rebuild;
    const { id } = resumed ?? (await manager.startRebuild({ plan, dryRun }));
    const timer = setInterval(() => show(manager.rebuildProgress(id)!), 250);
    await manager.whenRebuilt();
    clearInterval(timer);
    bar.stop();
    const outcome = manager.rebuildProgress(id)!;
    console.log(
      `rebuild ${id}: ${outcome.state}${outcome.error ? ` (${outcome.error})` : ''}, generation ${outcome.generation}`,
    );
    if (outcome.dryRun && outcome.state === 'succeeded') saveReport(id, manager.whatIfReport(id)!);
    return outcome.state === 'succeeded' ? 0 : 1;
  } finally {
    await manager.stop();
    await store.close();
  }
}

process.exitCode = (await serviceAnswers()) ? await viaService() : await offline();
