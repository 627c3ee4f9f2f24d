import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../../event-store/event-store.port.js';
import { isLedgerStream } from '../../income/events.js';
import {
  API_KEY_ISSUED,
  API_KEY_REVOKED,
  CorruptApiKeyEventError,
  KEY_RING_STREAM,
  decodeApiKeyEvent,
} from './api-key.events.js';

const recorded = (type: string, data: unknown): RecordedEvent => ({
  id: '00000000-0000-0000-0000-000000000000',
  type,
  stream: KEY_RING_STREAM,
  revision: 0,
  position: '1',
  data,
  metadata: {},
});
const issued = {
  name: 'rep-ana',
  scopes: 'read=ana',
  digest: 'ab'.repeat(32),
  issuedBy: 'ops',
  issuedAt: '2026-03-01T09:30:00.000Z',
};

describe('decoding key events', () => {
  it('decodes an issue and a revocation', () => {
    expect(decodeApiKeyEvent(recorded(API_KEY_ISSUED, issued))).toMatchObject({ type: API_KEY_ISSUED, data: issued });
    const revoked = { name: 'rep-ana', revokedBy: 'ops', revokedAt: '2026-03-02T09:30:00.000Z' };
    expect(decodeApiKeyEvent(recorded(API_KEY_REVOKED, revoked))).toMatchObject({ data: revoked });
  });

  it.each([
    ['a secret instead of a digest', { ...issued, digest: 'x-0123456789abcdefghijklmnop' }],
    ['scopes that do not parse', { ...issued, scopes: 'reed' }],
    ['a name that is not one', { ...issued, name: '..' }],
    ['a time that is not canonical', { ...issued, issuedAt: '2026-03-01T09:30:00Z' }],
    ['no data', null],
  ])('refuses %s', (_what, data) => {
    expect(() => decodeApiKeyEvent(recorded(API_KEY_ISSUED, data))).toThrow(CorruptApiKeyEventError);
  });

  it('refuses an unknown type', () => {
    expect(() => decodeApiKeyEvent(recorded('ApiKeyRenamed', issued))).toThrow(/unknown event type/);
  });

  it('is not a ledger stream: the income fold passes over it', () => {
    expect(isLedgerStream(KEY_RING_STREAM)).toBe(false);
  });
});
