// A big log written straight to a store, faster than posting it: a ternary tree of reps (r0 the root,
// r{i}'s sponsor r{⌊i/3⌋}), each with one single USD sale s{i}, the events as the handlers would append them.
import { ANY, NO_STREAM, type EventStore } from '../../src/event-store/event-store.port.js';
import { SALE_MADE, storedDataOf, type SaleMadeData } from '../../src/income/events.js';
import { eventIdFor } from '../../src/shared/ids.js';

export interface SeededNetwork {
  readonly reps: number;
  /** The amount of rep i's sale, e.g. "12.50". */
  amountOf(i: number): string;
  readonly recruitedAt: string;
  readonly soldAt: string;
}

const meta = (key: string) => ({
  recordedAt: '2024-01-01T00:00:00.000Z',
  correlationId: key,
  causationId: key,
  businessKey: key,
});

/** Appends 2 × `reps` events: each rep's recruitment, then their sale. */
export async function seedNetwork(store: EventStore, network: SeededNetwork): Promise<void> {
  for (let i = 0; i < network.reps; i++) {
    const [repId, saleId] = [`r${i}`, `s${i}`];
    const rep = {
      repId,
      sponsorId: i === 0 ? null : `r${Math.floor(i / 3)}`,
      name: repId,
      recruitedAt: network.recruitedAt,
    };
    const sale: SaleMadeData = {
      saleId,
      repId,
      customerId: 'c',
      amount: network.amountOf(i),
      currency: 'USD',
      kind: 'single',
      subscriptionId: null,
      occurredAt: network.soldAt,
    };
    const append = (stream: string, type: string, key: string, data: object) =>
      store.append(stream, [{ id: eventIdFor(type, key), type, data, metadata: meta(key) }], NO_STREAM);
    await append(`rep-${repId}`, 'RepRecruited', `rep:${repId}`, rep);
    await append(`sale-${saleId}`, SALE_MADE, `sale:${saleId}`, storedDataOf({ type: SALE_MADE, data: sale }));
  }
}

/** An event as it is stored, whatever the commands would have let through (a test's log of given facts). */
export interface StoredFact {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly data: object;
}

/** Appends each fact in order, one append each, all recorded at `recordedAt`. */
export async function appendFacts(
  store: EventStore,
  facts: readonly StoredFact[],
  recordedAt = '2025-06-01T00:00:00.000Z',
): Promise<void> {
  for (const fact of facts) {
    const metadata = { recordedAt, correlationId: 'c', causationId: 'c', businessKey: fact.id };
    await store.append(fact.stream, [{ id: fact.id, type: fact.type, data: fact.data, metadata }], ANY);
  }
}
