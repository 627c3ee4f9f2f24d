import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store.port.js';
import { defaultPlan, network, recorded, recruited, sale } from '../../../test/support/ledger-dsl.js';
import { removeDir, tempDir } from '../../../test/support/test-app.js';
import { ReadModel, ReadModelSchemaError } from './read-model.js';

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

describe('a row the file refuses in the middle of a statement of many rows', () => {
  const dir = tempDir('read-model-refused-');
  afterAll(() => removeDir(dir));

  it('given a batch whose 40th sale line is refused, when it is applied, then none of the batch is kept; applied again, it folds as if nothing had failed', () => {
    // 80 sales, a line each: the inserts go ROWS_PER_INSERT (32) rows to a statement, so the refused line is mid-statement
    const sales = Array.from({ length: 80 }, (_, i) => sale(`S-${i}`, 'ana', '10.00 USD', '2024-02-01'));
    const [first, ...rest] = withMetadata(recorded([...network('ana'), ...sales]));
    const clean = new ReadModel(join(dir, 'clean.sqlite'));
    clean.applyBatch([first!, ...rest], defaultPlan());
    const path = join(dir, 'refusing.sqlite');
    const readModel = new ReadModel(path);
    readModel.applyBatch([first!], defaultPlan());
    const file = new Database(path);
    file.exec(`CREATE TRIGGER refuse BEFORE INSERT ON income_lines WHEN (SELECT COUNT(*) FROM income_lines) = 39
      BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`);

    expect(() => readModel.applyBatch(rest, defaultPlan())).toThrow(/refused by the test/);
    expect(readModel.checkpoint()).toBe(first!.position);
    expect(file.prepare('SELECT COUNT(*) AS n FROM income_lines').get()).toEqual({ n: 0 });
    expect(file.prepare('SELECT COUNT(*) AS n FROM line_sources').get()).toEqual({ n: 0 });
    expect(file.prepare('SELECT COUNT(*) AS n FROM sales').get()).toEqual({ n: 0 });

    file.exec('DROP TRIGGER refuse');
    file.close();
    readModel.applyBatch(rest, defaultPlan());
    expect(readModel.contentDigest()).toBe(clean.contentDigest());
    readModel.close();
    clean.close();
  });
});

describe('a read model file of schema version 6', () => {
  const dir = tempDir('read-model-v6-');
  afterAll(() => removeDir(dir));

  it("given a file of the layout before (an event's base amount on each of its lines), when it is opened, then it is refused as another version and left as it was", () => {
    const path = join(dir, 'generation-1.sqlite');
    const written = new ReadModel(path);
    written.applyBatch(withMetadata(recorded([...network('ana <- ben')])), defaultPlan());
    written.close();
    const file = new Database(path);
    file.pragma('user_version = 6');
    file.close();

    expect(() => new ReadModel(path)).toThrow(ReadModelSchemaError);
    expect(() => new ReadModel(path)).toThrow(/schema version 6, this service writes version 7/);
    const after = new Database(path);
    expect(after.pragma('user_version', { simple: true })).toBe(6);
    expect(after.prepare('SELECT COUNT(*) AS n FROM people').get()).toEqual({ n: 2 });
    after.close();
  });
});
