// B11's stand-in server in a process of its own, so that its CPU time is reported apart from ours:
//   node dist-bench/bench/src/esdb-child.js
// The test-only fake EventStoreDB server (test/doubles/: NOT EventStoreDB; it says nothing of a real
// server's speed). Sends { connectionString } over IPC when listening; answers 'cpu' with
// { cpuMs } (this process's user + system time so far); stops on SIGINT.
import { startFakeEventStoreDb } from '../../test/doubles/fake-eventstoredb-server.js';

const server = await startFakeEventStoreDb();
const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
process.on('message', (message) => {
  if (message === 'cpu') process.send!({ cpuMs: cpuMs() });
});
process.on('SIGINT', () => {
  void server.stop().then(() => process.exit(0));
});
process.send!({ connectionString: server.connectionString });
