// `npm run copy-log -- FROM TO`: copies the whole event log from one store to another, in order, then
// verifies counts and a digest. Each side is a SQLite file path or an EventStoreDB connection string.
// A SQLite target must not be owned by a running service (it is refused, naming the owner). Moving from
// the embedded store to EventStoreDB:
//   npm run copy-log -- data/events.sqlite 'esdb://localhost:2113?tls=false'
import 'reflect-metadata';
import { loadAppConfig } from '../config/app-config.js';
import { copyLog } from '../event-store/copy-log.js';
import { describeEventStore, openEventStore } from '../event-store/event-store.module.js';
import { DataOwnership } from '../ownership/data-ownership.js';
import { OperatorError } from '../shared/operator-error.js';
import { SystemClock } from '../shared/clock.js';
import { cliArguments, runCli } from './run-cli.js';

const USAGE = `npm run copy-log -- FROM TO

Copies the whole event log of FROM into TO, in order, then verifies both (event counts and a sha256 over
every event). FROM and TO are each a SQLite file (the embedded store, e.g. data/events.sqlite) or an
EventStoreDB connection string (esdb://host:2113?tls=false). TO should hold none of FROM's streams.
A SQLite TO that a running service owns is refused: stop the service first.

  --help   this text`;

await runCli('npm run copy-log', async () => {
  const { positionals } = cliArguments('npm run copy-log', USAGE, {});
  const [from, to, ...more] = positionals;
  if (from === undefined || to === undefined || more.length > 0)
    throw new OperatorError(
      `give two stores, FROM and TO (got ${positionals.length}): npm run copy-log -- data/events.sqlite 'esdb://localhost:2113?tls=false'`,
    );
  const side = (where: string) =>
    loadAppConfig(
      /^[a-z+]+:\/\//.test(where) ? { EVENTSTORE_CONNECTION_STRING: where } : { EVENT_STORE_PATH: where },
      {},
    );
  const [fromConfig, toConfig] = [side(from), side(to)];
  const ownership = DataOwnership.take(toConfig, {
    role: 'copy-log',
    since: new SystemClock().now(),
    readModels: false,
    writesEventStore: true,
    hint: 'stop it first: the log is copied into a store no one else writes',
  });
  const source = openEventStore(fromConfig);
  const target = openEventStore(toConfig);
  try {
    console.error(`copying the log of ${describeEventStore(fromConfig)} into ${describeEventStore(toConfig)}`);
    const report = await copyLog(source, target, (copied) => process.stderr.write(`\r  ${copied} events`));
    process.stderr.write('\n');
    console.log(JSON.stringify(report, null, 2));
    if (!report.verified) {
      console.error('NOT VERIFIED: the target log differs from the source (was the target empty of these streams?)');
      return 1;
    }
    console.error(`verified: ${report.target.events} events, sha256 ${report.target.digest}`);
    return 0;
  } finally {
    await source.close();
    await target.close();
    ownership.release();
  }
});
