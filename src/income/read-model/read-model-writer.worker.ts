// The writer thread of a generation build (read-model-writer.ts): writes the rows it is handed, in
// order, commits a batch with its checkpoint, and counts each message handled in the shared state.
import { workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../../shared/thread-priority.js';
import { CLOSED, FAILED, HANDLED, STATE, type WriterData, type WriterMessage } from './read-model-writer.js';
import { ReadModel } from './read-model.js';

const data = workerData as WriterData;
const state = new Int32Array(data.state);
const port = data.port;

function fail(error: unknown): void {
  port.postMessage({ error: error instanceof Error ? error.message : String(error) });
  Atomics.store(state, STATE, FAILED);
  Atomics.notify(state, HANDLED);
  Atomics.notify(state, STATE);
  port.close();
}

function handle(readModel: ReadModel, message: WriterMessage): 'open' | 'closed' {
  switch (message.type) {
    case 'rows':
      readModel.writeHandedRows(message.rows);
      return 'open';
    case 'rollback':
      readModel.rollbackHandedRows();
      return 'open';
    case 'finish':
      readModel.rollbackHandedRows();
      readModel.finishBuild({ indexes: message.indexes });
      readModel.close();
      return 'closed';
    case 'close':
      readModel.close(); // an open transaction is rolled back
      return 'closed';
  }
}

lowerThreadPriority();
let readModel: ReadModel | null = null;
try {
  readModel = new ReadModel(data.path, { building: true });
} catch (error) {
  fail(error);
}
port.on('message', (message: WriterMessage) => {
  if (readModel === null) return;
  try {
    const after = handle(readModel, message);
    if (after === 'closed') readModel = null;
    Atomics.add(state, HANDLED, 1);
    Atomics.notify(state, HANDLED);
    if (after === 'open') return;
    Atomics.store(state, STATE, CLOSED);
    Atomics.notify(state, STATE);
    port.close();
  } catch (error) {
    readModel?.close();
    readModel = null;
    fail(error);
  }
});
