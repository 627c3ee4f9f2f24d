// The worker thread of a what-if report (what-if-report.ts): both generation files opened read-only,
// the report made, posted, and the thread ends.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { WhatIfRequest } from './what-if-report.js';
import { whatIfReportOf, type QueryFile } from './what-if.query.js';

const request = workerData as WhatIfRequest;

/** A read-only connection answering as ReadModel.prepareQuery does (integers as bigint). */
function readOnly(db: Database.Database): QueryFile {
  return { prepareQuery: <P extends unknown[], R>(sql: string) => db.prepare<P, R>(sql).safeIntegers(true) };
}

const open = (path: string) => new Database(path, { readonly: true, fileMustExist: true });
const [current, candidate] = [open(request.paths.current), open(request.paths.candidate)];
try {
  const report = whatIfReportOf(
    { current: readOnly(current), candidate: readOnly(candidate) },
    request.plans,
    request.upTo,
  );
  parentPort!.postMessage(report);
} finally {
  current.close();
  candidate.close();
}
