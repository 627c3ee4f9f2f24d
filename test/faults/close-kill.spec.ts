// kill -9 during the close of a period, month after month: a close is either recorded whole or not
// at all; the retried close seals exactly what the preview before the kill showed; sealed statements
// always read back against their digest. The service runs as a child (dist/main.js, built by pretest).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { NO_STREAM } from '../../src/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { SALE_MADE, storedDataOf, type SaleMadeData } from '../../src/income/events.js';
import { eventIdFor } from '../../src/shared/ids.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { removeDir, tempDir } from '../support/test-app.js';

/** Enough people that a close writes several chunks of sealed statements (each under 256 KiB). */
const REPS = 2500;
const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04'];
const dir = tempDir('close-kill-');
const env = {
  EVENT_STORE_PATH: join(dir, 'events.sqlite'),
  READ_MODEL_DIR: join(dir, 'read-models'),
  PLAN_FILE: 'plans/pay-cycle-example.plan.json',
};

async function append(store: SqliteEventStore, stream: string, type: string, key: string, data: object) {
  const metadata = { recordedAt: '2025-01-01T00:00:00.000Z', correlationId: key, causationId: key, businessKey: key };
  await store.append(stream, [{ id: eventIdFor(type, key), type, data, metadata }], NO_STREAM);
}

beforeAll(async () => {
  const store = new SqliteEventStore(env.EVENT_STORE_PATH);
  for (let i = 0; i < REPS; i++) {
    const repId = `r${i}`;
    const rep = {
      repId,
      sponsorId: i === 0 ? null : `r${Math.floor(i / 3)}`,
      name: repId,
      recruitedAt: '2024-01-01T00:00:00.000Z',
    };
    await append(store, `rep-${repId}`, 'RepRecruited', `rep:${repId}`, rep);
    const month = MONTHS[i % MONTHS.length]!;
    const saleId = `s${i}`;
    const sale: SaleMadeData = {
      saleId,
      repId,
      customerId: 'c',
      amount: `${(i % 97) + 1}.99`,
      currency: 'USD',
      kind: 'single',
      subscriptionId: null,
      occurredAt: `${month}-${String((i % 28) + 1).padStart(2, '0')}T10:00:00.000Z`,
    };
    await append(store, `sale-${saleId}`, SALE_MADE, `sale:${saleId}`, storedDataOf({ type: SALE_MADE, data: sale }));
  }
  await store.close();
}, 120_000);

afterAll(async () => {
  await removeDir(dir);
});

async function json(service: ServiceProcess, path: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(service.url + path, init);
  return { status: response.status, body: await response.json() };
}

/** Sealed chunks in the log for a period, of any close attempt (read beside the running service). */
async function chunksWritten(period: string): Promise<number> {
  const store = new SqliteEventStore(env.EVENT_STORE_PATH);
  const events = await store.readStream(`sealed-${period}`);
  await store.close();
  return events.length;
}

const close = (service: ServiceProcess, period: string) =>
  fetch(`${service.url}/periods/${period}/close`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ operator: 'ops' }),
  });

describe('kill -9 during a close', () => {
  // A close killed after some of its sealed chunks moves the head of the log with those orphan chunks;
  // the retried close must still seal the preview's bytes (its asOfPosition is the ledger's, not the head's).
  it('records each close whole or not at all, and seals what the preview showed', async () => {
    let [killedBeforeClose, killedBetweenChunks] = [0, 0];
    for (const period of MONTHS) {
      let service = await startService(env);
      await json(service, `/periods/${period}/close-preview`); // the first waits for the read model to catch up
      const previewStarted = Date.now();
      const preview = await json(service, `/periods/${period}/close-preview`);
      expect(preview.status).toBe(200);
      // a close does what a preview does, then writes: kill it at a random moment of about that long
      const killAfterMs = Math.random() * 2 * (Date.now() - previewStarted);
      void close(service, period).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      service.child.kill('SIGKILL');
      await service.exited;

      service = await startService(env);
      const status = await json(service, `/periods/${period}`);
      if (status.body.status === 'closed') {
        expect(status.body.close.statementDigest).toBe(preview.body.statementDigest);
      } else {
        killedBeforeClose += 1;
        if ((await chunksWritten(period)) > 0) killedBetweenChunks += 1;
      }
      const retried = await close(service, period);
      expect([200, 201]).toContain(retried.status);
      expect(((await retried.json()) as any).statementDigest).toBe(preview.body.statementDigest);
      const sealed = await json(service, `/periods/${period}/statements`);
      expect(sealed.status).toBe(200);
      expect(sealed.body.statements).toEqual(preview.body.statements);
      expect(sealed.body.statements.length).toBeGreaterThan(0);
      service.child.kill('SIGKILL');
      await service.exited;
    }
    // reported, not asserted: where the kills land depends on the machine's speed
    console.info(
      `kill -9 during a close: ${killedBeforeClose} of ${MONTHS.length} kills left the period open, ` +
        `${killedBetweenChunks} of them after some sealed chunks were written`,
    );
  }, 240_000);
});
