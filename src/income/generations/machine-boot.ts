// Which boot of the machine this is. A generation file built without fsyncs is whole after a killed
// process (the kernel still holds what was written) but may be torn after a power cut: a build
// begun in another boot is started again rather than resumed.
import { readFileSync } from 'node:fs';

let cached: string | null | undefined;

/** The kernel's id of this boot, or null where there is none to read (not Linux). */
export function machineBootId(): string | null {
  if (cached === undefined) {
    try {
      cached = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      cached = null;
    }
  }
  return cached;
}
