import { describe, expect, it } from '@jest/globals';
import { parseScopes, type Scopes } from './api-keys.js';
import { credentialOf, KeyRing } from './key-ring.js';

const scopes = parseScopes('read') as Scopes;
const ring = new KeyRing([
  { name: 'one', scopes, secret: 'one-0123456789abcdefghijklmn' },
  { name: 'two', scopes, secret: 'two-0123456789abcdefghijklmn' },
]);

describe('the key ring', () => {
  it('knows a key by its exact secret', () => {
    expect(ring.identify('two-0123456789abcdefghijklmn')?.name).toBe('two');
    expect(ring.identify('one-0123456789abcdefghijklmn')?.name).toBe('one');
  });

  it.each(['', 'two-0123456789abcdefghijklm', 'two-0123456789abcdefghijklmnX', 'TWO-0123456789abcdefghijklmn'])(
    'does not know %j',
    (secret) => {
      expect(ring.identify(secret)).toBeNull();
    },
  );

  it('is off with no keys', () => {
    expect(new KeyRing([]).enabled).toBe(false);
    expect(ring.enabled).toBe(true);
  });
});

describe('the credential a request presents', () => {
  it.each([
    [{}, { kind: 'none' }],
    [{ authorization: 'Bearer abc' }, { kind: 'secret', secret: 'abc' }],
    [{ authorization: 'bearer abc' }, { kind: 'secret', secret: 'abc' }],
    [{ 'x-api-key': 'abc' }, { kind: 'secret', secret: 'abc' }],
    [{ authorization: 'Basic abc' }, { kind: 'malformed' }],
    [{ authorization: 'Bearer a b' }, { kind: 'malformed' }],
    [{ authorization: 'Bearer' }, { kind: 'malformed' }],
    [{ 'x-api-key': '' }, { kind: 'malformed' }],
    [{ authorization: 'Bearer abc', 'x-api-key': 'abc' }, { kind: 'malformed' }],
  ])('%j → %j', (headers, credential) => expect(credentialOf(headers)).toEqual(credential));
});
