import { describe, expect, it } from '@jest/globals';
import { parseScopes, type Scopes } from '../api-keys.js';
import { decideIssue, decideRevoke, evolve, type IssuedKeys } from './issued-keys.js';

const scopes = (text: string) => parseScopes(text) as Scopes;
const none: IssuedKeys = new Map();
const configured = new Set(['ops']);
const issue = (name: string, keys = none) =>
  decideIssue(keys, configured, { name, scopes: scopes('read=ana'), digest: 'ab', by: 'ops', at: 'T1' });

describe('issued keys', () => {
  it('issues a new name with its scopes as written, who and when', () => {
    expect(issue('rep-ana')).toEqual([
      {
        type: 'ApiKeyIssued',
        data: { name: 'rep-ana', scopes: 'read=ana', digest: 'ab', issuedBy: 'ops', issuedAt: 'T1' },
      },
    ]);
  });

  it('never reuses a name, not a configured one, not a revoked one', () => {
    const issued = issue('rep-ana').reduce(evolve, none);
    const revoked = decideRevoke(issued, configured, { name: 'rep-ana', by: 'ops', at: 'T2' }).reduce(evolve, issued);
    expect(() => issue('ops')).toThrow(expect.objectContaining({ code: 'KEY_NAME_TAKEN' }));
    expect(() => issue('rep-ana', revoked)).toThrow(expect.objectContaining({ code: 'KEY_NAME_TAKEN' }));
    expect(revoked.get('rep-ana')).toMatchObject({ revokedBy: 'ops', revokedAt: 'T2' });
  });

  it('decides nothing when a revoked key is revoked again, and refuses configured and unknown keys', () => {
    const issued = issue('rep-ana').reduce(evolve, none);
    const once = decideRevoke(issued, configured, { name: 'rep-ana', by: 'ops', at: 'T2' });
    expect(once).toHaveLength(1);
    expect(decideRevoke(once.reduce(evolve, issued), configured, { name: 'rep-ana', by: 'ops', at: 'T3' })).toEqual([]);
    expect(() => decideRevoke(issued, configured, { name: 'ops', by: 'ops', at: 'T2' })).toThrow(
      expect.objectContaining({ code: 'KEY_FROM_CONFIGURATION' }),
    );
    expect(() => decideRevoke(issued, configured, { name: 'nobody', by: 'ops', at: 'T2' })).toThrow(
      expect.objectContaining({ code: 'KEY_UNKNOWN' }),
    );
  });
});
