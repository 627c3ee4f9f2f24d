import type { EventStore, Position } from '../../event-store/event-store.port.js';
import type { LoadedPlan } from '../plan/plan-file.js';
import type { ReadModel } from './read-model.js';

export interface RebuildProgress {
  readonly events: number;
  readonly position: Position | null;
}

const READ_BATCH = 5000;

/**
 * Replays the whole log into emptied read models, in one transaction on a connection of its
 * own: readers see the old figures until the new ones are complete, and a crash leaves the old
 * ones in place. A service running meanwhile waits for the write lock and then carries on from
 * the new checkpoint.
 */
export async function rebuildReadModel(
  store: EventStore,
  readModel: ReadModel,
  loaded: LoadedPlan,
  onProgress: (progress: RebuildProgress) => void = () => {},
): Promise<RebuildProgress> {
  const stamp = { version: loaded.plan.version, fingerprint: loaded.fingerprint };
  return readModel.exclusively(async () => {
    readModel.clear();
    let after: Position | undefined;
    let events = 0;
    for (;;) {
      const batch = await store.readAll({ after, maxCount: READ_BATCH });
      if (batch.length === 0) break;
      readModel.applyBatch(batch, loaded.plan, stamp);
      events += batch.length;
      after = batch[batch.length - 1]!.position;
      onProgress({ events, position: after });
    }
    return { events, position: after ?? null };
  });
}
