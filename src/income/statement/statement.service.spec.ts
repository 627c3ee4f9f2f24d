import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config.js';
import type { EventStore, RecordedEvent } from '../../event-store/event-store.port.js';
import { defaultPlan, recorded, recruited } from '../../../test/support/ledger-dsl.js';
import type { IncomeProjection } from '../generations/income-projection.js';
import { ReadModel } from '../read-model/read-model.js';
import type { ReadYourWrites } from '../generations/read-your-writes.js';
import { REFOLDS_PENDING_MAX, StatementService } from './statement.service.js';

describe('statements that need a refold', () => {
  it('given refolds already running and waiting, refuses the next one with REFOLD_BUSY, then takes them again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refold-'));
    const readModel = new ReadModel(':memory:');
    const [ana] = recorded([recruited('ana', null)]).map((e): RecordedEvent => ({
      ...e,
      metadata: { recordedAt: '2026-01-01T00:00:00.000Z' },
    }));
    readModel.applyBatch([ana!], defaultPlan());
    const plan = { plan: defaultPlan(), fingerprint: 'p', json: '{}' };
    // a log that answers reads only when released: refolds stay pending
    const releases: (() => void)[] = [];
    const store = {
      headPosition: async () => '1',
      readAll: () => new Promise<RecordedEvent[]>((resolve) => releases.push(() => resolve([ana!]))),
    } as unknown as EventStore;
    const projection = {
      servingNow: () => ({ readModel, generation: 2, plan }),
      servedAt: () => ({ generation: 1, plan, servingNow: false }),
      keptReadModel: () => null, // generation 1's file is gone: only a refold can answer
    } as unknown as IncomeProjection;
    const service = new StatementService(
      projection,
      { await: async () => {} } as unknown as ReadYourWrites,
      store,
      { READ_MODEL_DIR: dir } as AppConfig,
      { now: () => new Date() },
    );
    const ask = () =>
      service.statement({
        personId: 'ana',
        period: { from: '2020-01-01T00:00:00.000Z', to: '2030-01-01T00:00:00.000Z' },
        asOf: { position: '1' },
        compareWithNow: false,
      });

    const pending = Array.from({ length: REFOLDS_PENDING_MAX }, ask);
    await expect(ask()).rejects.toMatchObject({ code: 'REFOLD_BUSY' });
    for (let i = 0; i < REFOLDS_PENDING_MAX; i++) {
      while (releases.length < 1) await new Promise((r) => setImmediate(r));
      releases.shift()!(); // one at a time: the next refold reads only once this one is done
    }
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a.source)).toEqual(
      Array(REFOLDS_PENDING_MAX).fill({ generation: 1, planFingerprint: 'p', refolded: true }),
    );
    const again = ask();
    while (releases.length < 1) await new Promise((r) => setImmediate(r));
    releases.shift()!();
    expect((await again).source.refolded).toBe(true);
    readModel.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
