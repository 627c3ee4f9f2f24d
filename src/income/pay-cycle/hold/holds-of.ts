// A person's holds as the log tells them: each set, and its lift if it was lifted. Pure.
import { HOLD_LIFTED, HOLD_SET, type RecordedPayoutEvent } from '../../events.js';
import type { PersonHold } from './holds.answer.js';

/** The holds set on `personId`, in the order they were set, each with its lift (null while it stands). */
export function holdsOf(events: readonly RecordedPayoutEvent[], personId: string): PersonHold[] {
  const holds = new Map<string, PersonHold>();
  for (const event of events) {
    if (event.data.personId !== personId) continue;
    if (event.type === HOLD_SET) {
      const { holdId, reason, operator, setAt } = event.data;
      holds.set(holdId, { holdId, reason, operator, setAt, position: event.position, lifted: null });
    } else if (event.type === HOLD_LIFTED) {
      const hold = holds.get(event.data.holdId);
      const { outcome, reason, operator, liftedAt } = event.data;
      if (hold !== undefined) holds.set(hold.holdId, { ...hold, lifted: { outcome, reason, operator, liftedAt } });
    }
  }
  return [...holds.values()];
}
