// API keys issued over the API: the audit trail is their events, in one stream. Pure: no Nest, no store,
// no clock, no crypto (the secret's digest and the time arrive in the command).
import { LedgerError } from '../../shared/errors.js';
import { describeScopes, type Scopes } from '../api-keys.js';

export const API_KEYS_STREAM = 'apikeys-registry';
export const API_KEY_ISSUED = 'ApiKeyIssued';
export const API_KEY_REVOKED = 'ApiKeyRevoked';

export type IssuedKeyEvent =
  | {
      readonly type: typeof API_KEY_ISSUED;
      readonly data: { name: string; scopes: string; digest: string; issuedBy: string; issuedAt: string };
    }
  | { readonly type: typeof API_KEY_REVOKED; readonly data: { name: string; revokedBy: string; revokedAt: string } };

export interface IssuedKey {
  readonly name: string;
  /** As written: `read=ana`, `write+read`. */
  readonly scopes: string;
  /** sha256 of the secret, hex; the secret itself is never stored. */
  readonly digest: string;
  readonly issuedBy: string;
  readonly issuedAt: string;
  readonly revokedBy: string | null;
  readonly revokedAt: string | null;
}

export type IssuedKeys = ReadonlyMap<string, IssuedKey>;

export function evolve(keys: IssuedKeys, event: IssuedKeyEvent): IssuedKeys {
  const next = new Map(keys);
  switch (event.type) {
    case API_KEY_ISSUED:
      next.set(event.data.name, { ...event.data, revokedBy: null, revokedAt: null });
      return next;
    case API_KEY_REVOKED: {
      const key = next.get(event.data.name);
      if (key !== undefined) next.set(key.name, { ...key, ...event.data });
      return next;
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown key event ${JSON.stringify(unknown)}`);
    }
  }
}

export interface IssueKey {
  readonly name: string;
  readonly scopes: Scopes;
  readonly digest: string;
  readonly by: string;
  readonly at: string;
}

/** A name is never used twice, not even after its key was revoked: the audit trail stays unambiguous. */
export function decideIssue(keys: IssuedKeys, configured: ReadonlySet<string>, command: IssueKey): IssuedKeyEvent[] {
  if (configured.has(command.name) || keys.has(command.name))
    throw new LedgerError('KEY_NAME_TAKEN', `a key named ${command.name} exists or existed`, { name: command.name });
  const { name, digest, by, at } = command;
  return [
    {
      type: API_KEY_ISSUED,
      data: { name, scopes: describeScopes(command.scopes), digest, issuedBy: by, issuedAt: at },
    },
  ];
}

/** Revoking a revoked key again decides nothing; a key from configuration is revoked there, not here. */
export function decideRevoke(
  keys: IssuedKeys,
  configured: ReadonlySet<string>,
  command: { name: string; by: string; at: string },
): IssuedKeyEvent[] {
  if (configured.has(command.name))
    throw new LedgerError('KEY_FROM_CONFIGURATION', `${command.name} comes from API_KEYS; remove it there`, {
      name: command.name,
    });
  const key = keys.get(command.name);
  if (key === undefined) throw new LedgerError('KEY_UNKNOWN', `no issued key ${command.name}`, { name: command.name });
  if (key.revokedAt !== null) return [];
  return [{ type: API_KEY_REVOKED, data: { name: command.name, revokedBy: command.by, revokedAt: command.at } }];
}

/** A stored event back to a key event; anything else in the stream is a broken invariant. */
export function decodeKeyEvent(type: string, data: unknown): IssuedKeyEvent {
  const d = data as Record<string, unknown>;
  const text = (field: string) => {
    if (typeof d[field] !== 'string') throw new Error(`${type} without ${field} in ${API_KEYS_STREAM}`);
    return d[field];
  };
  if (type === API_KEY_ISSUED)
    return {
      type,
      data: {
        name: text('name'),
        scopes: text('scopes'),
        digest: text('digest'),
        issuedBy: text('issuedBy'),
        issuedAt: text('issuedAt'),
      },
    };
  if (type === API_KEY_REVOKED)
    return { type, data: { name: text('name'), revokedBy: text('revokedBy'), revokedAt: text('revokedAt') } };
  throw new Error(`unknown event ${type} in ${API_KEYS_STREAM}`);
}
