// The configured keys, held as sha256 digests, and who presented which. Matching compares the digest of
// the presented secret with every key's digest in constant time and never stops early, so neither the
// length of a secret nor how many leading characters matched shows in the answer time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describeScopes, type ApiKeyEntry, type Scopes } from './api-keys.js';

export interface ApiKey {
  readonly name: string;
  readonly scopes: Scopes;
}

interface HeldKey extends ApiKey {
  readonly digest: Buffer;
}

export const digestOf = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

export class KeyRing {
  private readonly configured: readonly HeldKey[];
  private keys: readonly HeldKey[];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.configured = entries.map(({ name, scopes, secret }) => ({ name, scopes, digest: digestOf(secret) }));
    this.keys = this.configured;
  }

  /** The names of the keys from configuration (API_KEYS, API_KEYS_FILE). */
  get configuredNames(): ReadonlySet<string> {
    return new Set(this.configured.map((k) => k.name));
  }

  /** A configured key's scopes, as written (`write+read=ana`). */
  scopesOf(name: string): string | undefined {
    const key = this.configured.find((k) => k.name === name);
    return key === undefined ? undefined : describeScopes(key.scopes);
  }

  /** The keys issued over the API and not revoked, beside the configured ones; takes effect at once. */
  useIssued(issued: readonly (ApiKey & { readonly digestHex: string })[]): void {
    const held = issued.map(({ name, scopes, digestHex }) => ({ name, scopes, digest: Buffer.from(digestHex, 'hex') }));
    this.keys = [...this.configured, ...held];
  }

  /** Access control is on when at least one key is configured (or issued). */
  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** The key whose secret this is, or null. Looks at every key whatever it finds. */
  identify(secret: string): ApiKey | null {
    const presented = digestOf(secret);
    let found: HeldKey | null = null;
    for (const key of this.keys) {
      const same = timingSafeEqual(presented, key.digest);
      if (same && found === null) found = key;
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
