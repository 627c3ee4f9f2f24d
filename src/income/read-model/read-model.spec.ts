import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../../event-store/event-store.port.js';
import { defaultPlan, recorded, recruited } from '../../../test/support/ledger-dsl.js';
import { ReadModel } from './read-model.js';

const withMetadata = (events: ReturnType<typeof recorded>): RecordedEvent[] =>
  events.map((e) => ({ ...e, metadata: { recordedAt: '2026-01-01T00:00:00.000Z' } }));

describe('a batch that fails half-way', () => {
  it('given a recruit and then a corrupt event, leaves neither in the read model nor in its memory of people', () => {
    const readModel = new ReadModel(':memory:');
    const [ana, corrupt] = withMetadata(recorded([recruited('ana', null), recruited('ben', 'ana')]));
    const broken = { ...corrupt!, data: { repId: 'ben' } }; // fields missing: decoding it throws

    expect(() => readModel.applyBatch([ana!, broken], defaultPlan())).toThrow(/event RepRecruited/);
    expect(readModel.checkpoint()).toBeNull();
    expect(readModel.person('ana')).toBeUndefined();

    readModel.applyBatch([ana!], defaultPlan());
    expect(readModel.person('ana')).toMatchObject({ personId: 'ana', sponsorId: null });
    readModel.close();
  });
});
