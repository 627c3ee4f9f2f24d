// A child process for test/cli/rebuild-writer.spec.ts: folds a log into a generation being built with
// its writer thread (dist/, where the thread's worker is compiled), and prints what the fold saw, as JSON.
//   node test/support/writer-failure.mjs refused-row LOG_JSON PLAN_FILE GENERATION_FILE PERSON
//     batches of one event, while a trigger in the file refuses PERSON's row; then again without it
//   node test/support/writer-failure.mjs failed-fold LOG_JSON PLAN_FILE GENERATION_FILE
//     the whole log as one batch, whose last event the fold cannot read; then the batch without it
//   node test/support/writer-failure.mjs redelivered LOG_JSON PLAN_FILE GENERATION_FILE
//     batches of 1 to 7 events, each delivering up to 2 again, committed 7 events at a time; once, past the
//     middle, a batch ends in an unreadable copy of its last event, and the fold goes on from the checkpoint
//   node test/support/writer-failure.mjs unloadable LOG_JSON PLAN_FILE GENERATION_FILE
//     batches of one event, the writer thread's module one that throws as it loads (unloadable-writer.mjs)
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';

const [scenario, logJson, planFile, path, refused] = process.argv.slice(2);
const dist = (module) => import(resolve('dist', module));
const { ReadModel } = await dist('income/read-model/read-model.js');
const { WriterThread } = await dist('income/read-model/read-model-writer.js');
const { loadPlanFile } = await dist('income/plan/plan-file.js');

const log = JSON.parse(readFileSync(logJson, 'utf8'));
const plan = loadPlanFile(planFile).plan;
const readModel = new ReadModel(path, { building: true });
const eventsPerCommit = scenario === 'redelivered' ? 7 : 1;
const writerModule =
  scenario === 'unloadable' ? pathToFileURL(resolve('test/support/unloadable-writer.mjs')) : undefined;
readModel.writeThrough((checkpoint) => new WriterThread(path, checkpoint, writerModule), { eventsPerCommit });

/** The batches in order, up to the first failure; that failure, and the checkpoint committed just after it. */
function fold(batches) {
  for (const batch of batches) {
    try {
      readModel.applyBatch(batch, plan);
    } catch (error) {
      return { error: error.message, checkpoint: readModel.checkpoint() };
    }
  }
  return { error: null, checkpoint: readModel.checkpoint() };
}

const seen = {};
if (scenario === 'refused-row') {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE refused (person_id TEXT NOT NULL);
    CREATE TRIGGER refuse_person BEFORE INSERT ON people WHEN NEW.person_id IN (SELECT person_id FROM refused)
    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`);
  db.prepare('INSERT INTO refused (person_id) VALUES (?)').run(refused);
  const oneByOne = log.map((event) => [event]);
  seen.refused = fold(oneByOne);
  db.prepare('DELETE FROM refused').run();
  db.close();
  seen.again = fold(oneByOne); // the projector's way after a failure: the log again from the checkpoint
} else if (scenario === 'failed-fold') {
  seen.failed = fold([log]);
  seen.linesAfterFailure = new Database(path).prepare('SELECT COUNT(*) AS n FROM income_lines').get().n;
  seen.again = fold([log.slice(0, -1)]);
} else if (scenario === 'redelivered') {
  seen.failures = [];
  let random = 7; // a fixed sequence: the same batches on every run
  const next = (n) => ((random = (random * 48271) % 2147483647), random % n);
  for (let from = 0, failed = false; from < log.length;) {
    const to = Math.min(log.length, from + 1 + next(7));
    const batch = log.slice(Math.max(0, from - next(3)), to);
    if (!failed && from > log.length / 2) {
      failed = true;
      const last = batch.at(-1);
      // whichever of them its type has
      const times = {
        occurredAt: 'not a time',
        renewedAt: 'not a time',
        refundedAt: 'not a time',
        convertedAt: 'not a time',
      };
      batch[batch.length - 1] = { ...last, data: { ...last.data, ...times } };
    }
    try {
      readModel.applyBatch(batch, plan);
      from = to;
    } catch (error) {
      const checkpoint = readModel.checkpoint(); // where the projector would read the log from again
      seen.failures.push({ error: error.message, checkpoint, failedAt: batch.at(-1).position });
      from = checkpoint === null ? 0 : log.findIndex((event) => event.position === checkpoint) + 1;
    }
  }
} else if (scenario === 'unloadable') {
  seen.failed = fold(log.map((event) => [event]));
  try {
    readModel.close();
    seen.closed = null;
  } catch (error) {
    seen.closed = error.message;
  }
  console.log(JSON.stringify(seen));
  process.exit(0);
} else {
  throw new Error(`no scenario ${scenario}`);
}
readModel.finishBuild({ indexes: true });
readModel.close();
console.log(JSON.stringify(seen));
