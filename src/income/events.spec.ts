import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store/event-store.port.js';
import {
  AFFILIATE_ORDER_CLAIMED,
  CorruptEventError,
  REP_RECRUITED,
  SALE_MADE,
  decodeLedgerEvent,
  storedDataOf,
  type LedgerEvent,
} from './events.js';

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

describe('a sale kind, stored in the word the log has always held', () => {
  // As the handler stored a single sale before and after the rename: the wire did not change.
  const stored = {
    saleId: 'S-1',
    repId: 'ana',
    customerId: 'C-1',
    amount: '12.50',
    currency: 'USD',
    kind: 'one-off',
    subscriptionId: null,
    occurredAt: '2025-03-01T10:00:00.000Z',
  };

  it('given a stored single sale of kind "one-off", when it is decoded, then it is a "single" sale', () => {
    expect(decodeLedgerEvent(recorded(SALE_MADE, stored)).data).toEqual({ ...stored, kind: 'single' });
  });

  it('given a decoded sale, when it is stored again, then its data is what the log held, byte for byte', () => {
    const decoded: LedgerEvent = decodeLedgerEvent(recorded(SALE_MADE, stored));
    expect(JSON.stringify(storedDataOf(decoded))).toBe(JSON.stringify(stored));
    const subscription = { ...stored, kind: 'subscription', subscriptionId: 'SUB-1' };
    const again = storedDataOf(decodeLedgerEvent(recorded(SALE_MADE, subscription)));
    expect(JSON.stringify(again)).toBe(JSON.stringify(subscription));
  });

  it('reads the new word too, as the same kind, though it is never written', () => {
    const written = { ...stored, kind: 'single' };
    expect(decodeLedgerEvent(recorded(SALE_MADE, written)).data).toEqual(written);
    expect(storedDataOf(decodeLedgerEvent(recorded(SALE_MADE, written)))).toEqual(stored);
  });

  it('refuses any other kind', () => {
    for (const kind of ['lifetime', 'One-off', 'one_off', null, undefined])
      expect(() => decodeLedgerEvent(recorded(SALE_MADE, { ...stored, kind }))).toThrow(
        /kind is not one-off \(single\) or subscription/,
      );
  });

  it('refuses a stored single sale with a subscription id', () => {
    expect(() => decodeLedgerEvent(recorded(SALE_MADE, { ...stored, subscriptionId: 'SUB-1' }))).toThrow(
      /a single sale has a subscriptionId/,
    );
  });
});
