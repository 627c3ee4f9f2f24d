// `npm run rebuild -- [--dry-run] [--plan FILE]`: folds the whole log into a new read model generation
// and switches to it once it has caught up; with --dry-run, reports per person what the plan (the
// configured one, or FILE) would change instead. If the service is running (it answers on HOST:PORT),
// the rebuild runs inside it (POST /projections/rebuilds) and this shows its progress; otherwise it runs
// here, on the same files, once it owns them (a service that does not answer on HOST:PORT but owns
// READ_MODEL_DIR is named, and nothing is touched). With access control on, it presents LEDGER_API_KEY,
// or else the first admin key of API_KEYS / API_KEYS_FILE.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig, apiKeysOf, loadAppConfig } from '../config/app-config.js';
import { describeEventStore, openEventStore } from '../event-store/event-store.module.js';
import { loadPlanFile, type LoadedPlan } from '../income/plan/plan-file.js';
import { buildWorkerOf } from '../income/generations/generation-build.js';
import { ProjectionManager, type RebuildProgress } from '../income/generations/projection-manager.js';
import { whatIfCsv, type WhatIfReport } from '../income/generations/what-if.js';
import { DataOwnership } from '../ownership/data-ownership.js';
import { SystemClock } from '../shared/clock.js';
import { RebuildProgressBar } from './rebuild-progress.js';
import { cliArguments, runCli } from './run-cli.js';

const USAGE = `npm run rebuild -- [--dry-run] [--plan FILE] [--offline]

Folds the whole event log into a new read model generation and switches the service to it once it has
caught up (blue/green: the serving generation keeps serving meanwhile).

  --dry-run     switch nothing: write a what-if report (per person, old and new income) to reports/
  --plan FILE   fold under the plan in FILE (default: PLAN_FILE, ${new AppConfig().PLAN_FILE})
  --offline     do not look for a running service; rebuild here
  --help        this text

If the service answers on HOST:PORT (default 127.0.0.1:3000) the rebuild runs inside it; set HOST and PORT
to where it listens. Otherwise it runs here, on EVENT_STORE_PATH (or EVENTSTORE_CONNECTION_STRING) and
READ_MODEL_DIR, and refuses if another process owns READ_MODEL_DIR. With access control on, set
LEDGER_API_KEY to a key with the admin scope.`;

interface Rebuild {
  readonly config: AppConfig;
  readonly plan: LoadedPlan;
  /** The --plan file, sent to the service as the candidate; without one the service uses its own plan. */
  readonly candidate: LoadedPlan | null;
  readonly dryRun: boolean;
  readonly serviceUrl: string;
  readonly authorization: Record<string, string>;
}

function rebuildOf(args: readonly string[]): Rebuild & { offline: boolean } {
  const { values } = cliArguments(
    'npm run rebuild',
    USAGE,
    {
      'dry-run': { type: 'boolean', default: false },
      plan: { type: 'string' },
      offline: { type: 'boolean', default: false },
    },
    args,
  );
  const config = loadAppConfig();
  const candidate = values.plan === undefined ? null : loadPlanFile(values.plan);
  const apiKey = config.LEDGER_API_KEY ?? apiKeysOf(config).find((key) => key.scopes.admin)?.secret;
  return {
    config,
    plan: candidate ?? loadPlanFile(config.PLAN_FILE),
    candidate,
    dryRun: values['dry-run'],
    offline: values.offline,
    serviceUrl: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`,
    authorization: apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` },
  };
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

function printOutcome(progress: RebuildProgress): number {
  const error = progress.error ? ` (${progress.error})` : '';
  console.log(`rebuild ${progress.id}: ${progress.state}${error}, generation ${progress.generation}`);
  return progress.state === 'succeeded' ? 0 : 1;
}

async function serviceAnswers(serviceUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${serviceUrl}/health/live`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function getJson<T>(rebuild: Rebuild, path: string): Promise<T> {
  return (await (await fetch(`${rebuild.serviceUrl}${path}`, { headers: rebuild.authorization })).json()) as T;
}

async function viaService(rebuild: Rebuild): Promise<number> {
  console.error(`the service answers at ${rebuild.serviceUrl}: the rebuild runs inside it`);
  const { dryRun, candidate } = rebuild;
  const started = await fetch(`${rebuild.serviceUrl}/projections/rebuilds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...rebuild.authorization },
    body: JSON.stringify(candidate ? { dryRun, plan: JSON.parse(candidate.json) as unknown } : { dryRun }),
  });
  const body = (await started.json()) as RebuildProgress & { code?: string; detail?: string };
  if (started.status !== 202) {
    console.error(`refused: ${started.status} ${body.code}: ${body.detail}`);
    if (started.status === 401 || started.status === 403)
      console.error('set LEDGER_API_KEY to a key with the admin scope (docs/security.md)');
    return 1;
  }
  const bar = new RebuildProgressBar();
  let progress: RebuildProgress = body;
  while (progress.state === 'running') {
    bar.show(progress);
    await new Promise((resolve) => setTimeout(resolve, 500));
    progress = await getJson<RebuildProgress>(rebuild, `/projections/rebuilds/${body.id}`);
  }
  bar.finish(progress);
  if (dryRun && progress.state === 'succeeded')
    saveReport(progress.id, await getJson<WhatIfReport>(rebuild, `/projections/rebuilds/${body.id}/report`));
  return printOutcome(progress);
}

async function offline(rebuild: Rebuild): Promise<number> {
  const { config, plan, dryRun } = rebuild;
  const ownership = DataOwnership.take(config, {
    role: 'rebuild',
    since: new SystemClock().now(),
    readModels: true,
    writesEventStore: false,
    hint:
      `no service answers at ${rebuild.serviceUrl}: if that process is the service, PORT (or HOST) is not where ` +
      'it listens: set them so, and the rebuild runs inside it; else stop it and run the rebuild again',
  });
  for (const message of ownership.takenOver) console.error(message);
  console.error(
    `the service does not answer at ${rebuild.serviceUrl}: rebuilding here, from ${describeEventStore(config)} into ${config.READ_MODEL_DIR}`,
  );
  const store = openEventStore(config);
  const manager = new ProjectionManager(
    store,
    plan,
    {
      dir: config.READ_MODEL_DIR,
      planChangeRebuild: 'manual',
      generationsKept: config.GENERATIONS_KEPT,
      worker: buildWorkerOf(config),
    },
    new Logger('Rebuild'),
    new SystemClock(),
  );
  try {
    await manager.start({ follow: false });
    const resumed = manager.status().rebuild;
    const { id } = resumed ?? (await manager.startRebuild({ plan, dryRun }));
    const bar = new RebuildProgressBar();
    const timer = setInterval(() => bar.show(manager.rebuildProgress(id)!), 250);
    await manager.whenRebuilt();
    clearInterval(timer);
    const outcome = manager.rebuildProgress(id)!;
    bar.finish(outcome);
    if (outcome.dryRun && outcome.state === 'succeeded') saveReport(id, manager.whatIfReport(id)!);
    return printOutcome(outcome);
  } finally {
    await manager.stop();
    await store.close();
    ownership.release();
  }
}

await runCli('npm run rebuild', async () => {
  const rebuild = rebuildOf(process.argv.slice(2));
  return !rebuild.offline && (await serviceAnswers(rebuild.serviceUrl)) ? viaService(rebuild) : offline(rebuild);
});
