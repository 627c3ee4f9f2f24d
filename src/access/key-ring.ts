// The configured keys and those issued over the API, held as sha256 digests, and who presented which. Matching compares the digest of
// the presented secret with every key's digest in constant time and never stops early, so neither the
// length of a secret nor how many leading characters matched shows in the answer time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiKeyEntry, Scopes } from './api-keys.js';

export interface ApiKey {
  readonly name: string;
  readonly scopes: Scopes;
}

interface HeldKey extends ApiKey {
  readonly digest: Buffer;
}

const digestOf = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/** The digest a secret is stored as (lower-case hex sha256): never the secret itself. */
export const secretDigestOf = (secret: string): string => digestOf(secret).toString('hex');

/** A key issued over the API, as the key ring holds it: its digest, never its secret. */
export interface IssuedApiKey extends ApiKey {
  /** Lower-case hex sha256 of the secret. */
  readonly digest: string;
}

export class KeyRing {
  private readonly configured: readonly HeldKey[];
  private issued: readonly HeldKey[] = [];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.configured = entries.map(({ name, scopes, secret }) => ({ name, scopes, digest: digestOf(secret) }));
  }

  /**
   * Access control is on when at least one key is configured. Keys issued over the API do not switch it
   * on: they are issued by a configured admin key, and a service started without keys stays open, as announced.
   */
  get enabled(): boolean {
    return this.configured.length > 0;
  }

  /** The keys from configuration (API_KEYS, API_KEYS_FILE), without their digests. */
  get configuredKeys(): readonly ApiKey[] {
    return this.configured.map(({ name, scopes }) => ({ name, scopes }));
  }

  /** From now on, these issued keys (and no others) are admitted beside the configured ones. */
  admitIssued(keys: readonly IssuedApiKey[]): void {
    this.issued = keys.map(({ name, scopes, digest }) => ({ name, scopes, digest: Buffer.from(digest, 'hex') }));
  }

  /** The key whose secret this is, or null. Looks at every key whatever it finds. */
  identify(secret: string): ApiKey | null {
    const presented = digestOf(secret);
    let found: HeldKey | null = null;
    for (const keys of [this.configured, this.issued]) {
      for (const key of keys) {
        const same = timingSafeEqual(presented, key.digest);
        if (same && found === null) found = key;
      }
    }
    return found === null ? null : { name: found.name, scopes: found.scopes };
  }
}

export type Credential =
  { readonly kind: 'none' } | { readonly kind: 'malformed' } | { readonly kind: 'secret'; readonly secret: string };

/**
 * The secret a request presents: `Authorization: Bearer <secret>` or `x-api-key: <secret>`. Both at once,
 * or another authorization scheme, is malformed (answered 401 like a wrong key).
 */
export function credentialOf(headers: IncomingHttpHeaders): Credential {
  const authorization = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (authorization === undefined && apiKey === undefined) return { kind: 'none' };
  if (authorization !== undefined && apiKey !== undefined) return { kind: 'malformed' };
  if (apiKey !== undefined)
    return typeof apiKey === 'string' && apiKey.length > 0 ? { kind: 'secret', secret: apiKey } : { kind: 'malformed' };
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  return match === null ? { kind: 'malformed' } : { kind: 'secret', secret: match[1]! };
}
