// The benchmark loads big logs through decidedAppends, not through the command handlers: it is only a fair
// log if the events are the ones the handlers would have appended. This holds it to the real service.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore, type RecordedEvent } from '../../src/event-store/event-store.port.js';
import { decidedAppends, generateWorkload } from '../../src/workload/workload.js';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

/** What a handler decides, without what only the moment of recording gives (time, correlation). */
const decided = (stream: string, e: { id: string; type: string; data: unknown; metadata: unknown }) => ({
  stream,
  id: e.id,
  type: e.type,
  data: e.data,
  businessKey: (e.metadata as { businessKey: string }).businessKey,
});

describe('the benchmark workload, appended in bulk', () => {
  let ledger: TestApp;
  let recorded: RecordedEvent[];
  const workload = generateWorkload(300, 7, { cancellations: true });

  beforeAll(async () => {
    // given: the workload posted over HTTP, through the real handlers
    ledger = await startTestApp();
    for (const request of workload.requests) {
      const answer = await ledger.post(request.path, request.body);
      if (answer.status !== 201) throw new Error(`${request.path} answered ${answer.status}`);
    }
    recorded = await ledger.app.get(EventStore).readAll({ maxCount: 100_000 });
  }, 120_000);
  afterAll(async () => {
    await ledger.stop();
    await removeDir(ledger.dir);
  });

  it('holds every event the handlers appended, with the same stream, id, type, data and business key', () => {
    // when: the same requests are decided for a bulk load
    const bulk = workload.requests.flatMap((request) =>
      decidedAppends(request, { correlationId: 'bulk' }, '2026-01-01T00:00:00.000Z').flatMap((append) =>
        append.events.map((event) => decided(append.stream, event)),
      ),
    );
    // then: event for event, in the order the log holds them, every kind of fact among them
    expect(new Set(recorded.map((event) => event.type))).toEqual(
      new Set([
        'RepRecruited',
        'SaleMade',
        'SubscriptionStarted',
        'SubscriptionRenewed',
        'SubscriptionCancelled',
        'AffiliateOrderClaimed',
        'AffiliateClickConverted',
      ]),
    );
    expect(recorded.length).toBe(workload.events);
    expect(bulk).toEqual(recorded.map((event) => decided(event.stream, event)));
  });
});
