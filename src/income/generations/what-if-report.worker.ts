// The worker thread of a what-if report (what-if-report.ts): both generation files opened read-only,
// the report made, posted as JSON, and the thread ends. Each file's totals are a scan and a sort of
// all its lines, so the serving generation's are summed in a second thread of this module while this
// one sums the candidate's: the report takes about one file's time on two cores, not two files' on one.
import Database from 'better-sqlite3';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Position } from '../../event-store/event-store.port.js';
import type { WhatIfRequest } from './what-if-report.js';
import type { WhatIfReport } from './what-if.js';
import { emptyReport, generationTotals, reportOf, type GenerationTotals, type QueryFile } from './what-if.query.js';

/** What the second thread is given: one file, and the position its totals stop at. */
interface TotalsRequest {
  readonly path: string;
  readonly upTo: Position;
}

/** A read-only connection answering as ReadModel.prepareQuery does (integers as bigint). */
function readOnly(db: Database.Database): QueryFile {
  return { prepareQuery: <P extends unknown[], R>(sql: string) => db.prepare<P, R>(sql).safeIntegers(true) };
}

function totalsOf(path: string, upTo: Position): GenerationTotals {
  const file = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return generationTotals(readOnly(file), upTo);
  } finally {
    file.close();
  }
}

/** One file's totals in a thread of this module's own (its Maps cross by structured clone). */
function totalsInAnotherThread(request: TotalsRequest): Promise<GenerationTotals> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: request });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the what-if totals' thread ended (exit code ${code})`)));
  });
}

async function report(request: WhatIfRequest): Promise<WhatIfReport> {
  const { paths, plans, upTo } = request;
  if (upTo === null) return emptyReport(plans);
  const current = totalsInAnotherThread({ path: paths.current, upTo });
  current.catch(() => undefined); // awaited below; a failure of this thread's own file comes first
  const candidate = totalsOf(paths.candidate, upTo);
  return reportOf(await current, candidate, plans, upTo);
}

const data = workerData as WhatIfRequest | TotalsRequest;
parentPort!.postMessage('path' in data ? totalsOf(data.path, data.upTo) : JSON.stringify(await report(data)));
