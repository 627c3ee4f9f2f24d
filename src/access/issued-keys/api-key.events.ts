// The events of keys issued over the API. Type strings are explicit constants, stored forever and never
// renamed. They live in one stream, `apikeys-ring`, so that the key ring is folded at start by reading one
// stream, not the whole log; the income fold ignores the category (it is not in LEDGER_CATEGORIES).
import type { RecordedEvent } from '../../event-store/event-store.port.js';
import { isInstant, type Instant } from '../../shared/time.js';
import { isConfigurableKeyName, isKeyName, parseScopes } from '../api-keys.js';

export const API_KEY_ISSUED = 'ApiKeyIssued';
export const API_KEY_REVOKED = 'ApiKeyRevoked';

export const API_KEYS_CATEGORY = 'apikeys';
export const KEY_RING_STREAM = `${API_KEYS_CATEGORY}-ring`;

/** A key was issued. Only the sha256 digest of its secret is stored: the secret was shown once. */
export interface ApiKeyIssuedData {
  readonly name: string;
  /** As in API_KEYS, in canonical order: `write+read=ana+admin`. */
  readonly scopes: string;
  /** Lower-case hex sha256 of the secret. */
  readonly digest: string;
  /** The name of the admin key that issued it. */
  readonly issuedBy: string;
  readonly issuedAt: Instant;
}

export interface ApiKeyRevokedData {
  readonly name: string;
  readonly revokedBy: string;
  readonly revokedAt: Instant;
}

export type ApiKeyEvent =
  | { readonly type: typeof API_KEY_ISSUED; readonly data: ApiKeyIssuedData }
  | { readonly type: typeof API_KEY_REVOKED; readonly data: ApiKeyRevokedData };

export type RecordedApiKeyEvent = ApiKeyEvent & { readonly revision: number; readonly position: string };

/** A stored key event that does not match the catalogue: the key ring refuses to guess. */
export class CorruptApiKeyEventError extends Error {
  constructor(recorded: Pick<RecordedEvent, 'stream' | 'revision' | 'type' | 'position'>, reason: string) {
    super(
      `event ${recorded.type} at ${recorded.stream}@${recorded.revision} (position ${recorded.position}): ${reason}`,
    );
    this.name = 'CorruptApiKeyEventError';
  }
}

const DIGEST_PATTERN = /^[0-9a-f]{64}$/;

export function decodeApiKeyEvent(recorded: RecordedEvent): RecordedApiKeyEvent {
  const fail = (reason: string): never => {
    throw new CorruptApiKeyEventError(recorded, reason);
  };
  const d =
    typeof recorded.data === 'object' && recorded.data !== null && !Array.isArray(recorded.data)
      ? (recorded.data as Record<string, unknown>)
      : fail('data is not an object');
  const name = (field: string): string => (isKeyName(d[field]) ? d[field] : fail(`${field} is not a key name`));
  const admin = (field: string): string =>
    isConfigurableKeyName(d[field]) ? d[field] : fail(`${field} is not a key name`);
  const instant = (field: string): Instant => {
    const v = d[field];
    return typeof v === 'string' && isInstant(v) ? v : fail(`${field} is not a canonical UTC instant`);
  };
  const at = { revision: recorded.revision, position: recorded.position };
  switch (recorded.type) {
    case API_KEY_ISSUED: {
      const scopes = typeof d.scopes === 'string' ? d.scopes : fail('scopes is not a string');
      if (typeof parseScopes(scopes) === 'string') fail('scopes do not parse');
      const digest = typeof d.digest === 'string' && DIGEST_PATTERN.test(d.digest) ? d.digest : fail('bad digest');
      const data = { name: name('name'), scopes, digest, issuedBy: admin('issuedBy'), issuedAt: instant('issuedAt') };
      return { ...at, type: API_KEY_ISSUED, data };
    }
    case API_KEY_REVOKED: {
      const data = { name: name('name'), revokedBy: admin('revokedBy'), revokedAt: instant('revokedAt') };
      return { ...at, type: API_KEY_REVOKED, data };
    }
    default:
      return fail('unknown event type');
  }
}

/**
 * Business keys. An issue's names its secret's digest too: two issues of one name racing each other then
 * have different event ids, so the store refuses the second (expected revision) rather than take it for a retry.
 */
export const apiKeyBusinessKey = {
  issue: (name: string, digest: string) => `apikey-issue:${name}/${digest}`,
  revoke: (name: string) => `apikey-revoke:${name}`,
};
