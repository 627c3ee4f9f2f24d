import { v5 as uuidV5 } from 'uuid';

/**
 * Ids of people, sales, subscriptions, renewals, clicks: 1 to 64 of A-Z a-z 0-9 . _ : -, but not `.` or
 * `..`, which a client or proxy that normalises paths turns into another URL (`/people/../income`).
 */
export const ID_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._:-]{1,64}$/;

/** What an id must be, in the words every refusal of one uses. */
export const ID_RULE = '1 to 64 of A-Z a-z 0-9 . _ : -, and not . or ..';

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/**
 * Ids as stored events may hold them: `.` and `..` were accepted before they were refused, and a fact
 * once recorded stays readable.
 */
const STORED_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

export function isStoredId(value: unknown): value is string {
  return typeof value === 'string' && STORED_ID_PATTERN.test(value);
}

/** Fixed namespace for this ledger's deterministic event ids. Never change it. */
const EVENT_ID_NAMESPACE = '6f1c9a52-4be1-4c57-9d0e-3f3c2a7c1e55';

/**
 * The event id for an event type and the business key of the command that caused it.
 * The same command always yields the same id, so a retried append is recognisable.
 */
export function eventIdFor(eventType: string, businessKey: string): string {
  return uuidV5(`${eventType}/${businessKey}`, EVENT_ID_NAMESPACE);
}
