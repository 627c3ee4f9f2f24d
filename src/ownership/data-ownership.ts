// What a process owns while it runs: the read model folder, and (on the embedded store, when it
// writes) the event store file. The service takes both at start; `npm run rebuild` the folder;
// `npm run copy-log` the store it writes.
import { join } from 'node:path';
import { AppConfig } from '../config/app-config.js';
import { DataLock, describeOwner } from './data-lock.js';

/** The lock database inside READ_MODEL_DIR (the catalogue and generations sit beside it). */
export const readModelLockPath = (readModelDir: string): string => join(readModelDir, 'owner.sqlite');
/** The lock database beside the embedded event store's file. */
export const eventStoreLockPath = (eventStorePath: string): string => `${eventStorePath}.owner.sqlite`;

const SERVICE_HINT =
  'stop that process first (or point READ_MODEL_DIR / EVENT_STORE_PATH elsewhere); ' +
  'to rebuild inside a running service, run `npm run rebuild` with the PORT and HOST it listens on';

export class DataOwnership {
  private constructor(
    private readonly locks: readonly DataLock[],
    /** Messages about owners that had ended without releasing, whose locks were taken over. */
    readonly takenOver: readonly string[],
  ) {}

  /**
   * Takes what `role` needs of `config`'s data, or throws DataOwnedError naming the live owner.
   * `readModels`: READ_MODEL_DIR; `writesEventStore`: the embedded event store's file (never an
   * EventStoreDB, whose server orders its writers, nor `:memory:`, which no other process can open).
   */
  static take(
    config: AppConfig,
    options: { role: string; since: Date; readModels: boolean; writesEventStore: boolean; hint?: string },
  ): DataOwnership {
    const me = { role: options.role, since: options.since.toISOString() };
    const hint = options.hint ?? SERVICE_HINT;
    const wanted: [string, string][] = [];
    if (options.readModels)
      wanted.push([readModelLockPath(config.READ_MODEL_DIR), `the read model folder ${config.READ_MODEL_DIR}`]);
    if (options.writesEventStore && !config.EVENTSTORE_CONNECTION_STRING && config.EVENT_STORE_PATH !== ':memory:')
      wanted.push([eventStoreLockPath(config.EVENT_STORE_PATH), `the event store ${config.EVENT_STORE_PATH}`]);
    const locks: DataLock[] = [];
    try {
      for (const [path, what] of wanted) locks.push(DataLock.acquire(path, me, what, hint));
    } catch (error) {
      for (const lock of locks) lock.release();
      throw error;
    }
    const takenOver = locks.flatMap((lock, i) =>
      lock.previous === null || lock.previous.pid === process.pid
        ? []
        : [`${wanted[i]![1]}: took over from ${describeOwner(lock.previous)}, which has ended`],
    );
    return new DataOwnership(locks, takenOver);
  }

  release(): void {
    for (const lock of this.locks) lock.release();
  }
}
