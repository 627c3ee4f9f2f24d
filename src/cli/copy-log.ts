// `npm run copy-log -- <from> <to>`: copies the whole event log from one store to another, in
// order, then verifies counts and a digest. Each side is a SQLite file path or an EventStoreDB
// connection string. Moving from the embedded store to EventStoreDB:
//   npm run copy-log -- data/events.sqlite 'esdb://localhost:2113?tls=false'
import 'reflect-metadata';
import { loadAppConfig } from '../config/app-config.js';
import { copyLog } from '../event-store/copy-log.js';
import { describeEventStore, openEventStore } from '../event-store/event-store.module.js';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: npm run copy-log -- <from: SQLite file or esdb:// connection string> <to: the same>');
  process.exit(2);
}

const side = (where: string) =>
  loadAppConfig(
    /^[a-z+]+:\/\//.test(where) ? { EVENTSTORE_CONNECTION_STRING: where } : { EVENT_STORE_PATH: where },
    {},
  );
const [fromConfig, toConfig] = [side(from), side(to)];
const source = openEventStore(fromConfig);
const target = openEventStore(toConfig);
try {
  console.error(`copying the log of ${describeEventStore(fromConfig)} into ${describeEventStore(toConfig)}`);
  const report = await copyLog(source, target, (copied) => process.stderr.write(`\r  ${copied} events`));
  process.stderr.write('\n');
  console.log(JSON.stringify(report, null, 2));
  if (!report.verified) {
    console.error('NOT VERIFIED: the target log differs from the source (was the target empty of these streams?)');
    process.exitCode = 1;
  } else {
    console.error(`verified: ${report.target.events} events, sha256 ${report.target.digest}`);
  }
} finally {
  await source.close();
  await target.close();
}
