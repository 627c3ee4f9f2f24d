// A what-if report reads every line of two generations (two GROUP BYs each, then a sort of every
// person's rows): seconds of CPU at 1M events. It is made in a worker thread of its own
// (what-if-report.worker.ts), which opens both files read-only, so that it never runs on the thread
// that answers HTTP; in this thread only where the worker is not compiled (under ts-jest), as builds do.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Position } from '../../event-store/event-store.port.js';
import type { WhatIfReport } from './what-if.js';
import { whatIfReportOf, type QueryFile } from './what-if.query.js';

export interface WhatIfRequest {
  /** The generation files compared: the serving one and the candidate's. */
  readonly paths: { readonly current: string; readonly candidate: string };
  readonly plans: { readonly current: string; readonly candidate: string };
  readonly upTo: Position | null;
}

const WORKER = new URL('./what-if-report.worker.js', import.meta.url);

export function makeWhatIfReport(
  request: WhatIfRequest,
  open: { readonly current: QueryFile; readonly candidate: QueryFile },
): Promise<WhatIfReport> {
  if (!existsSync(fileURLToPath(WORKER))) return Promise.resolve(whatIfReportOf(open, request.plans, request.upTo));
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: request });
    worker.once('message', (report: WhatIfReport) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the what-if report's worker ended (exit code ${code})`)));
  });
}
