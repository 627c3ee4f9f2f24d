// A what-if report reads every line of two generations (two GROUP BYs each, then a sort of every
// person's rows): seconds of CPU at 1M events. It is made in a worker thread of its own
// (what-if-report.worker.ts), which opens both files read-only, so that it never runs on the thread
// that answers HTTP; in this thread only where the worker is not compiled (under ts-jest), as builds do.
// The worker hands the report over as the JSON the catalogue keeps: this thread then neither rebuilds
// its objects from the message nor stringifies them again (a row per person, currency and kind).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Position } from '../../event-store/event-store.port.js';
import { whatIfReportOf, type QueryFile } from './what-if.query.js';

export interface WhatIfRequest {
  /** The generation files compared: the serving one and the candidate's. */
  readonly paths: { readonly current: string; readonly candidate: string };
  readonly plans: { readonly current: string; readonly candidate: string };
  readonly upTo: Position | null;
}

const WORKER = new URL('./what-if-report.worker.js', import.meta.url);

/** The report (WhatIfReport) as JSON. */
export function makeWhatIfReport(
  request: WhatIfRequest,
  open: { readonly current: QueryFile; readonly candidate: QueryFile },
): Promise<string> {
  if (!existsSync(fileURLToPath(WORKER)))
    return Promise.resolve(JSON.stringify(whatIfReportOf(open, request.plans, request.upTo)));
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: request });
    worker.once('message', (reportJson: string) => resolve(reportJson));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the what-if report's worker ended (exit code ${code})`)));
  });
}
