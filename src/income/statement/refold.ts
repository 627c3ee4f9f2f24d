// Folds the log again, up to a position, into a scratch read model: how a statement is reproduced
// as a generation whose files have since been pruned figured it. The fold runs where rebuilds do
// (a worker thread when the log can be opened there), and stops when its client has gone.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { EventStore, Position } from '../../event-store/event-store.port.js';
import type { Plan } from '../plan/plan.js';
import { BuildStoppedError, startBuild, type BuildWorkerOptions } from '../generations/generation-build.js';
import { ReadModel } from '../read-model/read-model.js';

/** The folder of scratch read models under a read model folder. */
export function scratchDir(readModelDir: string): string {
  return join(readModelDir, 'scratch');
}

export interface RefoldOptions {
  /** How the fold runs off this thread (where its worker opens the log); none: in this thread, between other work. */
  readonly worker?: BuildWorkerOptions;
  /** Aborted when the answer is no longer wanted: the fold stops and nothing is read. */
  readonly signal?: AbortSignal;
  readonly logger: LoggerService;
}

/** A scratch read model of the log up to `upTo` under `plan`; `use` reads it, then it is deleted. */
export async function withRefold<T>(
  store: EventStore,
  plan: { readonly plan: Plan; readonly json: string },
  dir: string,
  upTo: Position,
  use: (readModel: ReadModel) => T,
  options: RefoldOptions,
): Promise<T> {
  if (options.signal?.aborted) throw new BuildStoppedError(); // gone while it waited for its turn
  const path = join(scratchDir(dir), `${randomUUID()}.sqlite`);
  let readModel: ReadModel | undefined;
  const build = startBuild({ path, plan, indexes: true, name: 'refold', upTo }, store, options.worker, options.logger);
  const stop = () => void build.stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    await build.built;
    readModel = new ReadModel(path);
    return use(readModel);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await build.stop();
    readModel?.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}
