import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store/event-store.port.js';
import { AFFILIATE_ORDER_CLAIMED, CorruptEventError, REP_RECRUITED, decodeLedgerEvent } from './events.js';

const recorded = (type: string, data: object): RecordedEvent => ({
  id: '00000000-0000-5000-8000-000000000000',
  stream: 'rep-x',
  revision: 0,
  position: '1',
  type,
  data,
  metadata: { recordedAt: '2025-01-01T00:00:00.000Z' },
});

describe('decoding stored events', () => {
  it('still reads ids . and .., which the API accepted before it refused them', () => {
    const data = { repId: '..', sponsorId: '.', name: 'Dots', recruitedAt: '2024-01-01T00:00:00.000Z' };
    expect(decodeLedgerEvent(recorded(REP_RECRUITED, data))).toMatchObject({ type: REP_RECRUITED, data });
  });

  it('reads an order claim, and refuses one without a click id', () => {
    const data = { orderId: 'O-1', clickId: 'K-1', affiliateId: 'fay', convertedAt: '2025-03-01T10:00:00.000Z' };
    expect(decodeLedgerEvent(recorded(AFFILIATE_ORDER_CLAIMED, data))).toMatchObject({ data });
    expect(() => decodeLedgerEvent(recorded(AFFILIATE_ORDER_CLAIMED, { ...data, clickId: 7 }))).toThrow(
      CorruptEventError,
    );
  });
});
