import { setPriority } from 'node:os';

/** The lowest scheduling priority (nice 19). */
const BACKGROUND = 19;

/**
 * Lowers the calling thread's scheduling priority, for work done in the background (a generation
 * build): the thread that answers HTTP gets a core first whenever it wants one. Linux only, where a
 * nice value belongs to a thread; elsewhere it belongs to the whole process, the service with it.
 */
export function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(BACKGROUND);
  } catch {
    // a sandbox may refuse it: the work is the same, only less polite
  }
}
