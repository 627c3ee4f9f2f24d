import { describe, expect, it } from '@jest/globals';
import {
  EMPTY_KEY_RING,
  ISSUED_KEYS_IN_FORCE_MAX,
  decideIssueKey,
  decideRevokeKey,
  fold,
  type KeyRingState,
} from './api-key.decider.js';
import { API_KEY_ISSUED, API_KEY_REVOKED, type ApiKeyEvent, type RecordedApiKeyEvent } from './api-key.events.js';

const NOW = '2026-03-01T09:30:00.000Z';
const DIGEST = 'ab'.repeat(32);
const configured = new Set(['ops']);
const issueOf = (name: string) => ({ name, scopes: 'read=ana', digest: DIGEST, issuedBy: 'ops', now: NOW });

/** The state after these events, recorded one after another from revision 0. */
const given = (...events: ApiKeyEvent[]): KeyRingState =>
  fold(
    EMPTY_KEY_RING,
    events.map((event, revision): RecordedApiKeyEvent => ({ ...event, revision, position: String(revision + 1) })),
  );
const refusedWith = (decide: () => unknown, code: string) => expect(decide).toThrow(expect.objectContaining({ code }));

describe('issuing a key', () => {
  it('records who issued it when, with the digest only', () => {
    expect(decideIssueKey(issueOf('rep-ana'), EMPTY_KEY_RING, configured)).toEqual([
      {
        type: API_KEY_ISSUED,
        data: { name: 'rep-ana', scopes: 'read=ana', digest: DIGEST, issuedBy: 'ops', issuedAt: NOW },
      },
    ]);
  });

  it('refuses a name from configuration, an issued name and a revoked name', () => {
    const issued = decideIssueKey(issueOf('rep-ana'), EMPTY_KEY_RING, configured);
    const revoked = decideRevokeKey({ name: 'rep-ana', revokedBy: 'ops', now: NOW }, given(...issued), configured);
    refusedWith(() => decideIssueKey(issueOf('ops'), EMPTY_KEY_RING, configured), 'API_KEY_NAME_TAKEN');
    refusedWith(() => decideIssueKey(issueOf('rep-ana'), given(...issued), configured), 'API_KEY_NAME_TAKEN');
    refusedWith(
      () => decideIssueKey(issueOf('rep-ana'), given(...issued, ...revoked), configured),
      'API_KEY_NAME_TAKEN',
    );
  });

  it(`refuses a key past ${ISSUED_KEYS_IN_FORCE_MAX} in force, and makes room for one when one is revoked`, () => {
    const many = Array.from({ length: ISSUED_KEYS_IN_FORCE_MAX }, (_, i) => ({
      type: API_KEY_ISSUED,
      data: { name: `k${i}`, scopes: 'read', digest: DIGEST, issuedBy: 'ops', issuedAt: NOW },
    })) as ApiKeyEvent[];
    const full = given(...many);
    refusedWith(() => decideIssueKey(issueOf('one-more'), full, configured), 'API_KEYS_LIMIT_REACHED');
    const revoked = decideRevokeKey({ name: 'k7', revokedBy: 'ops', now: NOW }, full, configured);
    expect(decideIssueKey(issueOf('one-more'), given(...many, ...revoked), configured)).toHaveLength(1);
  });
});

describe('revoking a key', () => {
  const issued = given(...decideIssueKey(issueOf('rep-ana'), EMPTY_KEY_RING, configured));

  it('records who revoked it when, and the fold says so', () => {
    const revoked = decideRevokeKey({ name: 'rep-ana', revokedBy: 'ops', now: NOW }, issued, configured);
    expect(revoked).toEqual([{ type: API_KEY_REVOKED, data: { name: 'rep-ana', revokedBy: 'ops', revokedAt: NOW } }]);
    const state = given(...decideIssueKey(issueOf('rep-ana'), EMPTY_KEY_RING, configured), ...revoked);
    expect(state.keys.get('rep-ana')).toMatchObject({ issuedBy: 'ops', revokedBy: 'ops', revokedAt: NOW });
    expect(state.revision).toBe(1);
  });

  it('decides nothing for a key revoked already (a retry)', () => {
    const revoked = decideRevokeKey({ name: 'rep-ana', revokedBy: 'ops', now: NOW }, issued, configured);
    const state = given(...decideIssueKey(issueOf('rep-ana'), EMPTY_KEY_RING, configured), ...revoked);
    expect(decideRevokeKey({ name: 'rep-ana', revokedBy: 'other', now: NOW }, state, configured)).toEqual([]);
  });

  it('refuses a key from configuration and an unknown key', () => {
    refusedWith(
      () => decideRevokeKey({ name: 'ops', revokedBy: 'ops', now: NOW }, issued, configured),
      'API_KEY_CONFIGURED',
    );
    refusedWith(
      () => decideRevokeKey({ name: 'nobody', revokedBy: 'ops', now: NOW }, issued, configured),
      'API_KEY_UNKNOWN',
    );
  });
});
