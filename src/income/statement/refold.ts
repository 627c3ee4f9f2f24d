// Folds the log again, up to a position, into a scratch read model: how a statement is reproduced
// as a generation whose files have since been pruned figured it.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { comparePositions, type EventStore, type Position } from '../../event-store/event-store.port.js';
import type { Plan } from '../plan/plan.js';
import { ReadModel } from '../projection/read-model.js';

const READ_BATCH = 1000;

/** The folder of scratch read models under a read model folder. */
export function scratchDir(readModelDir: string): string {
  return join(readModelDir, 'scratch');
}

/** A scratch read model of the log up to `upTo` under `plan`; `use` reads it, then it is deleted. */
export async function withRefold<T>(
  store: EventStore,
  plan: Plan,
  dir: string,
  upTo: Position,
  use: (readModel: ReadModel) => T,
): Promise<T> {
  const path = join(scratchDir(dir), `${randomUUID()}.sqlite`);
  let readModel: ReadModel | undefined;
  try {
    readModel = new ReadModel(path);
    for (let after: Position | undefined; ;) {
      const events = await store.readAll({ after, maxCount: READ_BATCH });
      const within = events.filter((e) => comparePositions(e.position, upTo) <= 0);
      if (within.length > 0) readModel.applyBatch(within, plan);
      if (events.length < READ_BATCH || within.length < events.length) break;
      after = events[events.length - 1]!.position;
      await yieldToEventLoop(); // a long refold must not stall the service
    }
    return use(readModel);
  } finally {
    readModel?.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}
