// Issuing and revoking keys: pure decisions over the folded key ring stream. No Nest, no store, no
// clock, no crypto: the secret's digest and the time arrive in the command.
import { LedgerError } from '../../shared/errors.js';
import type { Instant } from '../../shared/time.js';
import { API_KEY_ISSUED, API_KEY_REVOKED, type ApiKeyEvent, type RecordedApiKeyEvent } from './api-key.events.js';

/** One issued key as the log tells it: who issued it when, and who revoked it when, if anyone did. */
export interface IssuedKey {
  readonly name: string;
  readonly scopes: string;
  readonly digest: string;
  readonly issuedBy: string;
  readonly issuedAt: Instant;
  readonly revokedBy: string | null;
  readonly revokedAt: Instant | null;
}

export interface KeyRingState {
  /** Issued keys by name, in the order they were issued. */
  readonly keys: ReadonlyMap<string, IssuedKey>;
  /** Revision of the last event folded, or null when the stream does not exist yet. */
  readonly revision: number | null;
}

/**
 * At most this many issued keys in force at once. Every request's key is compared with every key in
 * constant time (about 0.8 ms per request at 10,000 keys on our machines, twice per request: the rate
 * limit and the guard), so the count is bounded; revoking keys makes room.
 */
export const ISSUED_KEYS_IN_FORCE_MAX = 10_000;

export const EMPTY_KEY_RING: KeyRingState = { keys: new Map(), revision: null };

/** Folds events of the key ring stream, in order, into the state (one copy of the map per call, not per event). */
export function fold(state: KeyRingState, events: readonly RecordedApiKeyEvent[]): KeyRingState {
  if (events.length === 0) return state;
  const keys = new Map(state.keys);
  for (const event of events) apply(keys, event);
  return { keys, revision: events[events.length - 1]!.revision };
}

function apply(keys: Map<string, IssuedKey>, event: RecordedApiKeyEvent): void {
  switch (event.type) {
    case API_KEY_ISSUED:
      keys.set(event.data.name, { ...event.data, revokedBy: null, revokedAt: null });
      return;
    case API_KEY_REVOKED: {
      const key = keys.get(event.data.name);
      // The decider only revokes issued keys: a stream that says otherwise was not written by this service.
      if (key === undefined) throw new Error(`key ring stream: ${event.data.name} revoked before it was issued`);
      keys.set(event.data.name, { ...key, revokedBy: event.data.revokedBy, revokedAt: event.data.revokedAt });
      return;
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown key event ${JSON.stringify(unknown)}`);
    }
  }
}

export interface IssueKey {
  readonly name: string;
  readonly scopes: string;
  readonly digest: string;
  readonly issuedBy: string;
  readonly now: Instant;
}

export interface RevokeKey {
  readonly name: string;
  readonly revokedBy: string;
  readonly now: Instant;
}

/** A name is issued once, ever, and never one that configuration already uses. */
export function decideIssueKey(command: IssueKey, state: KeyRingState, configured: ReadonlySet<string>): ApiKeyEvent[] {
  if (configured.has(command.name))
    throw new LedgerError('API_KEY_NAME_TAKEN', `a key from configuration is named "${command.name}"`, {
      name: command.name,
    });
  const existing = state.keys.get(command.name);
  if (existing !== undefined)
    throw new LedgerError(
      'API_KEY_NAME_TAKEN',
      `a key named "${command.name}" was issued at ${existing.issuedAt}${existing.revokedAt === null ? '' : ' and since revoked'}; names are never reused`,
      { name: command.name },
    );
  const inForce = [...state.keys.values()].filter((key) => key.revokedAt === null).length;
  if (inForce >= ISSUED_KEYS_IN_FORCE_MAX)
    throw new LedgerError(
      'API_KEYS_LIMIT_REACHED',
      `${inForce} issued keys are in force, the most there may be; revoke keys that are no longer used`,
      { inForce },
    );
  const { name, scopes, digest, issuedBy, now } = command;
  return [{ type: API_KEY_ISSUED, data: { name, scopes, digest, issuedBy, issuedAt: now } }];
}

/** Revoking a revoked key decides nothing (a retry); keys from configuration are revoked there. */
export function decideRevokeKey(
  command: RevokeKey,
  state: KeyRingState,
  configured: ReadonlySet<string>,
): ApiKeyEvent[] {
  if (configured.has(command.name))
    throw new LedgerError(
      'API_KEY_CONFIGURED',
      `the key "${command.name}" comes from configuration (API_KEYS or API_KEYS_FILE): remove it there and restart`,
      { name: command.name },
    );
  const key = state.keys.get(command.name);
  if (key === undefined)
    throw new LedgerError('API_KEY_UNKNOWN', `no key named "${command.name}" was issued`, { name: command.name });
  if (key.revokedAt !== null) return [];
  return [
    { type: API_KEY_REVOKED, data: { name: command.name, revokedBy: command.revokedBy, revokedAt: command.now } },
  ];
}
