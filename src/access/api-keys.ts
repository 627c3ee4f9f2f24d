// API keys and what each may do: pure parsing and decisions, no Nest, no crypto, no I/O.
//
// An entry is `name:scopes:secret`; entries are separated by commas or new lines; `#` starts a comment
// line (in a keys file). Scopes are joined with `+`: `write`, `read`, `read=<personId>`, `admin`.
// No scope implies another: an operator who needs everything writes `admin+read+write`.

/**
 * What a route asks of its caller; `public` routes are open to anyone, with or without a key; `any-key`
 * routes to any valid key whatever its scopes (a key asking what it may do).
 */
export type Requirement = 'public' | 'any-key' | 'read' | 'write' | 'admin';

export interface Scopes {
  readonly write: boolean;
  readonly admin: boolean;
  /** `all`: every person's queries; a set: only the queries about those people; `none`: no queries. */
  readonly read: 'all' | 'none' | ReadonlySet<string>;
}

export interface ApiKeyEntry {
  readonly name: string;
  readonly scopes: Scopes;
  readonly secret: string;
}

export const SECRET_LENGTH_MIN = 24;
export const SECRET_LENGTH_MAX = 256;
export const KEYS_MAX = 1000;
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A name a key may be issued under over the API: as in API_KEYS, but not `.` or `..`, which a client
 * or proxy that normalises paths would turn into another URL (`/access/keys/../revocation`).
 */
export function isKeyName(value: unknown): value is string {
  return isConfigurableKeyName(value) && value !== '.' && value !== '..';
}

/** A name as API_KEYS accepts it (the name of an admin key that issues or revokes keys). */
export function isConfigurableKeyName(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value);
}
// Printable ASCII without space, comma (entry separator) and colon (field separator).
const SECRET_PATTERN = /^[\x21-\x2b\x2d-\x39\x3b-\x7e]+$/;
// Person ids as the API accepts them (src/shared/ids.ts), so `read=<personId>` can name any person.
const PERSON_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._:-]{1,64}$/;

export type ParsedKeys =
  | { readonly ok: true; readonly keys: readonly ApiKeyEntry[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Parses API key entries. A problem names the entry by its number and name, and never quotes the
 * secret (nor the whole entry, which holds it).
 */
export function parseApiKeys(text: string, source = 'API_KEYS'): ParsedKeys {
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0 && !entry.startsWith('#'));
  const problems: string[] = [];
  const keys: ApiKeyEntry[] = [];
  if (entries.length > KEYS_MAX) return { ok: false, problems: [`${source}: more than ${KEYS_MAX} keys`] };
  entries.forEach((entry, index) => {
    const first = entry.indexOf(':');
    const last = entry.lastIndexOf(':');
    const name = first < 0 ? '' : entry.slice(0, first);
    const label = NAME_PATTERN.test(name) ? `${source} entry ${index + 1} ("${name}")` : `${source} entry ${index + 1}`;
    if (first < 0 || first === last) {
      problems.push(`${label}: must be name:scopes:secret`);
      return;
    }
    if (!NAME_PATTERN.test(name)) problems.push(`${label}: the name must be 1 to 64 of A-Z a-z 0-9 . _ -`);
    const scopes = parseScopes(entry.slice(first + 1, last));
    if (typeof scopes === 'string') problems.push(`${label}: ${scopes}`);
    const secret = entry.slice(last + 1);
    if (secret.length < SECRET_LENGTH_MIN || secret.length > SECRET_LENGTH_MAX) {
      problems.push(
        `${label}: the secret must be ${SECRET_LENGTH_MIN} to ${SECRET_LENGTH_MAX} characters (it has ${secret.length})`,
      );
    } else if (!SECRET_PATTERN.test(secret)) {
      problems.push(`${label}: the secret may hold printable ASCII only, without spaces, commas or colons`);
    }
    if (typeof scopes !== 'string') keys.push({ name, scopes, secret });
  });
  const names = new Set<string>();
  const secrets = new Map<string, string>();
  for (const key of keys) {
    if (names.has(key.name)) problems.push(`${source}: the name "${key.name}" is used twice`);
    names.add(key.name);
    const other = secrets.get(key.secret);
    if (other !== undefined) problems.push(`${source}: "${other}" and "${key.name}" have the same secret`);
    secrets.set(key.secret, key.name);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, keys };
}

/** `write+read=alice` → its scopes, or a sentence saying what is wrong. */
export function parseScopes(text: string): Scopes | string {
  let write = false;
  let admin = false;
  let readAll = false;
  const people = new Set<string>();
  for (const scope of text.split('+')) {
    if (scope === 'write') write = true;
    else if (scope === 'admin') admin = true;
    else if (scope === 'read') readAll = true;
    else if (scope.startsWith('read=') && PERSON_PATTERN.test(scope.slice(5))) people.add(scope.slice(5));
    else if (scope.startsWith('read='))
      return 'read=<personId> needs a person id (1 to 64 of A-Z a-z 0-9 . _ : -, and not . or ..)';
    else
      return `the scope "${scope.slice(0, 20)}" is not one of write, read, read=<personId>, admin (join several with +)`;
  }
  return { write, admin, read: readAll ? 'all' : people.size > 0 ? people : 'none' };
}

/**
 * Whether a key with these scopes may call a route with this requirement. `personId` is the route's
 * `personId` parameter, if it has one: a key limited to some people may only read routes about one of them.
 */
export function permits(scopes: Scopes, requirement: Requirement, personId: string | undefined): boolean {
  switch (requirement) {
    case 'public':
    case 'any-key':
      return true;
    case 'write':
      return scopes.write;
    case 'admin':
      return scopes.admin;
    case 'read':
      if (scopes.read === 'all') return true;
      if (scopes.read === 'none') return false;
      return personId !== undefined && scopes.read.has(personId);
    default: {
      const unknown: never = requirement;
      throw new Error(`unknown requirement ${String(unknown)}`);
    }
  }
}

/** A bind address that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The scopes as configured, for start-up messages: `write+read=alice`. */
export function describeScopes(scopes: Scopes): string {
  const parts: string[] = [];
  if (scopes.write) parts.push('write');
  if (scopes.read === 'all') parts.push('read');
  else if (scopes.read !== 'none') for (const person of scopes.read) parts.push(`read=${person}`);
  if (scopes.admin) parts.push('admin');
  return parts.join('+');
}
