import { describe, expect, it } from '@jest/globals';
import { describeScopes, isLoopback, parseApiKeys, parseScopes, permits, type Scopes } from './api-keys.js';

const SECRET = 'abcdefghijklmnopqrstuvwx'; // 24 characters, the least allowed

describe('parsing API keys', () => {
  it('reads name:scopes:secret entries separated by commas or lines, skipping comments', () => {
    const parsed = parseApiKeys(
      `billing:write:${SECRET}1, rep-ana:read=ana:${SECRET}2\n# a comment\nops:admin+read+write:${SECRET}3\n`,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.keys.map((k) => [k.name, describeScopes(k.scopes)])).toEqual([
      ['billing', 'write'],
      ['rep-ana', 'read=ana'],
      ['ops', 'write+read+admin'],
    ]);
  });

  it('takes person ids with colons: the secret is what follows the last colon', () => {
    const parsed = parseApiKeys(`partner:read=org:42:${SECRET}`);
    expect(parsed.ok && parsed.keys[0]!.scopes.read).toEqual(new Set(['org:42']));
  });

  it('nothing configured is no keys', () => {
    expect(parseApiKeys('')).toEqual({ ok: true, keys: [] });
    expect(parseApiKeys(' , \n# only a comment')).toEqual({ ok: true, keys: [] });
  });

  it.each([
    [`nocolons${SECRET}`, /entry 1: must be name:scopes:secret/],
    [`one:${SECRET}`, /entry 1 \("one"\): must be name:scopes:secret/],
    [`bad name:read:${SECRET}`, /entry 1: the name must be/],
    [`x:reed:${SECRET}`, /entry 1 \("x"\): the scope "reed" is not one of/],
    [`x::${SECRET}`, /entry 1 \("x"\): the scope "" is not one of/],
    [`x:read=:${SECRET}`, /entry 1 \("x"\): read=<personId> needs a person id/],
    [`x:read=..:${SECRET}`, /entry 1 \("x"\): read=<personId> needs a person id/],
    ['x:read:short', /entry 1 \("x"\): the secret must be 24 to 256 characters \(it has 5\)/],
    [`x:read:${SECRET}é`, /the secret may hold printable ASCII only/],
    [`a:read:${SECRET},a:write:${SECRET}z`, /the name "a" is used twice/],
    [`a:read:${SECRET},b:write:${SECRET}`, /"a" and "b" have the same secret/],
  ])('refuses %s', (text, problem) => {
    const parsed = parseApiKeys(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.join('\n')).toMatch(problem);
    expect(parsed.problems.join('\n')).not.toContain(SECRET);
  });
});

describe('what a key may do', () => {
  const scopes = (text: string): Scopes => {
    const parsed = parseScopes(text);
    if (typeof parsed === 'string') throw new Error(parsed);
    return parsed;
  };

  it.each([
    ['write', 'write', undefined, true],
    ['write', 'read', 'ana', false],
    ['write', 'admin', undefined, false],
    ['read', 'read', 'ana', true],
    ['read', 'read', undefined, true],
    ['read', 'write', undefined, false],
    ['read=ana', 'read', 'ana', true],
    ['read=ana', 'read', 'ben', false],
    ['read=ana', 'read', undefined, false], // a read route about nobody in particular
    ['read=ana+read=ben', 'read', 'ben', true],
    ['read=ana', 'write', undefined, false],
    ['admin', 'admin', undefined, true],
    ['admin', 'read', 'ana', false], // admin implies nothing else
    ['admin', 'write', undefined, false],
    ['write+read', 'read', 'ana', true],
    ['write', 'public', undefined, true],
  ] as const)('%s on a %s route (person %s): %s', (given, requirement, personId, allowed) => {
    expect(permits(scopes(given), requirement, personId)).toBe(allowed);
  });
});

describe('loopback addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['example.com', false],
    ['127.0.0.1.example.com', false],
  ])('%s → %s', (host, loopback) => expect(isLoopback(host)).toBe(loopback));
});
